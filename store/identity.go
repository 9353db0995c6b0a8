package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Identity records let an adapter keep stable ids of its own for groups
// and members when the platform has none that survive a reconnect (a
// WeChat UserName changes at every login). They live in a top-level bucket
// of their own, one sub-bucket per platform, and only the adapter of that
// platform reads them; the core never does:
//
//	identity/<platform>/groups         group id → IdentityGroup
//	identity/<platform>/members/<gid>  member id → IdentityMember
//	identity/<platform>/ops            operation id → unix seconds
//	identity/<platform>/seq            next member number (uint64)
//
// Writes go through DB.Update like every other write.
var (
	bIdentity  = []byte("identity")
	bIDGroups  = []byte("groups")
	bIDMembers = []byte("members")
	bIDOps     = []byte("ops")
	kIDSeq     = []byte("seq")
)

// IdentityGroup is a group as an adapter identifies it across sessions.
type IdentityGroup struct {
	ID      string   // stable id: the group key is "platform/ID"
	Name    string   // the group's current name
	Names   []string // earlier names, oldest first
	Created int64    // unix seconds
	Seen    int64    // unix seconds the group was last linked to a session
}

// IdentityMember is a member as an adapter identifies them across sessions.
type IdentityMember struct {
	ID      string   // stable id, unique per platform
	Nick    string   // nickname when last seen
	Display string   // display name in the group when last seen ("" if none)
	Avatar  string   // avatar id when last seen ("" if unknown)
	Attr    int64    // platform attribute bits when last seen (0 if unknown)
	Names   []string // earlier nicknames and display names, oldest first

	FirstSeen int64 // unix seconds
	LastSeen  int64 // unix seconds last seen in a member list or active
	// Missing is when a member list first lacked the member (0: listed).
	Missing int64
	// Left is set once the member's leave was reported to the core.
	Left bool
	// Ambiguous marks an id created for a member who could not be told
	// apart from another (same names); it can be claimed or merged.
	Ambiguous bool
	// MergedInto is the id this member's identity was merged into ("" if
	// none); a merged id is never linked again.
	MergedInto string
}

func (g *IdentityGroup) marshal() []byte {
	e := enc{recordVersion}.s(g.ID).s(g.Name).u(uint64(len(g.Names)))
	for _, n := range g.Names {
		e = e.s(n)
	}
	return e.i(g.Created).i(g.Seen)
}

func (g *IdentityGroup) unmarshal(b []byte) error {
	d, err := newDec("identity group", b)
	if err != nil {
		return err
	}
	g.ID, g.Name = d.s(), d.s()
	g.Names = d.strings()
	g.Created, g.Seen = d.i(), d.i()
	return d.done("identity group")
}

func (m *IdentityMember) marshal() []byte {
	e := enc{recordVersion}.s(m.ID).s(m.Nick).s(m.Display).s(m.Avatar).i(m.Attr).u(uint64(len(m.Names)))
	for _, n := range m.Names {
		e = e.s(n)
	}
	return e.i(m.FirstSeen).i(m.LastSeen).i(m.Missing).b(m.Left).b(m.Ambiguous).s(m.MergedInto)
}

func (m *IdentityMember) unmarshal(b []byte) error {
	d, err := newDec("identity member", b)
	if err != nil {
		return err
	}
	m.ID, m.Nick, m.Display, m.Avatar = d.s(), d.s(), d.s(), d.s()
	m.Attr = d.i()
	m.Names = d.strings()
	m.FirstSeen, m.LastSeen, m.Missing = d.i(), d.i(), d.i()
	m.Left, m.Ambiguous = d.b1(), d.b1()
	m.MergedInto = d.s()
	return d.done("identity member")
}

// strings reads a counted list of strings.
func (d *dec) strings() []string {
	n := d.u()
	if d.err != nil || n == 0 {
		return nil
	}
	if n > uint64(len(d.b)) { // each string takes at least one byte
		d.err = errShort
		return nil
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, d.s())
	}
	return out
}

// identity returns the platform's bucket, creating it in a write
// transaction; nil in a read transaction where it does not exist yet.
func (tx *Tx) identity(platform string) (*bolt.Bucket, error) {
	if platform == "" {
		return nil, fmt.Errorf("identity: empty platform")
	}
	root := tx.btx.Bucket(bIdentity)
	if root == nil {
		if !tx.writable {
			return nil, nil
		}
		var err error
		if root, err = tx.btx.CreateBucket(bIdentity); err != nil {
			return nil, fmt.Errorf("identity: %w", err)
		}
	}
	b := root.Bucket([]byte(platform))
	if b != nil || !tx.writable {
		return b, nil
	}
	b, err := root.CreateBucket([]byte(platform))
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", platform, err)
	}
	for _, name := range [][]byte{bIDGroups, bIDMembers, bIDOps} {
		if _, err := b.CreateBucket(name); err != nil {
			return nil, fmt.Errorf("identity %s: %w", platform, err)
		}
	}
	return b, nil
}

func (tx *Tx) identitySub(platform string, name []byte) (*bolt.Bucket, error) {
	b, err := tx.identity(platform)
	if err != nil || b == nil {
		return nil, err
	}
	sub := b.Bucket(name)
	if sub == nil {
		return nil, fmt.Errorf("identity %s: damaged (missing bucket %s)", platform, name)
	}
	return sub, nil
}

