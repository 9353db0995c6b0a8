package store

import (
	"encoding/binary"
	"fmt"

	"github.com/pulsebot/pulse/codec"
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
	e := codec.Enc([]byte{codec.Version})
	return e.I(l.Time).S(l.Member).I(l.Delta).S(l.Reason).S(l.Note).S(l.Actor)
}

func (l *LedgerEntry) unmarshal(b []byte) error {
	d, err := codec.NewDec("ledger", b)
	if err != nil {
		return err
	}
	l.Time, l.Member, l.Delta, l.Reason, l.Note, l.Actor = d.I(), d.S(), d.I(), d.S(), d.S(), d.S()
	return d.Done("ledger")
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
