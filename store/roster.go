package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/pulsebot/pulse/codec"
)

var bRoster = []byte("roster") // unix(8) seq(8) → RosterEntry

// RosterEntry is one join or leave.
type RosterEntry struct {
	Time    int64
	Member  string
	Name    string
	Join    bool
	Inviter string
}

func (r *RosterEntry) marshal() []byte {
	e := codec.Enc([]byte{codec.Version})
	return e.I(r.Time).S(r.Member).S(r.Name).B(r.Join).S(r.Inviter)
}

func (r *RosterEntry) unmarshal(b []byte) error {
	d, err := codec.NewDec("roster", b)
	if err != nil {
		return err
	}
	r.Time, r.Member, r.Name, r.Join, r.Inviter = d.I(), d.S(), d.S(), d.B(), d.S()
	return d.Done("roster")
}

// AppendRoster records a join or leave.
func (g *Group) AppendRoster(e RosterEntry) error {
	g.mustWrite()
	seq, err := g.roster.NextSequence()
	if err != nil {
		return fmt.Errorf("roster of %s: %w", g.key, err)
	}
	k := binary.BigEndian.AppendUint64(nil, uint64(e.Time))
	k = binary.BigEndian.AppendUint64(k, seq)
	if err := g.roster.Put(k, e.marshal()); err != nil {
		return fmt.Errorf("roster of %s: %w", g.key, err)
	}
	return nil
}

// ForEachRoster visits joins and leaves with from ≤ time < to (unix seconds).
func (g *Group) ForEachRoster(from, to int64, fn func(e RosterEntry) error) error {
	c := g.roster.Cursor()
	end := binary.BigEndian.AppendUint64(nil, uint64(to))
	for k, v := c.Seek(binary.BigEndian.AppendUint64(nil, uint64(from))); k != nil && bytes.Compare(k[:8], end) < 0; k, v = c.Next() {
		var e RosterEntry
		if err := e.unmarshal(v); err != nil {
			return fmt.Errorf("roster of %s: %w", g.key, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
