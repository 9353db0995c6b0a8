package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

type statsArgs struct {
	Group string `json:"group"`
	At    string `json:"at,omitempty"`
	Days  int    `json:"days"`
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", "-db FILE -group GROUP [-at YYYY-MM-DD] [-days N] [-json] [-config FILE]")
	dbPath := fs.String("db", "pulse.db", "database `file`")
	group := fs.String("group", "", "group key, e.g. console/demo (required)")
	at := fs.String("at", "", "last local `day` of the window, YYYY-MM-DD (default: yesterday in the group's zone, the last complete day)")
	days := fs.Int("days", 7, "window length in days, 1–365")
	asJSON := fs.Bool("json", false, "print JSON with snake_case metric keys and a previous object")
	cfgPath := fs.String("config", "", "config `file` (default: built-in rules)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *group == "" {
		return usagef("-group is required (e.g. -group console/demo)")
	}
	if *days < 1 || *days > 365 {
		return usagef("-days %d: want 1 to 365", *days)
	}
	if *at != "" {
		if _, err := calendar.ParseDay(*at); err != nil {
			return usagef("-at: %v", err)
		}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	a := statsArgs{Group: *group, At: *at, Days: *days}
	p, err := query(ctx, *dbPath, "stats", a, func(db *store.DB) (statsPayload, error) {
		return report(ctx, readerBot(db, cfg), a)
	})
	if err != nil {
		return err
	}
	rep, locale := p.Report, p.Locale
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintln(e.stdout, digest.StatsText(locale, digest.Period{Key: "days", Days: a.Days}, rep, nil, nil))
	s := rep.Segments
	fmt.Fprintln(e.stdout, i18n.T(locale, "digest.segments", s.New, s.Core, s.Active, s.Casual, s.Silent, s.AtRisk))
	return nil
}

// statsPayload is a report with the language the group is read in.
type statsPayload struct {
	Report metrics.Report `json:"report"`
	Locale string         `json:"locale"`
}

func report(ctx context.Context, b *bot.Bot, a statsArgs) (statsPayload, error) {
	to := b.Today(a.Group) - 1 // the last complete day
	if a.At != "" {
		var err error
		if to, err = calendar.ParseDay(a.At); err != nil {
			return statsPayload{}, err
		}
	}
	rep, err := b.Report(ctx, a.Group, to, a.Days)
	return statsPayload{Report: rep, Locale: b.Group(a.Group).Locale}, err
}
