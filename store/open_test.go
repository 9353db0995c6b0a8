package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/pulsebot/pulse/store"
)

func TestOpenCreatesSchemaAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	view(t, db, func(tx *store.Tx) error {
		if gs := tx.Groups(); len(gs) != 0 {
			t.Errorf("fresh file has groups %v", gs)
		}
		g, err := tx.Group("tg/1")
		if err != nil || g != nil {
			t.Errorf("Group in read tx of a fresh file = %v, %v; want nil, nil", g, err)
		}
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// The schema as written, read with bbolt itself.
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	err = b.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if meta == nil {
			return errors.New("no meta bucket")
		}
		if got := string(meta.Get([]byte("magic"))); got != "pulse" {
			t.Errorf("magic = %q", got)
		}
		if got := meta.Get([]byte("schema")); !bytes.Equal(got, binary.BigEndian.AppendUint32(nil, store.SchemaVersion)) {
			t.Errorf("schema = %x", got)
		}
		if tx.Bucket([]byte("groups")) == nil {
			t.Error("no groups bucket")
		}
		return nil
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}

	// Reopen: a write, close, reopen again and the write is there.
	db = openDB(t, path)
	update(t, db, func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		m, err := g.MemberW("alice")
		if err != nil {
			return err
		}
		m.Name = "Alice"
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, path)
	view(t, db, func(tx *store.Tx) error {
		m, err := group(t, tx, "tg/1").Member("alice")
		if err != nil || m == nil || m.Name != "Alice" {
			t.Errorf("after reopen: member %+v, %v", m, err)
		}
		return nil
	})
	if db.Size() <= 0 {
		t.Errorf("Size() = %d", db.Size())
	}
}

func TestOpenErrors(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(t *testing.T, path string)
		opts    store.Options
		wantIs  error
		wantMsg []string
	}{
		{
			name: "held by another open",
			setup: func(t *testing.T, path string) {
				openDB(t, path) // stays open until the test ends
			},
			wantIs:  store.ErrInUse,
			wantMsg: []string{"in use"},
		},
		{
			name: "newer schema",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					meta, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					if _, err := tx.CreateBucket([]byte("groups")); err != nil {
						return err
					}
					if err := meta.Put([]byte("magic"), []byte("pulse")); err != nil {
						return err
					}
					return meta.Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, 99))
				})
			},
			wantIs:  store.ErrNewer,
			wantMsg: []string{"99", "upgrade"},
		},
		{
			name: "other program's bbolt file",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					b, err := tx.CreateBucket([]byte("widgets"))
					if err != nil {
						return err
					}
					return b.Put([]byte("k"), []byte("v"))
				})
			},
			wantIs:  store.ErrNotOurs,
			wantMsg: []string{"not a Pulse database"},
		},
		{
			name: "meta bucket without our magic",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					meta, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					return meta.Put([]byte("magic"), []byte("other"))
				})
			},
			wantIs: store.ErrNotOurs,
		},
		{
			name: "meta without schema",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					meta, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					return meta.Put([]byte("magic"), []byte("pulse"))
				})
			},
			wantIs:  store.ErrNotOurs,
			wantMsg: []string{"schema"},
		},
		{
			name: "random bytes",
			setup: func(t *testing.T, path string) {
				r := rand.New(rand.NewPCG(1, 2))
				b := make([]byte, 64<<10)
				for i := range b {
					b[i] = byte(r.Uint32())
				}
				if err := os.WriteFile(path, b, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantIs: store.ErrNotOurs,
		},
		{
			name: "text file",
			setup: func(t *testing.T, path string) {
				if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantIs: store.ErrNotOurs,
		},
		{
			name:   "read-only open of a missing file",
			setup:  func(t *testing.T, path string) {},
			opts:   store.Options{ReadOnly: true},
			wantIs: fs.ErrNotExist,
		},
		{
			name: "read-only open of an empty bbolt file",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error { return nil })
			},
			opts:    store.Options{ReadOnly: true},
			wantMsg: []string{"empty database"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pulse.db")
			c.setup(t, path)
			db, err := store.Open(path, c.opts)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if c.wantIs != nil && !errors.Is(err, c.wantIs) {
				t.Errorf("Open error %q is not %q", err, c.wantIs)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("Open error %q does not name the file", err)
			}
			for _, frag := range c.wantMsg {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("Open error %q lacks %q", err, frag)
				}
			}
		})
	}
}

// TestOpenAfterInUse: once the holder closes, the file opens again (the
// lock is released), and the refused attempt did not damage it.
func TestOpenAfterInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error {
		_, err := wgroup(tx, "tg/1").MemberW("alice")
		return err
	})
	if _, err := store.Open(path, store.Options{}); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second Open = %v, want ErrInUse", err)
	}
	db.Close()
	db = openDB(t, path)
	view(t, db, func(tx *store.Tx) error {
		if m, err := group(t, tx, "tg/1").Member("alice"); m == nil || err != nil {
			t.Errorf("member after failed second open: %v, %v", m, err)
		}
		return nil
	})
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)
	update(t, db, func(tx *store.Tx) error {
		return wgroup(tx, "tg/1").PutSettings(store.Settings{Locale: "en"})
	})
	db.Close()

	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	view(t, ro, func(tx *store.Tx) error {
		s, ok, err := group(t, tx, "tg/1").Settings()
		if err != nil || !ok || s.Locale != "en" {
			t.Errorf("settings read-only = %+v, %v, %v", s, ok, err)
		}
		return nil
	})
	if err := <-ro.Submit(context.Background(), func(*store.Tx) error { return nil }); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Submit on a read-only store = %v, want a read-only error", err)
	}
}
