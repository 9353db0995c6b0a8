package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

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

type dayKey struct {
	day Day
	id  string
}

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

// Key is the group's key, "platform/id".
func (g *Group) Key() string { return g.key }

func (g *Group) member(id string, write bool) (*Member, error) {
	if write {
		g.mustWrite()
	}
	c, ok := g.mcache[id]
	if !ok {
		c = &cached[Member]{}
		v := g.members.Get([]byte(id))
		if v == nil && !write {
			return nil, nil
		}
		if v != nil {
			if err := c.v.unmarshal(v); err != nil {
				return nil, fmt.Errorf("group %s member %q: %w", g.key, id, err)
			}
		} else {
			// A new member gets the next dense index of the group: their
			// bit in the daily activity bitmaps.
			seq, err := g.members.NextSequence()
			if err != nil {
				return nil, fmt.Errorf("group %s member %q: %w", g.key, id, err)
			}
			c.v.Index = uint32(seq)
		}
		g.mcache[id] = c
	}
	if write {
		g.mustWrite()
		c.dirty = true
	}
	return &c.v, nil
}

func (g *Group) mustWrite() {
	if !g.tx.writable {
		panic("store: write in a read transaction")
	}
}

// MemberCount is how many member records the group has ever had (an
// upper bound of its member indexes), for sizing.
func (g *Group) MemberCount() int { return int(g.members.Sequence()) }

// Member returns a member for reading, nil if unknown.
func (g *Group) Member(id string) (*Member, error) { return g.member(id, false) }

// MemberW returns a member for changing, creating a zero record if needed.
// Changes are written when the transaction commits.
func (g *Group) MemberW(id string) (*Member, error) { return g.member(id, true) }

func dayKeyBytes(buf []byte, d Day, id string) []byte {
	return append(binary.BigEndian.AppendUint32(buf[:0], uint32(d)), id...)
}

func (g *Group) day(d Day, id string, write bool) (*DayAgg, error) {
	k := dayKey{d, id}
	c, ok := g.dcache[k]
	if !ok {
		c = &cached[DayAgg]{}
		g.tx.buf = dayKeyBytes(g.tx.buf, d, id)
		if v := g.days.Get(g.tx.buf); v != nil {
			if err := c.v.unmarshal(v); err != nil {
				return nil, fmt.Errorf("group %s day %s member %q: %w", g.key, d, id, err)
			}
		}
		g.dcache[k] = c
	}
	if write {
		g.mustWrite()
		c.dirty = true
	}
	return &c.v, nil
}

// Day returns a member's aggregate of a day for reading (zero if none).
func (g *Group) Day(d Day, id string) (*DayAgg, error) { return g.day(d, id, false) }

// DayW returns a member's aggregate of a day for changing.
func (g *Group) DayW(d Day, id string) (*DayAgg, error) { return g.day(d, id, true) }

func (g *Group) groupDay(d Day, write bool) (*GroupDay, error) {
	c, ok := g.gcache[d]
	if !ok {
		c = &cached[GroupDay]{}
		if v := g.gdays.Get(binary.BigEndian.AppendUint32(nil, uint32(d))); v != nil {
			if err := c.v.unmarshal(v); err != nil {
				return nil, fmt.Errorf("group %s day %s: %w", g.key, d, err)
			}
		}
		g.gcache[d] = c
	}
	if write {
		g.mustWrite()
		c.dirty = true
	}
	return &c.v, nil
}

// GroupDay returns the group's sums of a day for reading.
func (g *Group) GroupDay(d Day) (*GroupDay, error) { return g.groupDay(d, false) }

// GroupDayW returns the group's sums of a day for changing.
func (g *Group) GroupDayW(d Day) (*GroupDay, error) { return g.groupDay(d, true) }

