package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/store"
)

type membersArgs struct {
	Group string `json:"group"`
}

func cmdMembers(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "members", "-db FILE -group GROUP [-json] [-config FILE]")
	dbPath := fs.String("db", "pulse.db", "database `file`")
	group := fs.String("group", "", "group key, e.g. console/demo or discord/1234 (required)")
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	cfgPath := fs.String("config", "", "config `file` for level curves and titles (default: built-in rules)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *group == "" {
		return usagef("-group is required (e.g. -group console/demo)")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	rows, err := query(ctx, *dbPath, "members", membersArgs{Group: *group}, func(db *store.DB) ([]bot.MemberRow, error) {
		return listMembers(ctx, db, cfg, *group)
	})
	if err != nil {
		return err
	}
	if *asJSON {
		if rows == nil {
			rows = []bot.MemberRow{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return printMembers(e.stdout, rows)
}

// listMembers reads a group's members with its config, falling back to the
// zone and locale the store remembers.
func listMembers(ctx context.Context, db *store.DB, cfg *fileConfig, group string) ([]bot.MemberRow, error) {
	return readerBot(db, cfg).Members(ctx, group, time.Now())
}

func printMembers(w io.Writer, rows []bot.MemberRow) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tLEVEL\tXP\tPOINTS\tSTREAK\tCHECK-INS\tMESSAGES\tSTATUS\t")
	for _, r := range rows {
		status := "present"
		switch {
		case r.Bot:
			status = "bot"
		case !r.Present:
			status = "left"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", r.Name, r.Level, r.XP, r.Points, r.Streak, r.Checkins, r.Messages, status)
	}
	if len(rows) == 0 {
		fmt.Fprintln(tw, "(no members yet)\t\t\t\t\t\t\t\t")
	}
	return tw.Flush()
}
