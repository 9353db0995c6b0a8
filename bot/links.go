package bot

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pulsebot/pulse/bot/links"
	"github.com/pulsebot/pulse/store"
)

// Identity links: an adapter whose platform has no ids that survive a
// reconnect keeps stable ids of its own, each behind a record only it can
// read (package links). The core keeps them per platform, with a member
// number sequence and the ids of operations carried out once.

// Links returns a platform's group link records and its next member
// number.
func (b *Bot) Links(ctx context.Context, platform string) (links.Set, error) {
	if err := ctx.Err(); err != nil {
		return links.Set{}, fmt.Errorf("read %s links: %w", platform, err)
	}
	var set links.Set
	err := b.db.View(func(tx *store.Tx) error {
		gs, err := tx.IdentityGroups(platform)
		if err != nil {
			return err
		}
		set.Groups = fromStore(gs)
		set.Next, err = tx.IdentitySeq(platform)
		return err
	})
	if err != nil {
		return links.Set{}, fmt.Errorf("read %s links: %w", platform, err)
	}
	return set, nil
}

// MemberLinks returns the member link records of one of a platform's
// groups (by the group record's id), in id order.
func (b *Bot) MemberLinks(ctx context.Context, platform, group string) ([]links.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %s member links of %s: %w", platform, group, err)
	}
	var out []links.Record
	err := b.db.View(func(tx *store.Tx) error {
		ms, err := tx.IdentityMembers(platform, group)
		out = fromStore(ms)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read %s member links of %s: %w", platform, group, err)
	}
	return out, nil
}

// SaveLinks writes a batch of link records and raises the member number
// in one transaction, returning once it is durably committed (an id is on
// disk before any event uses it).
func (b *Bot) SaveLinks(ctx context.Context, platform string, batch links.Batch) error {
	if batch.Empty() && batch.Next == 0 {
		return nil
	}
	groups := make([]string, 0, len(batch.Members))
	for gid := range batch.Members {
		groups = append(groups, gid)
	}
	sort.Strings(groups)
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		for _, g := range batch.Groups {
			if err := tx.PutIdentityGroup(platform, store.IdentityRecord(g)); err != nil {
				return err
			}
		}
		for _, gid := range groups {
			for _, m := range batch.Members[gid] {
				if err := tx.PutIdentityMember(platform, gid, store.IdentityRecord(m)); err != nil {
					return err
				}
			}
		}
		if batch.Next == 0 {
			return nil
		}
		return tx.RaiseIdentitySeq(platform, batch.Next)
	})
	if err != nil {
		return fmt.Errorf("save %s links: %w", platform, err)
	}
	return nil
}

// ClaimOp records that the platform's operation id (a command known by
// its message id) is carried out at at, and reports whether this is the
// first time: a replayed command is not carried out twice.
func (b *Bot) ClaimOp(ctx context.Context, platform, id string, at time.Time) (first bool, err error) {
	err = b.db.Update(ctx, func(tx *store.Tx) error {
		done, err := tx.IdentityOp(platform, id, at.Unix())
		first = !done
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim %s operation %q: %w", platform, id, err)
	}
	return first, nil
}

// PruneOps forgets the platform's operations carried out before before
// (replays are recent) and returns how many it forgot.
func (b *Bot) PruneOps(ctx context.Context, platform string, before time.Time) (int, error) {
	var n int
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.PruneIdentityOps(platform, before.Unix())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune %s operations: %w", platform, err)
	}
	return n, nil
}

func fromStore(rs []store.IdentityRecord) []links.Record {
	if rs == nil {
		return nil
	}
	out := make([]links.Record, len(rs))
	for i, r := range rs {
		out[i] = links.Record(r)
	}
	return out
}
