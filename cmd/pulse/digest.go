package main

import (
	"context"
	"fmt"
	"os"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

type digestArgs struct {
	Group string `json:"group"`
	Week  string `json:"week,omitempty"`
}

type digestPayload struct {
	Period  string `json:"period"`
	Public  string `json:"public"`
	Private string `json:"private"`
	Chart   []byte `json:"chart,omitempty"`
}

func cmdDigest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "digest", "-db FILE -group GROUP [-week YYYY-Www] [-png FILE] [-private] [-config FILE]")
	dbPath := fs.String("db", "pulse.db", "database `file`")
	group := fs.String("group", "", "group key, e.g. console/demo (required)")
	week := fs.String("week", "", "ISO `week` to digest, e.g. 2026-W47 (default: last complete week)")
	png := fs.String("png", "", "write the chart to this PNG `file`")
	private := fs.Bool("private", false, "print the owners' version (with churn-risk and silent members)")
	cfgPath := fs.String("config", "", "config `file` (default: built-in rules)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *group == "" {
		return usagef("-group is required (e.g. -group console/demo)")
	}
	if *week != "" {
		if _, err := calendar.ParseWeek(*week); err != nil {
			return usagef("-week: %v", err)
		}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	a := digestArgs{Group: *group, Week: *week}
	p, err := query(ctx, *dbPath, "digest", a, func(db *store.DB) (digestPayload, error) {
		return buildDigest(ctx, readerBot(db, cfg), a)
	})
	if err != nil {
		return err
	}
	if *private {
		fmt.Fprintln(e.stdout, p.Private)
	} else {
		fmt.Fprintln(e.stdout, p.Public)
	}
	if *png != "" {
		if err := os.WriteFile(*png, p.Chart, 0o644); err != nil {
			return fmt.Errorf("write chart: %w", err)
		}
		fmt.Fprintf(e.stderr, "chart written to %s (%d bytes)\n", *png, len(p.Chart))
	}
	return nil
}

func buildDigest(ctx context.Context, b *bot.Bot, a digestArgs) (digestPayload, error) {
	monday := calendar.Monday(b.Today(a.Group)) - 7
	if a.Week != "" {
		var err error
		if monday, err = calendar.ParseWeek(a.Week); err != nil {
			return digestPayload{}, err
		}
	}
	d, err := b.BuildDigest(ctx, a.Group, monday, "", false)
	if err != nil {
		return digestPayload{}, err
	}
	return digestPayload{Period: d.Period, Public: d.Public, Private: d.Private, Chart: d.Chart}, nil
}
