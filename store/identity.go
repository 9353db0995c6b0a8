package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Identity records let an adapter keep stable ids of its own for groups
// and members when the platform has none that survive a reconnect. They
// live in a top-level bucket of their own, one sub-bucket per platform;
// the records are opaque bytes that the platform's adapter encodes, so the
// store knows nothing of any platform's shape:
//
//	identity/<platform>/groups         group id → record
//	identity/<platform>/members/<gid>  member id → record
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

// IdentityRecord is one opaque identity record under its id.
type IdentityRecord struct {
	ID   string
	Data []byte // the adapter's encoding; a copy, safe after the transaction
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

// records copies a bucket's records out, in id order.
func records(b *bolt.Bucket) []IdentityRecord {
	var out []IdentityRecord
	_ = b.ForEach(func(k, v []byte) error {
		if v != nil { // a nested bucket is no record
			out = append(out, IdentityRecord{ID: string(k), Data: append([]byte(nil), v...)})
		}
		return nil
	})
	return out
}

// IdentityGroups lists the platform's group records in id order.
func (tx *Tx) IdentityGroups(platform string) ([]IdentityRecord, error) {
	b, err := tx.identitySub(platform, bIDGroups)
	if err != nil || b == nil {
		return nil, err
	}
	return records(b), nil
}

// PutIdentityGroup records a group's record under its id.
func (tx *Tx) PutIdentityGroup(platform string, r IdentityRecord) error {
	if err := tx.identityWrite(platform); err != nil {
		return err
	}
	if r.ID == "" {
		return fmt.Errorf("identity %s: group without an id", platform)
	}
	b, err := tx.identitySub(platform, bIDGroups)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(r.ID), r.Data); err != nil {
		return fmt.Errorf("identity %s group %q: %w", platform, r.ID, err)
	}
	return nil
}

// IdentityMembers lists the member records of a group in id order (none
// if the group has no members recorded).
func (tx *Tx) IdentityMembers(platform, group string) ([]IdentityRecord, error) {
	b, err := tx.identitySub(platform, bIDMembers)
	if err != nil || b == nil {
		return nil, err
	}
	gb := b.Bucket([]byte(group))
	if gb == nil {
		return nil, nil
	}
	return records(gb), nil
}

// PutIdentityMember records a member's record in a group under its id.
func (tx *Tx) PutIdentityMember(platform, group string, r IdentityRecord) error {
	if err := tx.identityWrite(platform); err != nil {
		return err
	}
	if group == "" || r.ID == "" {
		return fmt.Errorf("identity %s: member %q of group %q: empty id", platform, r.ID, group)
	}
	b, err := tx.identitySub(platform, bIDMembers)
	if err != nil {
		return err
	}
	gb, err := b.CreateBucketIfNotExists([]byte(group))
	if err != nil {
		return fmt.Errorf("identity %s members of %q: %w", platform, group, err)
	}
	if err := gb.Put([]byte(r.ID), r.Data); err != nil {
		return fmt.Errorf("identity %s member %s/%q: %w", platform, group, r.ID, err)
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
	if id == "" {
		return false, fmt.Errorf("identity %s: empty operation id", platform)
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
