// Package ledger is the only place points change. Every change is an entry
// of the group's append-only ledger, written with the balance in the same
// transaction, so a balance always equals the sum of its entries.
package ledger

import (
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/store"
)

// Reasons written to the ledger.
const (
	Checkin = "checkin"
	Makeup  = "makeup"
	Message = "message"
	Grant   = "grant"
	Deduct  = "deduct"
)

// MaxGrant bounds one grant so a typo cannot mint a fortune.
const MaxGrant = 1_000_000

// Post appends e to g's ledger and applies its delta to the member's
// balance; a gain also counts in agg (the member's day), when given.
// Callers check that a deduction fits: a negative balance is a bug.
func Post(g *store.Group, m *store.Member, agg *store.DayAgg, e store.LedgerEntry) error {
	if e.Delta == 0 {
		return nil
	}
	if m.Points+e.Delta < 0 {
		panic("ledger: a balance would go negative") // callers check first
	}
	if err := g.AppendLedger(e); err != nil {
		return err
	}
	m.Points += e.Delta
	if e.Delta > 0 && agg != nil {
		agg.Points += e.Delta
	}
	return nil
}

// ParseAmount reads the amount of a grant ("10", "+10", "-5"); ok is false
// for zero, for anything beyond MaxGrant and for what is not a number.
func ParseAmount(s string) (n int64, ok bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	if err != nil || n == 0 || n > MaxGrant || n < -MaxGrant {
		return 0, false
	}
	return n, true
}
