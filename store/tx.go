package store

import (
	bolt "go.etcd.io/bbolt"
)

// Tx is one transaction. In a write transaction, records read for writing
// are cached and written back once at the end, so a batch of a thousand
// messages from the same members costs a few puts, not thousands.
type Tx struct {
	btx      *bolt.Tx
	writable bool
	cur      *op // the operation running, in a write transaction
	groups   map[string]*Group
	buf      []byte
}

func newTx(btx *bolt.Tx, writable bool) *Tx {
	return &Tx{btx: btx, writable: writable, groups: make(map[string]*Group)}
}

// ReadAfter runs fn once this write transaction has committed, in a read
// transaction that sees exactly what was committed, off the writer
// goroutine; the operation is acknowledged after fn returns. Long reads
// (reports) go here so they never hold up everyone else's writes.
func (tx *Tx) ReadAfter(fn func(*Tx) error) {
	if tx.cur == nil {
		panic("store: ReadAfter outside a write operation")
	}
	tx.cur.reads = append(tx.cur.reads, fn)
}

// flush writes back every record changed in this transaction.
func (tx *Tx) flush() error {
	for _, g := range tx.groups {
		if err := g.flush(); err != nil {
			return err
		}
	}
	return nil
}

type cached[T any] struct {
	v     T
	dirty bool
}