// flush writes changed records. bbolt keeps references to the key and
// value slices given to Put until the commit, so each Put gets its own.
func (g *Group) flush() error {
	for id, c := range g.mcache {
		if c.dirty {
			if err := g.members.Put([]byte(id), c.v.marshal(nil)); err != nil {
				return fmt.Errorf("write member %s/%s: %w", g.key, id, err)
			}
		}
	}
	// Day keys in order: bbolt appends sequential keys far faster.
	keys := make([]dayKey, 0, len(g.dcache))
	for k, c := range g.dcache {
		if c.dirty {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].day != keys[j].day {
			return keys[i].day < keys[j].day
		}
		return keys[i].id < keys[j].id
	})
	for _, k := range keys {
		if err := g.days.Put(dayKeyBytes(nil, k.day, k.id), g.dcache[k].v.marshal(nil)); err != nil {
			return fmt.Errorf("write day %s/%s: %w", g.key, k.day, err)
		}
	}
	if err := g.flushActive(); err != nil {
		return err
	}
	for d, c := range g.gcache {
		if c.dirty {
			if err := g.gdays.Put(binary.BigEndian.AppendUint32(nil, uint32(d)), c.v.marshal(nil)); err != nil {
				return fmt.Errorf("write day %s/%s: %w", g.key, d, err)
			}
		}
	}
	return nil
}

// Seen records a platform id for the day and reports whether it was
// already recorded (a duplicate).
func (g *Group) Seen(d Day, id string) (bool, error) {
	g.mustWrite()
	k := dayKeyBytes(nil, d, id)
	if g.seen.Get(k) != nil {
		return true, nil
	}
	if err := g.seen.Put(k, []byte{}); err != nil {
		return false, fmt.Errorf("record id %s/%s: %w", g.key, id, err)
	}
	return false, nil
}

// HasSeen reports whether an id was recorded for day d, without recording it.
func (g *Group) HasSeen(d Day, id string) bool {
	return g.seen.Get(dayKeyBytes(nil, d, id)) != nil
}

// HasImported reports whether an imported event had this id.
func (g *Group) HasImported(id string) bool {
	if g.imported == nil {
		g.imported = g.b.Bucket(bImported)
	}
	return g.imported != nil && g.imported.Get([]byte(id)) != nil
}

// Imported records the id of an imported event for good and reports
// whether it was already recorded. Imports keep ids forever so an
// overlapping re-import counts nothing twice.
func (g *Group) Imported(id string) (bool, error) {
	g.mustWrite()
	if g.imported == nil {
		b, err := g.b.CreateBucketIfNotExists(bImported)
		if err != nil {
			return false, fmt.Errorf("imported ids of %s: %w", g.key, err)
		}
		g.imported = b
	}
	b := g.imported
	if b.Get([]byte(id)) != nil {
		return true, nil
	}
	if err := b.Put([]byte(id), []byte{}); err != nil {
		return false, fmt.Errorf("imported ids of %s: %w", g.key, err)
	}
	return false, nil
}

