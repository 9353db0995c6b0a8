package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/demo"
	"github.com/pulsebot/pulse/store"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[-db FILE] [-lang en|zh] [-members N] [-weeks N]")
	dbPath := fs.String("db", "", "keep the simulated community in this new `file` (default: a temporary file, removed)")
	lang := fs.String("lang", "en", "language of the group, en or zh")
	members := fs.Int("members", 300, "members to simulate")
	weeks := fs.Int("weeks", 6, "weeks to simulate")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !i18n.Valid(*lang) {
		return usagef("-lang %q: want zh or en", *lang)
	}
	if *members < 10 || *members > 100000 || *weeks < 1 || *weeks > 104 {
		return usagef("-members must be 10..100000 and -weeks 1..104")
	}
	path := *dbPath
	if path == "" {
		dir, err := os.MkdirTemp("", "pulse-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	} else if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("demo: %s exists; the demo writes a new database, give it a new file", path)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	cfg := defaultConfig()
	tz := "UTC"
	if *lang == "zh" {
		tz = "Asia/Shanghai"
	}
	loc, _ := time.LoadLocation(tz)
	settings := settingsFunc(cfg)
	b := bot.New(db, bot.Options{Seed: 1, Settings: func(key string) bot.GroupSettings {
		s := settings(key)
		s.Locale, s.Location = *lang, loc
		return s
	}})
	// The simulation ends yesterday evening, so its last day is a whole
	// day whenever the demo is run.
	y, m, d := time.Now().In(loc).Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(-3 * time.Hour)
	sum, err := demo.Run(ctx, b, e.stdout, demo.Options{Locale: *lang, Members: *members, Weeks: *weeks, End: end, Seed: 1})
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	if *dbPath != "" {
		fmt.Fprintf(e.stdout, "\nThe community is kept in %s: try\n  pulse members -db %s -group console/demo\n  pulse console -db %s -group demo\n", path, path, path)
	}
	_ = sum
	return nil
}
