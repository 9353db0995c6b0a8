package store

import (
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

type op struct {
	fn    func(*Tx) error
	done  chan error
	err   error
	reads []func(*Tx) error // registered with Tx.ReadAfter
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
		for rest := batch; len(rest) > 0; {
			rest = db.commit(rest)
		}
	}
}

// commit runs a batch in one transaction and returns what it left for
// the next. An operation that fails or panics is taken out and the rest
// run again, so one bad event never costs the others their writes. The
// transaction ends after an operation that reads after its commit, so the
// read sees the state its event left, not the events after it.
func (db *DB) commit(batch []*op) (rest []*op) {
	for _, o := range batch {
		o.err = nil
	}
	for {
		failed := false
		rest = nil
		err := db.bolt.Update(func(btx *bolt.Tx) error {
			tx := newTx(btx, true)
			for i, o := range batch {
				o.reads = nil
				if o.err != nil {
					continue
				}
				tx.cur = o
				if err := run(o.fn, tx); err != nil {
					o.err = err
					failed = true
					return errRetry
				}
				if len(o.reads) > 0 && i+1 < len(batch) {
					rest = batch[i+1:]
					break
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
	batch = batch[:len(batch)-len(rest)]
	for _, o := range batch {
		if o.err != nil || len(o.reads) == 0 {
			o.done <- o.err
			continue
		}
		db.readAfter(o)
	}
	return rest
}

// readAfter runs an operation's reads on their own goroutine in a read
// transaction begun now, so they see exactly this commit while the writer
// goes on with the next batch; the operation is acknowledged after them.
func (db *DB) readAfter(o *op) {
	btx, err := db.bolt.Begin(false)
	if err != nil {
		o.done <- fmt.Errorf("read after commit %s: %w", db.path, err)
		return
	}
	go func() {
		defer btx.Rollback()
		tx := newTx(btx, false)
		var err error
		for _, fn := range o.reads {
			if err = run(fn, tx); err != nil {
				break
			}
		}
		o.done <- err
	}()
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
