// Package store keeps Pulse's data in one bbolt file. It is the only
// package that knows about buckets and keys. All writes go through one
// writer goroutine that groups many callers' operations into each
// transaction (group commit) and acknowledges them after the fsync.
package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this build writes and the newest it reads.
const SchemaVersion = 1

const magic = "pulse"

var (
	bMeta   = []byte("meta")
	bGroups = []byte("groups") // group key → the group's buckets (group.go)

	kMagic  = []byte("magic")
	kSchema = []byte("schema")
)

// Errors callers may want to tell apart.
var (
	ErrInUse   = errors.New("in use by another process")
	ErrNewer   = errors.New("written by a newer Pulse")
	ErrNotOurs = errors.New("not a Pulse database")
	ErrClosed  = errors.New("store closed")
)

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for another process's lock; default 1s.
	LockTimeout time.Duration
	// ReadOnly opens the file shared, for operator tools.
	ReadOnly bool
	// MaxBatch caps operations per write transaction; default 2048.
	MaxBatch int
}

// DB is an open Pulse database.
type DB struct {
	path string
	bolt *bolt.DB
	ops  chan *op
	done chan struct{} // closed when the writer has exited
	max  int

	mu     sync.RWMutex // held shared while submitting, exclusively to close
	closed bool
}

// Open opens or creates the database at path. A file held by another
// process gives ErrInUse within the lock timeout; a newer schema gives
// ErrNewer; a file that is not Pulse's gives ErrNotOurs.
func Open(path string, o Options) (*DB, error) {
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 2048
	}
	if o.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	bdb, err := openBolt(path, o)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, bolt: bdb, max: o.MaxBatch}
	if err := db.checkSchema(o.ReadOnly); err != nil {
		bdb.Close()
		return nil, err
	}
	if !o.ReadOnly {
		db.ops = make(chan *op, 4*o.MaxBatch)
		db.done = make(chan struct{})
		go db.writer()
	}
	return db, nil
}

// openBolt opens the file, turning bbolt's panics on damaged files and its
// terse errors into messages that name the file and the cause.
func openBolt(path string, o Options) (bdb *bolt.DB, err error) {
	// A truncated file makes bbolt read past the end of its mmap, a fault
	// that would kill the process; turn it into a panic recover can see.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("open %s: %w or damaged (%v)", path, ErrNotOurs, r)
		}
	}()
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      o.LockTimeout,
		ReadOnly:     o.ReadOnly,
		FreelistType: bolt.FreelistMapType,
	})
	switch {
	case err == nil:
		if err := checkSize(bdb, path); err != nil {
			bdb.Close()
			return nil, err
		}
		return bdb, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w (is `pulse run` using it? stop it first)", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum),
		strings.Contains(err.Error(), "file size too small"):
		return nil, fmt.Errorf("open %s: %w or damaged: %v", path, ErrNotOurs, err)
	}
	return nil, fmt.Errorf("open %s: %w", path, err)
}

// checkSize refuses a file shorter than its own header says: a truncated
// copy would fault on first read of a missing page.
func checkSize(bdb *bolt.DB, path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	var want int64
	_ = bdb.View(func(tx *bolt.Tx) error { want = tx.Size(); return nil })
	if st.Size() < want {
		return fmt.Errorf("open %s: %w or damaged: the file is truncated (%d of %d bytes); restore a backup", path, ErrNotOurs, st.Size(), want)
	}
	return nil
}

func (db *DB) checkSchema(readOnly bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("open %s: damaged file (%v); restore a backup (pulse backup)", db.path, r)
		}
	}()
	check := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("open %s: %w (a bbolt file of another program)", db.path, ErrNotOurs)
			}
			if readOnly {
				return fmt.Errorf("open %s: empty database", db.path)
			}
			if meta, err = tx.CreateBucket(bMeta); err != nil {
				return err
			}
			if _, err = tx.CreateBucketIfNotExists(bGroups); err != nil {
				return err
			}
			if err = meta.Put(kMagic, []byte(magic)); err != nil {
				return err
			}
			return meta.Put(kSchema, binary.BigEndian.AppendUint32(nil, SchemaVersion))
		}
		if string(meta.Get(kMagic)) != magic {
			return fmt.Errorf("open %s: %w", db.path, ErrNotOurs)
		}
		v := meta.Get(kSchema)
		if len(v) != 4 {
			return fmt.Errorf("open %s: %w (no schema version)", db.path, ErrNotOurs)
		}
		if s := binary.BigEndian.Uint32(v); s > SchemaVersion {
			return fmt.Errorf("open %s: %w (schema %d; this Pulse reads up to %d): upgrade Pulse", db.path, ErrNewer, s, SchemaVersion)
		}
		return nil
	}
	if readOnly {
		return db.bolt.View(check)
	}
	return db.bolt.Update(check)
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close stops the writer after committing everything already submitted.
func (db *DB) Close() error {
	if db.ops != nil {
		db.mu.Lock()
		if !db.closed {
			db.closed = true
			close(db.ops) // the writer commits what is queued, then exits
		}
		db.mu.Unlock()
		<-db.done
	}
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close %s: %w", db.path, err)
	}
	return nil
}

// View runs fn in a read-only transaction. Keep it short: a long read
// transaction stops the file from growing.
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		return fn(newTx(btx, false))
	})
}

// Backup writes a consistent copy of the database to w, also while the
// writer is busy.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup %s: %w", db.path, err)
	}
	return n, nil
}

// Size is the database file's size in bytes.
func (db *DB) Size() int64 {
	var n int64
	_ = db.bolt.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

// Update runs fn in the next group-commit transaction and returns once that
// transaction is durably committed. fn runs on the writer goroutine and may
// run more than once if another operation of its batch fails, so it must
// only change state through tx and the variables it owns.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	select {
	case err := <-db.Submit(ctx, fn):
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Submit queues fn like Update without waiting; the channel receives its
// result once committed. It blocks only while the queue is full, and then
// gives up when ctx ends: the channel receives ctx's error and fn never
// runs.
func (db *DB) Submit(ctx context.Context, fn func(*Tx) error) <-chan error {
	o := &op{fn: fn, done: make(chan error, 1)}
	if db.ops == nil {
		o.done <- fmt.Errorf("write %s: opened read-only", db.path)
		return o.done
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		o.done <- ErrClosed
		return o.done
	}
	// With room in the queue the op is queued even if ctx has ended, as
	// it always was; ctx only bounds the wait for room.
	select {
	case db.ops <- o:
		return o.done
	default:
	}
	select {
	case db.ops <- o:
	case <-ctx.Done():
		o.done <- fmt.Errorf("write %s: %w", db.path, ctx.Err())
	}
	return o.done
}