// PruneSeen forgets the ids of days before `before`, at most max of them
// per call (0: all), keeping the set bounded. It returns how many it
// removed and whether some are left for the next call.
func (g *Group) PruneSeen(before Day, max int) (n int, more bool, err error) {
	g.mustWrite()
	c := g.seen.Cursor()
	end := binary.BigEndian.AppendUint32(nil, uint32(before))
	for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.First() {
		if max > 0 && n == max {
			return n, true, nil
		}
		if err := c.Delete(); err != nil {
			return n, false, fmt.Errorf("prune ids of %s: %w", g.key, err)
		}
		n++
	}
	return n, false, nil
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

// AppendLedger adds an entry to the points ledger. The caller changes the
// member's balance in the same transaction.
func (g *Group) AppendLedger(e LedgerEntry) error {
	g.mustWrite()
	seq, err := g.ledger.NextSequence()
	if err != nil {
		return fmt.Errorf("ledger of %s: %w", g.key, err)
	}
	if err := g.ledger.Put(binary.BigEndian.AppendUint64(nil, seq), e.marshal()); err != nil {
		return fmt.Errorf("ledger of %s: %w", g.key, err)
	}
	return nil
}

// ForEachLedger visits the ledger in order.
func (g *Group) ForEachLedger(fn func(e LedgerEntry) error) error {
	return g.ledger.ForEach(func(k, v []byte) error {
		var e LedgerEntry
		if err := e.unmarshal(v); err != nil {
			return fmt.Errorf("ledger of %s entry %x: %w", g.key, k, err)
		}
		return fn(e)
	})
}

// AppendRoster records a join or leave.
func (g *Group) AppendRoster(e RosterEntry) error {
	g.mustWrite()
	seq, err := g.roster.NextSequence()
	if err != nil {
		return fmt.Errorf("roster of %s: %w", g.key, err)
	}
	k := binary.BigEndian.AppendUint64(nil, uint64(e.Time))
	k = binary.BigEndian.AppendUint64(k, seq)
	if err := g.roster.Put(k, e.marshal()); err != nil {
		return fmt.Errorf("roster of %s: %w", g.key, err)
	}
	return nil
}

// ForEachRoster visits joins and leaves with from ≤ time < to (unix seconds).
func (g *Group) ForEachRoster(from, to int64, fn func(e RosterEntry) error) error {
	c := g.roster.Cursor()
	end := binary.BigEndian.AppendUint64(nil, uint64(to))
	for k, v := c.Seek(binary.BigEndian.AppendUint64(nil, uint64(from))); k != nil && bytes.Compare(k[:8], end) < 0; k, v = c.Next() {
		var e RosterEntry
		if err := e.unmarshal(v); err != nil {
			return fmt.Errorf("roster of %s: %w", g.key, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// ForEachMember visits every member in id order, including changes made
// earlier in this transaction.
func (g *Group) ForEachMember(fn func(id string, m *Member) error) error {
	if g.tx.writable {
		if err := g.flush(); err != nil {
			return err
		}
	}
	var m Member
	return g.members.ForEach(func(k, v []byte) error {
		if c, ok := g.mcache[string(k)]; ok {
			return fn(string(k), &c.v)
		}
		if err := m.unmarshal(v); err != nil {
			return fmt.Errorf("group %s member %q: %w", g.key, k, err)
		}
		return fn(string(k), &m)
	})
}

// ForEachDay visits member-day aggregates with from ≤ day ≤ to, in day
// then member order. The record passed to fn is reused between calls.
func (g *Group) ForEachDay(from, to Day, fn func(d Day, id string, a *DayAgg) error) error {
	if g.tx.writable {
		if err := g.flush(); err != nil {
			return err
		}
	}
	var a DayAgg
	c := g.days.Cursor()
	for k, v := c.Seek(binary.BigEndian.AppendUint32(nil, uint32(from))); k != nil; k, v = c.Next() {
		if len(k) < 4 {
			return fmt.Errorf("group %s: damaged day key %x", g.key, k)
		}
		d := Day(binary.BigEndian.Uint32(k))
		if d > to {
			break
		}
		id := string(k[4:])
		if cc, ok := g.dcache[dayKey{d, id}]; ok {
			if err := fn(d, id, &cc.v); err != nil {
				return err
			}
			continue
		}
		if err := a.unmarshal(v); err != nil {
			return fmt.Errorf("group %s day %s: %w", g.key, d, err)
		}
		if err := fn(d, id, &a); err != nil {
			return err
		}
	}
	return nil
}

// ForEachGroupDay visits the group's daily sums with from ≤ day ≤ to.
func (g *Group) ForEachGroupDay(from, to Day, fn func(d Day, s *GroupDay) error) error {
	if g.tx.writable {
		if err := g.flush(); err != nil {
			return err
		}
	}
	var s GroupDay
	c := g.gdays.Cursor()
	for k, v := c.Seek(binary.BigEndian.AppendUint32(nil, uint32(from))); k != nil; k, v = c.Next() {
		d := Day(binary.BigEndian.Uint32(k))
		if d > to {
			break
		}
		if err := s.unmarshal(v); err != nil {
			return fmt.Errorf("group %s day %s: %w", g.key, d, err)
		}
		if err := fn(d, &s); err != nil {
			return err
		}
	}
	return nil
}

// Settings returns what the store remembers of the group; ok is false if
// nothing was recorded yet.
func (g *Group) Settings() (s Settings, ok bool, err error) {
	v := g.b.Get(kSettings)
	if v == nil {
		return s, false, nil
	}
	if err := s.unmarshal(v); err != nil {
		return s, false, fmt.Errorf("group %s: %w", g.key, err)
	}
	return s, true, nil
}

// PutSettings records the group's settings.
func (g *Group) PutSettings(s Settings) error {
	g.mustWrite()
	if err := g.b.Put(kSettings, s.marshal()); err != nil {
		return fmt.Errorf("settings of %s: %w", g.key, err)
	}
	return nil
}

// ErrNoGroup is returned by readers asked for a group the file lacks.
var ErrNoGroup = errors.New("no such group")

// bucketRef holds a bucket that may not exist yet.
type bucketRef struct{ b *bolt.Bucket }
