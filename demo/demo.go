// Package demo simulates a realistic community through Pulse's real core
// and shows what its members, admins and owners see. `pulse demo` runs it
// against a fresh database so that anyone can try Pulse in seconds without
// a platform account.
//
// Everything goes through the core the way an adapter's traffic does:
// events are submitted in time order with many in flight (the store
// commits them in groups), replies come back from Pending.Wait, and the
// figures shown are read back with bot.Members. The same Seed gives the
// same community, the same conversation and the same output.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/calendar"
)

// Options configure a demo run. Zero values take the defaults.
type Options struct {
	Group   string    // default "console/demo"
	Locale  string    // "en" or "zh"; default the group's locale
	Members int       // people in the simulated community; default 300
	Weeks   int       // simulated weeks; default 6
	End     time.Time // last simulated instant; default the bot's clock's now
	Seed    uint64    // default 1: the same demo every run
	// Window bounds the events in flight; default 2048.
	Window int
}

// Summary counts what a run simulated.
type Summary struct {
	// Members is the number of people simulated (bots excluded), including
	// those who joined during the period and those who left.
	Members int
	// Events is every event submitted to the core; Messages the members'
	// messages among them (chat and commands, bots' posts excluded);
	// Checkins the on-time check-ins, Makeups the make-up check-ins.
	Events, Messages, Checkins, Joins, Leaves int
	Makeups, Reactions                        int
	// Elapsed is the wall time the core took to ingest the events.
	Elapsed time.Duration
}

// EventsPerSecond is the ingest rate of the run.
func (s Summary) EventsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Events) / s.Elapsed.Seconds()
}

func (o *Options) defaults(b *bot.Bot) error {
	if o.Group == "" {
		o.Group = "console/demo"
	}
	if o.Members == 0 {
		o.Members = 300
	}
	if o.Weeks == 0 {
		o.Weeks = 6
	}
	if o.End.IsZero() {
		o.End = b.Clock().Now()
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Window <= 0 {
		o.Window = 2048
	}
	switch {
	case o.Members < 10 || o.Members > 100_000:
		return fmt.Errorf("members: %d is not between 10 and 100000", o.Members)
	case o.Weeks < 1 || o.Weeks > 104:
		return fmt.Errorf("weeks: %d is not between 1 and 104", o.Weeks)
	case o.Locale != "" && !i18n.Valid(o.Locale):
		return fmt.Errorf("locale: %q is not zh or en", o.Locale)
	}
	return nil
}

// Run simulates a community through b and writes to out what members,
// admins and owners see. The group must not exist yet in b's database: the
// demo's events would otherwise mix with a real group's.
func Run(ctx context.Context, b *bot.Bot, out io.Writer, o Options) (Summary, error) {
	if err := o.defaults(b); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	// A second run into the same database would be dropped as replayed
	// traffic and mix two communities: the demo wants a fresh one.
	if _, _, ok, err := b.StoredSettings(ctx, o.Group); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	} else if ok {
		return Summary{}, fmt.Errorf("demo: %s already holds group %s; the demo needs a fresh database", b.Path(), o.Group)
	}
	gs := b.Group(o.Group)
	if o.Locale == "" {
		o.Locale = gs.Locale
	}
	s := newSim(b, gs, o)
	start := time.Now()
	if err := s.simulate(ctx); err != nil {
		return s.sum, fmt.Errorf("demo: simulate: %w", err)
	}
	if err := s.finale(ctx); err != nil {
		return s.sum, fmt.Errorf("demo: last day: %w", err)
	}
	s.sum.Elapsed = time.Since(start)
	rows, err := b.Members(ctx, o.Group, o.End)
	if err != nil {
		return s.sum, fmt.Errorf("demo: %w", err)
	}
	r := &report{sim: s, rows: rows}
	// The digest owners would get on the last Monday, for the week before.
	today := calendar.DayOf(o.End, gs.Location)
	d, err := b.BuildDigest(ctx, o.Group, calendar.Monday(today)-7, "", false)
	if err != nil {
		return s.sum, fmt.Errorf("demo: digest: %w", err)
	}
	r.digest = &d
	if err := r.write(out); err != nil {
		return s.sum, fmt.Errorf("demo: write: %w", err)
	}
	return s.sum, nil
}
