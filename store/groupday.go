package store

import (
	"encoding/binary"
	"fmt"

	"github.com/pulsebot/pulse/codec"
)

var bGroupDay = []byte("gdays") // day(4) → GroupDay

// GroupDay sums one local day of a group.
type GroupDay struct {
	Messages    int64
	Chars       int64
	Active      int64 // distinct active members
	Checkins    int64 // on-time check-ins
	Makeups     int64
	Joins       int64
	Leaves      int64
	Interactive int64
	Reacted     int64
	Reactions   int64
}

func (g *GroupDay) marshal(buf []byte) []byte {
	e := codec.Enc(append(buf[:0], codec.Version))
	e = e.I(g.Messages).I(g.Chars).I(g.Active).I(g.Checkins).I(g.Makeups).I(g.Joins).I(g.Leaves)
	e = e.I(g.Interactive).I(g.Reacted).I(g.Reactions)
	return e
}

func (g *GroupDay) unmarshal(b []byte) error {
	d, err := codec.NewDec("group day", b)
	if err != nil {
		return err
	}
	g.Messages, g.Chars, g.Active, g.Checkins, g.Makeups, g.Joins, g.Leaves = d.I(), d.I(), d.I(), d.I(), d.I(), d.I(), d.I()
	g.Interactive, g.Reacted, g.Reactions = d.I(), d.I(), d.I()
	return d.Done("group day")
}

func (g *Group) groupDay(d Day, write bool) (*GroupDay, error) {
	c, ok := g.gcache[d]
	if !ok {
		c = &cached[GroupDay]{}
		if v := g.gdays.Get(binary.BigEndian.AppendUint32(nil, uint32(d))); v != nil {
			if err := c.v.unmarshal(v); err != nil {
				return nil, fmt.Errorf("group %s day %s: %w", g.key, d, err)
			}
		}
		g.gcache[d] = c
	}
	if write {
		g.mustWrite()
		c.dirty = true
	}
	return &c.v, nil
}

// GroupDay returns the group's sums of a day for reading.
func (g *Group) GroupDay(d Day) (*GroupDay, error) { return g.groupDay(d, false) }

// GroupDayW returns the group's sums of a day for changing.
func (g *Group) GroupDayW(d Day) (*GroupDay, error) { return g.groupDay(d, true) }

// ForEachGroupDay visits the group's daily sums with from ≤ day ≤ to.
func (g *Group) ForEachGroupDay(from, to Day, fn func(d Day, s *GroupDay) error) error {
	if g.tx.writable {
		if err := g.flush(); err != nil {
			return err
		}
	}
	var s GroupDay
	c := g.gdays.Cursor()
	for k, v := c.Seek(binary.BigEndian.AppendUint32(nil, uint32(from))); k != nil; k, v = c.Next() {
		d := Day(binary.BigEndian.Uint32(k))
		if d > to {
			break
		}
		if err := s.unmarshal(v); err != nil {
			return fmt.Errorf("group %s day %s: %w", g.key, d, err)
		}
		if err := fn(d, &s); err != nil {
			return err
		}
	}
	return nil
}

// flushGroupDays writes the group-days changed in this transaction.
func (g *Group) flushGroupDays() error {
	for d, c := range g.gcache {
		if c.dirty {
			if err := g.gdays.Put(binary.BigEndian.AppendUint32(nil, uint32(d)), c.v.marshal(nil)); err != nil {
				return fmt.Errorf("write day %s/%s: %w", g.key, d, err)
			}
		}
	}
	return nil
}
