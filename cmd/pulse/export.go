package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/store"
)

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
