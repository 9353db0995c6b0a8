package bot

import (
	"context"
	"fmt"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// IngestResult counts what a batch did.
type IngestResult struct {
	Recorded   int // events applied
	Duplicates int // events whose ID was already recorded
	Invalid    int // events refused by validation (see Errors)
}

// Ingest records a batch of past events in one transaction, for importers
// of history. Events go through the same rules as live ones — activity
// aggregates, XP with the cooldown applied by the events' own times,
// replies, mentions, reactions, joins and leaves — but commands in the
// history are counted as messages and not run, and nothing is answered.
// Events must be in time order per member for the XP cooldown to apply
// as it would have live. The batch is atomic: all of it or none.
func (b *Bot) Ingest(ctx context.Context, evs []Event) (IngestResult, error) {
	var res IngestResult
	type item struct {
		ev Event
		gs *groupState
	}
	items := make([]item, 0, len(evs))
	for _, ev := range evs {
		if err := b.normalise(&ev); err != nil {
			res.Invalid++
			continue
		}
		ev.history = true
		items = append(items, item{ev, b.group(ev.Group)})
	}
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		res.Recorded, res.Duplicates = 0, 0
		for i := range items {
			it := &items[i]
			dup, err := b.applyHistory(tx, it.gs, &it.ev)
			if err != nil {
				return fmt.Errorf("%s event in %s: %w", it.ev.Kind, it.ev.Group, err)
			}
			if dup {
				res.Duplicates++
			} else {
				res.Recorded++
			}
		}
		return nil
	})
	if err != nil {
		return IngestResult{Invalid: res.Invalid}, err
	}
	return res, nil
}

// applyHistory applies one past event; it reports duplicates.
func (b *Bot) applyHistory(tx *store.Tx, gs *groupState, ev *Event) (dup bool, err error) {
	g, err := tx.Group(ev.Group)
	if err != nil {
		return false, err
	}
	if g.Once("settings") {
		if err := b.recordSettings(g, gs, ev.Time); err != nil {
			return false, err
		}
	}
	day := calendar.DayOf(ev.Time, gs.Location)
	if ev.ID != "" {
		// History keeps its ids for good (not the live dedup window), so
		// an overlapping re-import counts nothing twice.
		key := ev.Kind.String()[:1] + ":" + ev.ID
		if g.HasSeen(day, key) {
			return true, nil // recorded live already
		}
		if dup, err = g.Imported(key); err != nil || dup {
			return dup, err
		}
	}
	c := &call{bot: b, tx: tx, g: g, gs: gs, ev: ev, day: day, loc: gs.Locale}
	return false, c.dispatch()
}
