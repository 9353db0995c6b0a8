package bot

import (
	"context"
	"fmt"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// view runs fn on a group in a read transaction, refusing unknown groups
// with the list of known ones. An ended ctx is refused before the
// transaction opens; the reads themselves take milliseconds.
func (b *Bot) view(ctx context.Context, group string, fn func(g *store.Group, gs *groupState) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("read %s: %w", group, err)
	}
	gs := b.group(group)
	return b.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		if g == nil {
			return fmt.Errorf("group %q: %w (groups: %v)", group, ErrNoGroup, tx.Groups())
		}
		return fn(g, gs)
	})
}

// Report computes a group's metrics for the days days ending at `to`.
func (b *Bot) Report(ctx context.Context, group string, to calendar.Day, days int) (metrics.Report, error) {
	var rep metrics.Report
	err := b.view(ctx, group, func(g *store.Group, gs *groupState) error {
		eng, err := metrics.New(g, gs.Location)
		if err != nil {
			return err
		}
		rep, err = eng.Report(to, days)
		return err
	})
	return rep, err
}

// Daily returns a group's per-day figures over from..to; from 0 means the
// group's first day.
func (b *Bot) Daily(ctx context.Context, group string, from, to calendar.Day) ([]metrics.Day, error) {
	var out []metrics.Day
	err := b.view(ctx, group, func(g *store.Group, gs *groupState) error {
		eng, err := metrics.New(g, gs.Location)
		if err != nil {
			return err
		}
		if from == 0 {
			if from, err = eng.FirstDay(); err != nil || from == 0 {
				return err
			}
		}
		out, err = eng.Daily(from, to)
		return err
	})
	return out, err
}

// Today is the current local day of a group.
func (b *Bot) Today(group string) calendar.Day {
	return calendar.DayOf(b.clock.Now(), b.group(group).Location)
}

// BuildDigest assembles a group's digest of the week starting monday.
func (b *Bot) BuildDigest(ctx context.Context, group string, monday calendar.Day, fontPath string, noChart bool) (digest.Digest, error) {
	var d digest.Digest
	err := b.view(ctx, group, func(g *store.Group, gs *groupState) error {
		var err error
		d, err = digest.Build(g, digest.Input{Locale: gs.Locale, Location: gs.Location, Curve: gs.curve, Week: monday, FontPath: fontPath, NoChart: noChart})
		return err
	})
	return d, err
}
