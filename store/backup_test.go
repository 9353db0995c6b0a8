package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulsebot/pulse/store"
)

// TestBackupWhileWriting takes a backup while another goroutine keeps
// writing; the copy opens and holds a consistent state.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, filepath.Join(dir, "pulse.db"))
	const before = 200
	for i := 0; i < before; i++ {
		update(t, db, func(tx *store.Tx) error {
			return wgroup(tx, "tg/1").AppendLedger(store.LedgerEntry{Member: "a", Delta: int64(i)})
		})
	}
	// Keep writing until the backups are done.
	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		i := before
		for {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			err := db.Update(context.Background(), func(tx *store.Tx) error {
				g, err := tx.Group("tg/1")
				if err != nil {
					return err
				}
				m, err := g.MemberW("a")
				if err != nil {
					return err
				}
				m.Points = int64(i + 1) // always the number of entries
				return g.AppendLedger(store.LedgerEntry{Member: "a", Delta: int64(i)})
			})
			if err != nil {
				writerDone <- err
				return
			}
			i++
		}
	}()
	var paths []string
	for k := 0; k < 3; k++ {
		p := filepath.Join(dir, fmt.Sprintf("backup%d.db", k))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.Backup(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil || n <= 0 {
			t.Fatalf("Backup = %d, %v", n, err)
		}
		paths = append(paths, p)
	}
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatalf("writer: %v", err)
	}
	for _, p := range paths {
		b := openDB(t, p)
		entries := ledgerOf(t, b, "tg/1")
		if len(entries) < before {
			t.Errorf("%s: %d ledger entries, want at least %d", p, len(entries), before)
		}
		for i, e := range entries {
			if e.Delta != int64(i) {
				t.Fatalf("%s: entry %d has delta %d: not a consistent snapshot", p, i, e.Delta)
			}
		}
		view(t, b, func(tx *store.Tx) error {
			m, err := group(t, tx, "tg/1").Member("a")
			if err != nil {
				return err
			}
			if len(entries) > before && (m == nil || m.Points != int64(len(entries))) {
				t.Errorf("%s: member %+v with %d ledger entries: not one transaction's state", p, m, len(entries))
			}
			return nil
		})
	}
}
