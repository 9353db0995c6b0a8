package store

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/pulsebot/pulse/codec"
)

var bDays = []byte("days") // day(4) member → DayAgg

// DayAgg is one member's activity on one local day.
type DayAgg struct {
	Messages      int64
	Chars         int64
	RepliesGiven  int64
	RepliesRecv   int64
	MentionsGiven int64
	MentionsRecv  int64
	ReactGiven    int64
	ReactRecv     int64
	Interactive   int64 // messages that replied to or mentioned another member
	Reacted       int64 // this member's messages that drew their first reaction this day
	XP            int64
	Points        int64 // points earned this day (grants included, spending not)
	Checkin       uint8 // CheckinNone, CheckinOnTime or CheckinMakeup
	CheckinOrder  int64 // 1 for the day's first check-in
	// Counted is the day's contributions: messages that were not commands
	// and passed the spam filters (not a repeat of the member's previous
	// message, at least the minimum length), the count the digest ranks
	// contributors by. Messages counts every message, commands included.
	Counted int64
	// PreCounted is set when the record was written before Counted
	// existed (it is not stored): Counted is 0 there, whatever was sent.
	// Such a record changed now is written with Counted, which then holds
	// only the messages counted since.
	PreCounted bool
}

// Check-in states of a DayAgg.
const (
	CheckinNone   = 0
	CheckinOnTime = 1
	CheckinMakeup = 2
)

// Active reports whether the member counts as active that day: a counted
// message or an on-time check-in (a make-up is not activity).
func (a *DayAgg) Active() bool { return a.Messages > 0 || a.Checkin == CheckinOnTime }

func (a *DayAgg) marshal(buf []byte) []byte {
	e := codec.Enc(append(buf[:0], codec.Version))
	e = e.I(a.Messages).I(a.Chars).I(a.RepliesGiven).I(a.RepliesRecv).I(a.MentionsGiven).I(a.MentionsRecv)
	e = e.I(a.ReactGiven).I(a.ReactRecv).I(a.Interactive).I(a.Reacted).I(a.XP).I(a.Points)
	e = e.U(uint64(a.Checkin)).I(a.CheckinOrder)
	// Fields added later go at the end, read back only when present.
	e = e.I(a.Counted)
	return e
}

func (a *DayAgg) unmarshal(b []byte) error {
	d, err := codec.NewDec("day", b)
	if err != nil {
		return err
	}
	a.Messages, a.Chars, a.RepliesGiven, a.RepliesRecv, a.MentionsGiven, a.MentionsRecv = d.I(), d.I(), d.I(), d.I(), d.I(), d.I()
	a.ReactGiven, a.ReactRecv, a.Interactive, a.Reacted, a.XP, a.Points = d.I(), d.I(), d.I(), d.I(), d.I(), d.I()
	a.Checkin, a.CheckinOrder = uint8(d.U()), d.I()
	// A record written before Counted existed ends here.
	a.Counted, a.PreCounted = 0, !d.More()
	if !a.PreCounted {
		a.Counted = d.I()
	}
	return d.Done("day")
}

type dayKey struct {
	day Day
	id  string
}

func dayKeyBytes(buf []byte, d Day, id string) []byte {
	return append(binary.BigEndian.AppendUint32(buf[:0], uint32(d)), id...)
}

func (g *Group) day(d Day, id string, write bool) (*DayAgg, error) {
	k := dayKey{d, id}
	c, ok := g.dcache[k]
	if !ok {
		c = &cached[DayAgg]{}
		g.tx.buf = dayKeyBytes(g.tx.buf, d, id)
		if v := g.days.Get(g.tx.buf); v != nil {
			if err := c.v.unmarshal(v); err != nil {
				return nil, fmt.Errorf("group %s day %s member %q: %w", g.key, d, id, err)
			}
		}
		g.dcache[k] = c
	}
	if write {
		g.mustWrite()
		c.dirty = true
	}
	return &c.v, nil
}

// Day returns a member's aggregate of a day for reading (zero if none).
func (g *Group) Day(d Day, id string) (*DayAgg, error) { return g.day(d, id, false) }

// DayW returns a member's aggregate of a day for changing.
func (g *Group) DayW(d Day, id string) (*DayAgg, error) { return g.day(d, id, true) }

// ForEachDay visits member-day aggregates with from ≤ day ≤ to, in day
// then member order. The record passed to fn is reused between calls.
func (g *Group) ForEachDay(from, to Day, fn func(d Day, id string, a *DayAgg) error) error {
	if g.tx.writable {
		if err := g.flush(); err != nil {
			return err
		}
	}
	var a DayAgg
	c := g.days.Cursor()
	for k, v := c.Seek(binary.BigEndian.AppendUint32(nil, uint32(from))); k != nil; k, v = c.Next() {
		if len(k) < 4 {
			return fmt.Errorf("group %s: damaged day key %x", g.key, k)
		}
		d := Day(binary.BigEndian.Uint32(k))
		if d > to {
			break
		}
		id := string(k[4:])
		if cc, ok := g.dcache[dayKey{d, id}]; ok {
			if err := fn(d, id, &cc.v); err != nil {
				return err
			}
			continue
		}
		if err := a.unmarshal(v); err != nil {
			return fmt.Errorf("group %s day %s: %w", g.key, d, err)
		}
		if err := fn(d, id, &a); err != nil {
			return err
		}
	}
	return nil
}

// flushDays writes the member-days changed in this transaction, in key
// order: bbolt appends sequential keys far faster.
func (g *Group) flushDays() error {
	keys := make([]dayKey, 0, len(g.dcache))
	for k, c := range g.dcache {
		if c.dirty {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].day != keys[j].day {
			return keys[i].day < keys[j].day
		}
		return keys[i].id < keys[j].id
	})
	for _, k := range keys {
		if err := g.days.Put(dayKeyBytes(nil, k.day, k.id), g.dcache[k].v.marshal(nil)); err != nil {
			return fmt.Errorf("write day %s/%s: %w", g.key, k.day, err)
		}
	}
	return nil
}
