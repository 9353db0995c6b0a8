package store

import (
	"encoding/binary"
	"fmt"
)

var bLedger = []byte("ledger") // seq(8) → LedgerEntry

// LedgerEntry is one append-only change of a member's points.
type LedgerEntry struct {
	Time   int64 // unix seconds
	Member string
	Delta  int64
	Reason string // checkin, streak, makeup, grant, deduct, message
	Note   string // free text from an admin, or the day a make-up filled
	Actor  string // member id of who caused it; the member themself for earnings
}

func (l *LedgerEntry) marshal() []byte {
	e := enc([]byte{recordVersion})
	return e.i(l.Time).s(l.Member).i(l.Delta).s(l.Reason).s(l.Note).s(l.Actor)
}

func (l *LedgerEntry) unmarshal(b []byte) error {
	d, err := newDec("ledger", b)
	if err != nil {
		return err
	}
	l.Time, l.Member, l.Delta, l.Reason, l.Note, l.Actor = d.i(), d.s(), d.i(), d.s(), d.s(), d.s()
	return d.done("ledger")
}

// AppendLedger adds an entry to the points ledger. The caller changes the
// member's balance in the same transaction.
func (g *Group) AppendLedger(e LedgerEntry) error {
	g.mustWrite()
	seq, err := g.ledger.NextSequence()
	if err != nil {
		return fmt.Errorf("ledger of %s: %w", g.key, err)
	}
	if err := g.ledger.Put(binary.BigEndian.AppendUint64(nil, seq), e.marshal()); err != nil {
		return fmt.Errorf("ledger of %s: %w", g.key, err)
	}
	return nil
}

// ForEachLedger visits the ledger in order.
func (g *Group) ForEachLedger(fn func(e LedgerEntry) error) error {
	return g.ledger.ForEach(func(k, v []byte) error {
		var e LedgerEntry
		if err := e.unmarshal(v); err != nil {
			return fmt.Errorf("ledger of %s entry %x: %w", g.key, k, err)
		}
		return fn(e)
	})
}
