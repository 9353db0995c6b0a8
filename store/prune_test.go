package store_test

import (
	"path/filepath"
	"testing"

	"github.com/pulsebot/pulse/store"
)

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
