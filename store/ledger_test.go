package store_test

import (
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

func ledgerRecords() groupRecords {
	ledger := []store.LedgerEntry{
		{Time: 1767225600, Member: "alice", Delta: 10, Reason: "checkin", Note: "streak 1", Actor: "alice"},
		{Time: 1767225601, Member: "bob", Delta: -3, Reason: "deduct", Note: "spam ✂", Actor: "alice"},
		{Time: 1767225602, Member: "bob", Delta: 0},
	}
	return groupRecords{
		name: "ledger",
		write: func(g *store.Group) error {
			for _, e := range ledger {
				if err := g.AppendLedger(e); err != nil {
					return err
				}
			}
			return nil
		},
		check: func(t *testing.T, _ *store.Tx, g *store.Group) {
			var got []store.LedgerEntry
			if err := g.ForEachLedger(func(e store.LedgerEntry) error {
				got = append(got, e)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, ledger) {
				t.Errorf("ledger = %+v, want %+v", got, ledger)
			}
		},
	}
}
