package store_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/store"
)

// TestWriteInViewPanicsOutOfView documents the contract: a write method
// called inside View panics, and View does not recover it, so the panic
// reaches View's caller. (Inside Update a panic is recovered and becomes
// the operation's error; see TestBatchIsolatesFailures.)
func TestWriteInViewPanicsOutOfView(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "pulse.db"))
	update(t, db, func(tx *store.Tx) error {
		_, err := wgroup(tx, "tg/1").MemberW("alice")
		return err
	})
	writes := []struct {
		name string
		fn   func(g *store.Group) error
	}{
		{"MemberW existing", func(g *store.Group) error { _, err := g.MemberW("alice"); return err }},
		{"MemberW new", func(g *store.Group) error { _, err := g.MemberW("bob"); return err }},
		{"DayW", func(g *store.Group) error { _, err := g.DayW(day0, "alice"); return err }},
		{"GroupDayW", func(g *store.Group) error { _, err := g.GroupDayW(day0); return err }},
		{"Seen", func(g *store.Group) error { _, err := g.Seen(day0, "x"); return err }},
		{"PruneSeen", func(g *store.Group) error { _, _, err := g.PruneSeen(day0, 0); return err }},
		{"AppendLedger", func(g *store.Group) error { return g.AppendLedger(store.LedgerEntry{Member: "alice", Delta: 1}) }},
		{"AppendRoster", func(g *store.Group) error { return g.AppendRoster(store.RosterEntry{Member: "alice"}) }},
		{"PutSettings", func(g *store.Group) error { return g.PutSettings(store.Settings{}) }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				_ = db.View(func(tx *store.Tx) error {
					g, err := tx.Group("tg/1")
					if err != nil || g == nil {
						t.Fatalf("group: %v, %v", g, err)
					}
					return w.fn(g)
				})
			}()
			if recovered == nil {
				t.Fatal("write in a read transaction did not panic")
			}
			if !strings.Contains(fmt.Sprint(recovered), "read transaction") {
				t.Errorf("panic %v does not say why", recovered)
			}
		})
	}
	// The store is still usable, and nothing was written.
	update(t, db, func(*store.Tx) error { return nil })
	view(t, db, func(tx *store.Tx) error {
		g := group(t, tx, "tg/1")
		if m, _ := g.Member("bob"); m != nil {
			t.Errorf("member created through a read transaction: %+v", m)
		}
		return nil
	})
	if got := ledgerOf(t, db, "tg/1"); len(got) != 0 {
		t.Errorf("ledger written through a read transaction: %+v", got)
	}
}
