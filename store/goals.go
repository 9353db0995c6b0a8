package store

import (
	"fmt"
	"math"
	"sort"

	"github.com/pulsebot/pulse/codec"
)

var bGoals = []byte("goals") // metric → Goal

// Goal is an owner-set target: a metric reaching Target by Deadline.
type Goal struct {
	Metric   string
	Target   float64
	Deadline Day
	SetBy    string
	SetAt    int64
}

func (g *Goal) marshal() []byte {
	e := codec.Enc([]byte{codec.Version})
	return e.S(g.Metric).Fix(math.Float64bits(g.Target)).U(uint64(g.Deadline)).S(g.SetBy).I(g.SetAt)
}

func (g *Goal) unmarshal(b []byte) error {
	d, err := codec.NewDec("goal", b)
	if err != nil {
		return err
	}
	g.Metric, g.Target, g.Deadline, g.SetBy, g.SetAt = d.S(), math.Float64frombits(d.Fix()), Day(d.U()), d.S(), d.I()
	return d.Done("goal")
}

// Goals returns the group's goals by metric name.
func (g *Group) Goals() ([]Goal, error) {
	b := g.b.Bucket(bGoals)
	if b == nil {
		return nil, nil
	}
	var out []Goal
	err := b.ForEach(func(k, v []byte) error {
		var gl Goal
		if err := gl.unmarshal(v); err != nil {
			return fmt.Errorf("goal %s of %s: %w", k, g.key, err)
		}
		out = append(out, gl)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Metric < out[j].Metric })
	return out, err
}

// PutGoal sets (or replaces) the goal for its metric.
func (g *Group) PutGoal(gl Goal) error {
	g.mustWrite()
	b, err := g.b.CreateBucketIfNotExists(bGoals)
	if err == nil {
		err = b.Put([]byte(gl.Metric), gl.marshal())
	}
	if err != nil {
		return fmt.Errorf("goal of %s: %w", g.key, err)
	}
	return nil
}

// DeleteGoal removes a metric's goal and reports whether there was one.
func (g *Group) DeleteGoal(metric string) (bool, error) {
	g.mustWrite()
	b := g.b.Bucket(bGoals)
	if b == nil || b.Get([]byte(metric)) == nil {
		return false, nil
	}
	if err := b.Delete([]byte(metric)); err != nil {
		return false, fmt.Errorf("goal of %s: %w", g.key, err)
	}
	return true, nil
}
