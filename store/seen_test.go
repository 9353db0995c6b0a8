package store_test

import (
	"path/filepath"
	"testing"

	"github.com/pulsebot/pulse/store"
)

// TestSeenAndPrune checks duplicate detection within and across
// transactions and that PruneSeen forgets exactly the older days.
func TestSeenAndPrune(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "pulse.db"))
	seen := func(d store.Day, id string) bool {
		t.Helper()
		var dup bool
		update(t, db, func(tx *store.Tx) error {
			var err error
			dup, err = wgroup(tx, "tg/1").Seen(d, id)
			return err
		})
		return dup
	}
	steps := []struct {
		d    store.Day
		id   string
		want bool
	}{
		{day0, "m1", false},
		{day0, "m1", true}, // same id, same day: duplicate
		{day0, "m2", false},
		{day0 + 1, "m1", false}, // same id, another day: not
		{day0 + 1, "m1", true},
		{day0 + 2, "m3", false},
		{day0, "M1", false}, // ids are case sensitive
	}
	for i, s := range steps {
		if got := seen(s.d, s.id); got != s.want {
			t.Errorf("step %d: Seen(%s, %s) = %v, want %v", i, s.d, s.id, got, s.want)
		}
	}
	// Within one transaction too.
	update(t, db, func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		a, _ := g.Seen(day0+3, "x")
		b, _ := g.Seen(day0+3, "x")
		if a || !b {
			t.Errorf("Seen twice in one tx = %v, %v; want false, true", a, b)
		}
		return nil
	})

	prunes := []struct {
		before store.Day
		want   int
	}{
		{day0, 0},     // nothing before day0
		{day0 + 1, 3}, // m1, m2, M1 of day0
		{day0 + 1, 0}, // again: nothing left
		{day0 + 3, 2}, // m1 of day0+1, m3 of day0+2
	}
	for _, p := range prunes {
		var n int
		update(t, db, func(tx *store.Tx) error {
			var err error
			n, _, err = wgroup(tx, "tg/1").PruneSeen(p.before, 0)
			return err
		})
		if n != p.want {
			t.Errorf("PruneSeen(%s) = %d, want %d", p.before, n, p.want)
		}
	}
	// Pruned ids are new again; kept ones are still duplicates.
	if seen(day0, "m1") {
		t.Error("pruned id still reported as duplicate")
	}
	if !seen(day0+3, "x") {
		t.Error("id of a kept day lost by PruneSeen")
	}
}

// A bounded prune removes at most max ids and says more are left.
func TestPruneSeenBounded(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const day = store.Day(20000)
	update(t, db, func(tx *store.Tx) error {
		g, _ := tx.Group("tg/1")
		for _, id := range []string{"a", "b", "c"} {
			if _, err := g.Seen(day, id); err != nil {
				return err
			}
		}
		return nil
	})
	for i, want := range []struct {
		n    int
		more bool
	}{{2, true}, {1, false}, {0, false}} {
		update(t, db, func(tx *store.Tx) error {
			g, _ := tx.Group("tg/1")
			n, more, err := g.PruneSeen(day+1, 2)
			if n != want.n || more != want.more {
				t.Errorf("call %d: PruneSeen = %d, %v; want %d, %v", i+1, n, more, want.n, want.more)
			}
			return err
		})
	}
}
