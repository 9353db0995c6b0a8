package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/pulsebot/pulse/store"
)

// Digest delivery states.
const (
	DigestSending = "sending" // claimed; some recipients may still lack it
	DigestSent    = "sent"
	DigestFailed  = "failed"
)

// DigestRecord is what the core has recorded of one period's digest of a
// group, so that it is sent once whatever restarts or retries happen.
type DigestRecord struct {
	State    string
	Claimed  int64    // unix seconds the period was claimed
	Done     int64    // unix seconds it was sent or given up
	Attempts int64    // rounds of sending
	Error    string   // the last failure, when failed
	Sent     []string // the parts delivered ("group", "owner:<id>")
}

// HasSent reports whether the part was delivered.
func (r DigestRecord) HasSent(part string) bool {
	for _, p := range r.Sent {
		if p == part {
			return true
		}
	}
	return false
}

func digestFromStore(r store.DigestRecord) DigestRecord {
	return DigestRecord{State: r.State, Claimed: r.Claimed, Done: r.Done, Attempts: r.Attempts, Error: r.Error, Sent: r.Sent}
}

func (r DigestRecord) store() store.DigestRecord {
	return store.DigestRecord{State: r.State, Claimed: r.Claimed, Done: r.Done, Attempts: r.Attempts, Error: r.Error, Sent: r.Sent}
}

// Groups lists the keys of every group the core holds.
func (b *Bot) Groups(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	var groups []string
	if err := b.db.View(func(tx *store.Tx) error { groups = tx.Groups(); return nil }); err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return groups, nil
}

// DigestMissed reports whether the period's digest, due at due, is still
// owed: the group was known by then and the period was never decided, or
// its sending was interrupted (the missing parts are then resumed).
func (b *Bot) DigestMissed(ctx context.Context, group, period string, due time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("digest %s of %s: %w", period, group, err)
	}
	var missed bool
	err := b.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		st, _, err := g.Settings()
		if err != nil {
			return err
		}
		rec, found, err := g.Digest(period)
		if err != nil {
			return err
		}
		missed = st.Created <= due.Unix() && (!found || rec.State == DigestSending)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("digest %s of %s: %w", period, group, err)
	}
	return missed, nil
}

// ClaimDigest decides in one transaction whether to send the period's
// digest: a period with no record, or one left sending by an interrupted
// run, is claimed (and its attempts counted); any other is not, and its
// record is returned as it is.
func (b *Bot) ClaimDigest(ctx context.Context, group, period string) (DigestRecord, bool, error) {
	var rec store.DigestRecord
	var claimed bool
	now := b.clock.Now().Unix()
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		r, found, err := g.Digest(period)
		if err != nil {
			return err
		}
		claimed = !found || r.State == DigestSending
		if !claimed {
			rec = r
			return nil
		}
		if !found {
			r = store.DigestRecord{State: DigestSending, Claimed: now}
		}
		r.Attempts++
		rec = r
		return g.PutDigest(period, r)
	})
	if err != nil {
		return DigestRecord{}, false, fmt.Errorf("claim digest %s of %s: %w", period, group, err)
	}
	return digestFromStore(rec), claimed, nil
}

// RecordDigest keeps the progress of a claimed digest (the parts sent).
func (b *Bot) RecordDigest(ctx context.Context, group, period string, rec DigestRecord) error {
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		return g.PutDigest(period, rec.store())
	})
	if err != nil {
		return fmt.Errorf("record digest %s of %s: %w", period, group, err)
	}
	return nil
}

// FinishDigest closes a claimed digest as sent, or as failed with sendErr.
// It records even when ctx is already cancelled (a shutdown mid-send).
func (b *Bot) FinishDigest(ctx context.Context, group, period string, rec DigestRecord, sendErr error) error {
	rec.State, rec.Done = DigestSent, b.clock.Now().Unix()
	if sendErr != nil {
		rec.State, rec.Error = DigestFailed, sendErr.Error()
	}
	return b.RecordDigest(context.WithoutCancel(ctx), group, period, rec)
}
