package store

import (
	"errors"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// A group is one bucket under groups/, keyed "platform/id", with a bucket
// (or key) per entity inside; each entity's file names its own and holds
// its record, its encoding and the Group methods on it.

// Group is one group inside a transaction.
type Group struct {
	tx                                            *Tx
	key                                           string
	b, members, days, gdays, ledger, roster, seen *bolt.Bucket
	mcache                                        map[string]*cached[Member]
	acache                                        map[Day]*cached[Bitmap]
	imported                                      *bolt.Bucket // nil until used
	once                                          map[string]bool
	dcache                                        map[dayKey]*cached[DayAgg]
	gcache                                        map[Day]*cached[GroupDay]
}

// Groups lists the keys of every group in the database, sorted.
func (tx *Tx) Groups() []string {
	var keys []string
	root := tx.btx.Bucket(bGroups)
	if root == nil {
		return nil
	}
	_ = root.ForEach(func(k, v []byte) error {
		if v == nil {
			keys = append(keys, string(k))
		}
		return nil
	})
	sort.Strings(keys)
	return keys
}

// Group returns a group's handle. In a read transaction a group that does
// not exist is nil; in a write transaction it is created.
func (tx *Tx) Group(key string) (*Group, error) {
	if g, ok := tx.groups[key]; ok {
		return g, nil
	}
	root := tx.btx.Bucket(bGroups)
	if root == nil {
		return nil, fmt.Errorf("group %s: database has no groups bucket", key)
	}
	b := root.Bucket([]byte(key))
	if b == nil {
		if !tx.writable {
			return nil, nil
		}
		var err error
		if b, err = root.CreateBucket([]byte(key)); err != nil {
			return nil, fmt.Errorf("create group %s: %w", key, err)
		}
		for _, name := range [][]byte{bMembers, bDays, bGroupDay, bLedger, bRoster, bSeen} {
			if _, err := b.CreateBucket(name); err != nil {
				return nil, fmt.Errorf("create group %s: %w", key, err)
			}
		}
	}
	g := &Group{
		tx: tx, key: key, b: b,
		members: b.Bucket(bMembers), days: b.Bucket(bDays), gdays: b.Bucket(bGroupDay),
		ledger: b.Bucket(bLedger), roster: b.Bucket(bRoster), seen: b.Bucket(bSeen),
		mcache: make(map[string]*cached[Member]),
		dcache: make(map[dayKey]*cached[DayAgg]),
		gcache: make(map[Day]*cached[GroupDay]),
		acache: make(map[Day]*cached[Bitmap]),
	}
	if g.members == nil || g.days == nil || g.gdays == nil || g.ledger == nil || g.roster == nil || g.seen == nil {
		return nil, fmt.Errorf("group %s: damaged (missing bucket)", key)
	}
	tx.groups[key] = g
	return g, nil
}

// Key is the group's key, "platform/id".
func (g *Group) Key() string { return g.key }

func (g *Group) mustWrite() {
	if !g.tx.writable {
		panic("store: write in a read transaction")
	}
}

// Once reports true the first time it is asked about key in this
// transaction, for work that is needed once per group and transaction.
func (g *Group) Once(key string) bool {
	if g.once == nil {
		g.once = map[string]bool{}
	}
	if g.once[key] {
		return false
	}
	g.once[key] = true
	return true
}

// flush writes changed records. bbolt keeps references to the key and
// value slices given to Put until the commit, so each Put gets its own.
func (g *Group) flush() error {
	if err := g.flushMembers(); err != nil {
		return err
	}
	if err := g.flushDays(); err != nil {
		return err
	}
	if err := g.flushActive(); err != nil {
		return err
	}
	return g.flushGroupDays()
}

// ErrNoGroup is returned by readers asked for a group the file lacks.
var ErrNoGroup = errors.New("no such group")
