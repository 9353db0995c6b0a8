package store_test

import (
	"context"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/pulsebot/pulse/store"
)

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func update(t *testing.T, db *store.DB, fn func(*store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, db *store.DB, fn func(*store.Tx) error) {
	t.Helper()
	if err := db.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// group returns a group inside a transaction, failing the test on error.
func group(t *testing.T, tx *store.Tx, key string) *store.Group {
	t.Helper()
	g, err := tx.Group(key)
	if err != nil {
		t.Fatalf("Group(%s): %v", key, err)
	}
	if g == nil {
		t.Fatalf("Group(%s): missing", key)
	}
	return g
}

// wgroup returns a group inside a write operation. Write operations run
// on the store's writer goroutine, where t.Fatal must not be called, so a
// failure panics; the store turns that into the operation's error.
func wgroup(tx *store.Tx, key string) *store.Group {
	g, err := tx.Group(key)
	if err != nil {
		panic(err)
	}
	return g
}

func ledgerOf(t *testing.T, db *store.DB, key string) []store.LedgerEntry {
	t.Helper()
	var out []store.LedgerEntry
	view(t, db, func(tx *store.Tx) error {
		g, err := tx.Group(key)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachLedger(func(e store.LedgerEntry) error {
			out = append(out, e)
			return nil
		})
	})
	return out
}

// writeBolt makes a bbolt file directly, for files Pulse did not write.
func writeBolt(t *testing.T, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

const day0 = store.Day(20454) // 2026-01-01
