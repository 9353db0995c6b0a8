package store

import (
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

type op struct {
	fn   func(*Tx) error
	done chan error
	err  error
}

// writer is the single goroutine that writes. It takes every operation
// waiting (up to max) into one transaction, so the cost of the fsync is
// shared by all of them; callers hear back only after the commit.
func (db *DB) writer() {
	defer close(db.done)
	batch := make([]*op, 0, db.max)
	for {
		o, ok := <-db.ops
		if !ok {
			return
		}
		batch = append(batch[:0], o)
	fill:
		for len(batch) < db.max {
			select {
			case o, ok := <-db.ops:
				if !ok {
					break fill
				}
				batch = append(batch, o)
			default:
				break fill
			}
		}
		db.commit(batch)
	}
}

// commit runs a batch in one transaction. An operation that fails or
// panics is taken out and the rest run again, so one bad event never
// costs the others their writes.
func (db *DB) commit(batch []*op) {
	for _, o := range batch {
		o.err = nil
	}
	for {
		failed := false
		err := db.bolt.Update(func(btx *bolt.Tx) error {
			tx := newTx(btx, true)
			for _, o := range batch {
				if o.err != nil {
					continue
				}
				if err := run(o.fn, tx); err != nil {
					o.err = err
					failed = true
					return errRetry
				}
			}
			return tx.flush()
		})
		if err == errRetry {
			continue
		}
		if err != nil && !failed {
			for _, o := range batch {
				if o.err == nil {
					o.err = fmt.Errorf("commit %s: %w", db.path, err)
				}
			}
		}
		break
	}
	for _, o := range batch {
		o.done <- o.err
	}
}

var errRetry = fmt.Errorf("retry batch without the failed operation")

func run(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store operation panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(tx)
}