func (tx *Tx) identityWrite(platform string) error {
	if !tx.writable {
		return fmt.Errorf("identity %s: write in a read transaction", platform)
	}
	return nil
}

// IdentityGroups lists the platform's groups in id order.
func (tx *Tx) IdentityGroups(platform string) ([]IdentityGroup, error) {
	b, err := tx.identitySub(platform, bIDGroups)
	if err != nil || b == nil {
		return nil, err
	}
	var out []IdentityGroup
	err = b.ForEach(func(k, v []byte) error {
		var g IdentityGroup
		if err := g.unmarshal(v); err != nil {
			return fmt.Errorf("identity %s group %q: %w", platform, k, err)
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

// PutIdentityGroup records a group under its ID.
func (tx *Tx) PutIdentityGroup(platform string, g IdentityGroup) error {
	if err := tx.identityWrite(platform); err != nil {
		return err
	}
	if g.ID == "" {
		return fmt.Errorf("identity %s: group without an id", platform)
	}
	b, err := tx.identitySub(platform, bIDGroups)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(g.ID), g.marshal()); err != nil {
		return fmt.Errorf("identity %s group %q: %w", platform, g.ID, err)
	}
	return nil
}

// IdentityMembers lists the members of a group in id order (none if the
// group has no members recorded).
func (tx *Tx) IdentityMembers(platform, group string) ([]IdentityMember, error) {
	b, err := tx.identitySub(platform, bIDMembers)
	if err != nil || b == nil {
		return nil, err
	}
	gb := b.Bucket([]byte(group))
	if gb == nil {
		return nil, nil
	}
	var out []IdentityMember
	err = gb.ForEach(func(k, v []byte) error {
		var m IdentityMember
		if err := m.unmarshal(v); err != nil {
			return fmt.Errorf("identity %s member %s/%q: %w", platform, group, k, err)
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// PutIdentityMember records a member of a group under its ID.
func (tx *Tx) PutIdentityMember(platform, group string, m IdentityMember) error {
	if err := tx.identityWrite(platform); err != nil {
		return err
	}
	if group == "" || m.ID == "" {
		return fmt.Errorf("identity %s: member %q of group %q: empty id", platform, m.ID, group)
	}
	b, err := tx.identitySub(platform, bIDMembers)
	if err != nil {
		return err
	}
	gb, err := b.CreateBucketIfNotExists([]byte(group))
	if err != nil {
		return fmt.Errorf("identity %s members of %q: %w", platform, group, err)
	}
	if err := gb.Put([]byte(m.ID), m.marshal()); err != nil {
		return fmt.Errorf("identity %s member %s/%q: %w", platform, group, m.ID, err)
	}
	return nil
}

// IdentitySeq returns the platform's next member number (1 if none was
// ever allocated).
func (tx *Tx) IdentitySeq(platform string) (uint64, error) {
	b, err := tx.identity(platform)
	if err != nil || b == nil {
		return 1, err
	}
	v := b.Get(kIDSeq)
	if v == nil {
		return 1, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("identity %s: damaged sequence", platform)
	}
	return binary.BigEndian.Uint64(v), nil
}

// RaiseIdentitySeq makes the platform's next member number at least next;
// it never lowers it, so writers that allocated numbers concurrently can
// record them in any order.
func (tx *Tx) RaiseIdentitySeq(platform string, next uint64) error {
	if err := tx.identityWrite(platform); err != nil {
		return err
	}
	cur, err := tx.IdentitySeq(platform)
	if err != nil || next <= cur {
		return err
	}
	b, err := tx.identity(platform)
	if err != nil {
		return err
	}
	if err := b.Put(kIDSeq, binary.BigEndian.AppendUint64(nil, next)); err != nil {
		return fmt.Errorf("identity %s sequence: %w", platform, err)
	}
	return nil
}

// IdentityOp records that the operation id (for example an adapter command
// identified by its platform message id) was carried out at unix time at,
// and reports whether it had been recorded already, so a replayed command
// is not carried out twice.
func (tx *Tx) IdentityOp(platform, id string, at int64) (done bool, err error) {
	if err := tx.identityWrite(platform); err != nil {
		return false, err
	}
	b, err := tx.identitySub(platform, bIDOps)
	if err != nil {
		return false, err
	}
	if b.Get([]byte(id)) != nil {
		return true, nil
	}
	if err := b.Put([]byte(id), binary.BigEndian.AppendUint64(nil, uint64(at))); err != nil {
		return false, fmt.Errorf("identity %s op %q: %w", platform, id, err)
	}
	return false, nil
}

// PruneIdentityOps forgets operations recorded before unix time before and
// returns how many it removed.
func (tx *Tx) PruneIdentityOps(platform string, before int64) (int, error) {
	if err := tx.identityWrite(platform); err != nil {
		return 0, err
	}
	b, err := tx.identitySub(platform, bIDOps)
	if err != nil {
		return 0, err
	}
	var old [][]byte
	err = b.ForEach(func(k, v []byte) error {
		if len(v) == 8 && int64(binary.BigEndian.Uint64(v)) < before {
			old = append(old, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, fmt.Errorf("identity %s ops: %w", platform, err)
		}
	}
	return len(old), nil
}
