package store

import (
	"fmt"

	"github.com/pulsebot/pulse/codec"
)

var bMembers = []byte("members") // member id → Member

// Member is one member of a group as Pulse knows them.
type Member struct {
	Name        string
	IsBot       bool
	Present     bool  // in the group now (joined or seen, and not left since)
	FirstSeen   Day   // day of the first join, activity or known join time
	JoinedAt    int64 // unix seconds of the current stay's join (a join event's, or the platform's join time from its member list), 0 if unknown
	LeftAt      int64 // unix seconds of the last leave, 0 if none
	Points      int64 // always the sum of the member's ledger entries
	XP          int64
	Messages    int64
	Chars       int64
	Checkins    int64 // days checked in, make-ups included
	Streak      int64 // streak ending at LastCheckin
	BestStreak  int64
	LastCheckin Day   // 0: never
	LastActive  Day   // 0: never
	LastXPAt    int64 // unix seconds of the last rewarded message
	LastHash    uint64
	// Index is the member's dense number in the group (from 1), their bit
	// in the daily activity bitmaps. The store assigns it.
	Index uint32
}

func (m *Member) marshal(buf []byte) []byte {
	e := codec.Enc(append(buf[:0], codec.Version))
	e = e.S(m.Name).B(m.IsBot).B(m.Present).U(uint64(m.FirstSeen)).I(m.JoinedAt).I(m.LeftAt)
	e = e.I(m.Points).I(m.XP).I(m.Messages).I(m.Chars).I(m.Checkins).I(m.Streak).I(m.BestStreak)
	e = e.U(uint64(m.LastCheckin)).U(uint64(m.LastActive)).I(m.LastXPAt).Fix(m.LastHash).U(uint64(m.Index))
	return e
}

func (m *Member) unmarshal(b []byte) error {
	d, err := codec.NewDec("member", b)
	if err != nil {
		return err
	}
	m.Name, m.IsBot, m.Present, m.FirstSeen = d.S(), d.B(), d.B(), Day(d.U())
	m.JoinedAt, m.LeftAt = d.I(), d.I()
	m.Points, m.XP, m.Messages, m.Chars, m.Checkins, m.Streak, m.BestStreak = d.I(), d.I(), d.I(), d.I(), d.I(), d.I(), d.I()
	m.LastCheckin, m.LastActive, m.LastXPAt, m.LastHash = Day(d.U()), Day(d.U()), d.I(), d.Fix()
	m.Index = uint32(d.U())
	return d.Done("member")
}

func (g *Group) member(id string, write bool) (*Member, error) {
	if write {
		g.mustWrite()
	}
	c, ok := g.mcache[id]
	if !ok {
		c = &cached[Member]{}
		v := g.members.Get([]byte(id))
		if v == nil && !write {
			return nil, nil
		}
		if v != nil {
			if err := c.v.unmarshal(v); err != nil {
				return nil, fmt.Errorf("group %s member %q: %w", g.key, id, err)
			}
		} else {
			// A new member gets the next dense index of the group: their
			// bit in the daily activity bitmaps.
			seq, err := g.members.NextSequence()
			if err != nil {
				return nil, fmt.Errorf("group %s member %q: %w", g.key, id, err)
			}
			c.v.Index = uint32(seq)
		}
		g.mcache[id] = c
	}
	if write {
		g.mustWrite()
		c.dirty = true
	}
	return &c.v, nil
}

// MemberCount is how many member records the group has ever had (an
// upper bound of its member indexes), for sizing.
func (g *Group) MemberCount() int { return int(g.members.Sequence()) }

// Member returns a member for reading, nil if unknown.
func (g *Group) Member(id string) (*Member, error) { return g.member(id, false) }

// MemberW returns a member for changing, creating a zero record if needed.
// Changes are written when the transaction commits.
func (g *Group) MemberW(id string) (*Member, error) { return g.member(id, true) }

// ForEachMember visits every member in id order, including changes made
// earlier in this transaction.
func (g *Group) ForEachMember(fn func(id string, m *Member) error) error {
	if g.tx.writable {
		if err := g.flush(); err != nil {
			return err
		}
	}
	var m Member
	return g.members.ForEach(func(k, v []byte) error {
		if c, ok := g.mcache[string(k)]; ok {
			return fn(string(k), &c.v)
		}
		if err := m.unmarshal(v); err != nil {
			return fmt.Errorf("group %s member %q: %w", g.key, k, err)
		}
		return fn(string(k), &m)
	})
}

// flushMembers writes the members changed in this transaction.
func (g *Group) flushMembers() error {
	for id, c := range g.mcache {
		if c.dirty {
			if err := g.members.Put([]byte(id), c.v.marshal(nil)); err != nil {
				return fmt.Errorf("write member %s/%s: %w", g.key, id, err)
			}
		}
	}
	return nil
}
