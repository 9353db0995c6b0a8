package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// readerBot is a core over a read-only file for operator commands: the
// group's settings come from the config, else from what the store kept.
func readerBot(db *store.DB, cfg *fileConfig) *bot.Bot {
	settings := settingsFunc(cfg)
	var b *bot.Bot
	// Settings are asked for lazily, after New has returned.
	b = bot.New(db, bot.Options{Settings: func(group string) bot.GroupSettings {
		s := settings(group)
		if _, ok := cfg.Groups[group]; !ok {
			if locale, tz, ok, err := b.StoredSettings(context.Background(), group); err == nil && ok {
				s.Locale = locale
				if loc, err := time.LoadLocation(tz); err == nil {
					s.Location = loc
				}
			}
		}
		return s
	}})
	return b
}

type statsArgs struct {
	Group string `json:"group"`
	At    string `json:"at,omitempty"`
	Days  int    `json:"days"`
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", "-db FILE -group GROUP [-at YYYY-MM-DD] [-days N] [-json] [-config FILE]")
	dbPath := fs.String("db", "pulse.db", "database `file`")
	group := fs.String("group", "", "group key, e.g. console/demo (required)")
	at := fs.String("at", "", "last local `day` of the window, YYYY-MM-DD (default: today in the group's zone)")
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
	fmt.Fprintln(e.stdout, digest.StatsText(locale, digest.Period{Key: "days", Days: rep.Days}, rep, nil))
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
	to := b.Today(a.Group)
	if a.At != "" {
		var err error
		if to, err = calendar.ParseDay(a.At); err != nil {
			return statsPayload{}, err
		}
	}
	rep, err := b.Report(ctx, a.Group, to, a.Days)
	return statsPayload{Report: rep, Locale: b.Group(a.Group).Locale}, err
}

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

type exportArgs struct {
	Group string `json:"group"`
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "-db FILE -group GROUP -format csv|json [-config FILE]")
	dbPath := fs.String("db", "pulse.db", "database `file`")
	group := fs.String("group", "", "group key, e.g. console/demo (required)")
	format := fs.String("format", "csv", "csv or json")
	cfgPath := fs.String("config", "", "config `file` (default: built-in rules)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *group == "" {
		return usagef("-group is required (e.g. -group console/demo)")
	}
	if *format != "csv" && *format != "json" {
		return usagef("-format %q: want csv or json", *format)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	rows, err := query(ctx, *dbPath, "export", exportArgs{Group: *group}, func(db *store.DB) ([]metrics.Day, error) {
		b := readerBot(db, cfg)
		return b.Daily(ctx, *group, 0, b.Today(*group))
	})
	if err != nil {
		return err
	}
	if *format == "json" {
		if rows == nil {
			rows = []metrics.Day{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return writeCSV(e.stdout, rows)
}

func writeCSV(w io.Writer, rows []metrics.Day) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "members", "dau", "wau", "mau", "messages", "interactive_messages", "reacted_messages", "reactions", "checkins", "makeups", "new_members", "left_members"})
	i := strconv.FormatInt
	for _, r := range rows {
		cw.Write([]string{r.Date, strconv.Itoa(r.Members), i(r.Active, 10), strconv.Itoa(r.WAU), strconv.Itoa(r.MAU), i(r.Messages, 10),
			i(r.Interactive, 10), i(r.Reacted, 10), i(r.Reactions, 10), i(r.Checkins, 10), i(r.Makeups, 10), i(r.Joins, 10), i(r.Leaves, 10)})
	}
	cw.Flush()
	return cw.Error()
}
