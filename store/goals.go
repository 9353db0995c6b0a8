package store

import (
	"fmt"
	"sort"
)

var (
	bGoals   = []byte("goals")   // metric → Goal
	bDigests = []byte("digests") // period (e.g. 2026-W47) → DigestRecord
)

// Goal is an owner-set target: a metric reaching Target by Deadline.
type Goal struct {
	Metric   string
	Target   float64
	Deadline Day
	SetBy    string
	SetAt    int64
}

// DigestRecord remembers a period's digest so it goes out exactly once.
type DigestRecord struct {
	State    string // "sending", "sent" or "failed"
	Claimed  int64  // unix seconds the send was decided
	Done     int64  // unix seconds it was sent or given up
	Attempts int64
	Error    string
	Sent     []string // recipients already served: "group", "owner:<id>"
}

func (g *Goal) marshal() []byte {
	e := enc([]byte{recordVersion})
	return e.s(g.Metric).fix(uint64FromFloat(g.Target)).u(uint64(g.Deadline)).s(g.SetBy).i(g.SetAt)
}

func (g *Goal) unmarshal(b []byte) error {
	d, err := newDec("goal", b)
	if err != nil {
		return err
	}
	g.Metric, g.Target, g.Deadline, g.SetBy, g.SetAt = d.s(), floatFromUint64(d.fix()), Day(d.u()), d.s(), d.i()
	return d.done("goal")
}

func (r *DigestRecord) marshal() []byte {
	e := enc([]byte{recordVersion})
	e = e.s(r.State).i(r.Claimed).i(r.Done).i(r.Attempts).s(r.Error).u(uint64(len(r.Sent)))
	for _, s := range r.Sent {
		e = e.s(s)
	}
	return e
}

func (r *DigestRecord) unmarshal(b []byte) error {
	d, err := newDec("digest", b)
	if err != nil {
		return err
	}
	r.State, r.Claimed, r.Done, r.Attempts, r.Error = d.s(), d.i(), d.i(), d.i(), d.s()
	n := d.u()
	for i := uint64(0); i < n && d.err == nil; i++ {
		r.Sent = append(r.Sent, d.s())
	}
	return d.done("digest")
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

// Digest returns the record of a period's digest.
func (g *Group) Digest(period string) (DigestRecord, bool, error) {
	var r DigestRecord
	b := g.b.Bucket(bDigests)
	if b == nil {
		return r, false, nil
	}
	v := b.Get([]byte(period))
	if v == nil {
		return r, false, nil
	}
	if err := r.unmarshal(v); err != nil {
		return r, false, fmt.Errorf("digest %s of %s: %w", period, g.key, err)
	}
	return r, true, nil
}

// PutDigest records a period's digest state.
func (g *Group) PutDigest(period string, r DigestRecord) error {
	g.mustWrite()
	b, err := g.b.CreateBucketIfNotExists(bDigests)
	if err == nil {
		err = b.Put([]byte(period), r.marshal())
	}
	if err != nil {
		return fmt.Errorf("digest %s of %s: %w", period, g.key, err)
	}
	return nil
}
