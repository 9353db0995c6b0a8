package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/importer/discordexport"
	"github.com/pulsebot/pulse/importer/mee6"
	"github.com/pulsebot/pulse/importer/wechatcsv"
	"github.com/pulsebot/pulse/store"
)

// importFormats are the subcommands of pulse import.
var importFormats = []struct{ name, synopsis, summary string }{
	{"discord-export", "[-db FILE] [-config FILE] [-tz ZONE] [-group discord/ID] [-before TIME] [-skip-bad] [-bots IDS] [-csv-tz ZONE] [-csv-date LAYOUT] FILE...",
		"DiscordChatExporter exports (JSON or CSV), one channel per file"},
	{"mee6", "-group discord/ID [-db FILE] [-config FILE] [-mode replace|max] [-dry-run] FILE...",
		"MEE6 leaderboard pages: members' XP and levels, role rewards"},
	{"wechat-csv", "-group NAME [-db FILE] [-config FILE] [-tz ZONE] [-before TIME] [-me NICKNAME] [-skip-bad] FILE...",
		"WeChat group history exported as CSV by WeChatMsg (留痕)"},
}

func importUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: pulse import FORMAT [flags] FILE...")
	fmt.Fprintln(w, "\nImports a community's history, so its first digest and its members' levels reflect it.")
	fmt.Fprintln(w, "Re-running an import, or importing an overlapping export, counts nothing twice.")
	fmt.Fprintln(w, "\nFormats:")
	for _, f := range importFormats {
		fmt.Fprintf(w, "  %-15s %s\n", f.name, f.summary)
	}
	fmt.Fprintln(w, "\nRun 'pulse import FORMAT -h' for a format's flags.")
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		importUsage(e.stderr)
		return usagef("which format? discord-export, mee6 or wechat-csv")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		importUsage(e.stderr)
		return flag.ErrHelp
	case "discord-export":
		return importDiscord(ctx, e, args[1:])
	case "mee6":
		return importMEE6(ctx, e, args[1:])
	case "wechat-csv":
		return importWeChat(ctx, e, args[1:])
	}
	importUsage(e.stderr)
	return usagef("unknown format %q: want discord-export, mee6 or wechat-csv", args[0])
}

// parseFiles parses flags that may come before, between or after the
// file arguments, and returns the files; at least one is required.
func parseFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		files = append(files, args[0])
		args = args[1:]
	}
	if len(files) == 0 {
		fs.Usage()
		return nil, usagef("no files to import")
	}
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, unwrapPath(err))
		}
		if st.IsDir() {
			return nil, usagef("%s is a directory: pass the export files themselves (e.g. %s/*.json)", f, strings.TrimSuffix(f, "/"))
		}
	}
	return files, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// importSetup is what every format needs: the config, the store and a bot
// whose settings for the imported groups are the ones the live bot will use.
type importSetup struct {
	cfg *fileConfig
	db  *store.DB
	bot *bot.Bot
}

// openImport opens the database for writing and makes the bot. A group's
// zone is, in order: -tz, the zone the store already keeps for the group,
// the config's. A -tz that differs from a stored zone is refused: the days
// already recorded would not line up with the imported ones.
func openImport(e *env, dbPath, cfgPath string, groups []string, tz string) (*importSetup, error) {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return nil, err
	}
	if dbPath == "" {
		dbPath = cfg.DB
	}
	var loc *time.Location
	if tz != "" {
		if loc, err = loadZone(tz); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		if errors.Is(err, store.ErrInUse) {
			return nil, fmt.Errorf("open %s: %w: an import needs the database to itself; stop `pulse run`, import, then start it again (imports do not go through the control socket)", dbPath, store.ErrInUse)
		}
		return nil, err
	}
	settings := settingsFunc(cfg)
	probe := bot.New(db, bot.Options{}) // reads what the store keeps
	own := map[string]bot.GroupSettings{}
	for _, group := range groups {
		s := settings(group)
		_, configured := cfg.Groups[group]
		locale, storedTZ, ok, err := probe.StoredSettings(context.Background(), group)
		if err != nil {
			db.Close()
			return nil, err
		}
		if ok {
			if l, err := time.LoadLocation(storedTZ); err == nil {
				if loc != nil && loc.String() != l.String() {
					db.Close()
					return nil, fmt.Errorf("group %s keeps its days in %s; importing with -tz %s would cut days differently: omit -tz (or pass -tz %s)", group, storedTZ, tz, storedTZ)
				}
				if !configured {
					s.Location, s.Locale = l, locale
				}
			}
		}
		if loc != nil {
			s.Location = loc
		}
		own[group] = s
	}
	b := bot.New(db, bot.Options{
		Logger: newLogger(e.stderr, cfg.Log),
		Settings: func(key string) bot.GroupSettings {
			if s, ok := own[key]; ok {
				return s
			}
			s := settings(key)
			if loc != nil {
				s.Location = loc
			}
			return s
		},
	})
	return &importSetup{cfg: cfg, db: db, bot: b}, nil
}

// parseBefore reads -before: a date or a date and time in the group's
// zone, or an RFC 3339 time.
func parseBefore(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.DateOnly, "2006-01-02 15:04", time.DateTime, "2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("-before %q: want a date (2024-03-01), a date and time (\"2024-03-01 18:00\") or an RFC 3339 time", s)
}

// progressFor returns a progress counter, drawn when stderr is a terminal.
func progressFor(e *env, files []string) (*importer.Progress, func()) {
	p := &importer.Progress{Total: discordexport.Sizes(files)}
	f, ok := e.stderr.(*os.File)
	if !ok {
		return p, func() {}
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return p, func() {}
	}
	p.Start(f, 250*time.Millisecond)
	return p, p.Stop
}

func importDiscord(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import discord-export", importFormats[0].synopsis)
	dbPath := fs.String("db", "", "database `file` (default: the config's db, pulse.db)")
	cfgPath := fs.String("config", "", "config `file` for the group's zone and XP rules (default: built-in)")
	tz := fs.String("tz", "", "the group's time `zone` for days (default: the zone the group already has, else the config's, else UTC)")
	group := fs.String("group", "", "group key discord/<guild id>: required for CSV exports (they carry no guild id)")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (counted) and the unreadable rest of a damaged file (reported) instead of stopping")
	bots := fs.String("bots", "", "comma-separated author `ids` to treat as bots (CSV exports have no bot flag)")
	csvTZ := fs.String("csv-tz", "", "time `zone` of CSV dates without an offset: the exporting computer's (default: the group's zone)")
	csvDate := fs.String("csv-date", "", "Go `layout` of CSV dates in an unusual format, e.g. \"2006-01-02 15:04\"")
	before := fs.String("before", "", "import only what happened before this `time` (2024-03-01, \"2024-03-01 18:00\" in the group's zone, or RFC 3339): when Pulse started recording the server live, so no day counts twice")
	batch := fs.Int("batch", importer.DefaultBatch, "events per transaction")
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	if *group != "" {
		if id, ok := strings.CutPrefix(*group, "discord/"); !ok || id == "" || strings.Contains(id, "/") {
			return usagef("-group %q: want discord/<guild id>", *group)
		}
	}
	if *batch < 1 || *batch > 1_000_000 {
		return usagef("-batch must be 1..1000000")
	}
	var csvLoc *time.Location
	if *csvTZ != "" {
		if csvLoc, err = loadZone(*csvTZ); err != nil {
			return err
		}
	}
	groups, err := guilds(files, *group)
	if err != nil {
		return err
	}
	setup, err := openImport(e, *dbPath, *cfgPath, groups, *tz)
	if err != nil {
		return err
	}
	defer setup.db.Close()
	var cutoff time.Time
	if *before != "" {
		loc := time.UTC
		if len(groups) > 0 {
			loc = setup.bot.Group(groups[0]).Location
		}
		if cutoff, err = parseBefore(*before, loc); err != nil {
			return err
		}
	}
	var noXP []string
	for _, g := range setup.cfg.Discord.GuildSettings {
		noXP = append(noXP, g.NoXPChannels...)
	}
	progress, stop := progressFor(e, files)
	sums, err := discordexport.Import(ctx, setup.bot, files, discordexport.Options{
		Group: *group, CSVLocation: csvLoc, CSVLayout: *csvDate, Bots: splitList(*bots),
		SkipBad: *skipBad, Batch: *batch, Progress: progress, NoXPChannels: noXP, Before: cutoff,
	})
	stop()
	for _, s := range sums {
		s.Print(e.stdout)
	}
	if cerr := setup.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// guilds lists the groups the files will go to (JSON exports say their
// guild), so the groups' settings can be checked before anything is
// written. A CSV export needs -group.
func guilds(files []string, group string) ([]string, error) {
	var keys []string
	seen := map[string]bool{}
	if group != "" {
		keys, seen[group] = append(keys, group), true
	}
	for _, f := range files {
		g, csv, err := discordexport.GuildOf(f)
		if err != nil {
			continue // reported by the import itself, with its position
		}
		if csv && group == "" {
			return nil, usagef("%s is a CSV export, which carries no guild id: pass -group discord/<guild id>", f)
		}
		if g == "" {
			continue
		}
		if k := "discord/" + g; !seen[k] {
			keys, seen[k] = append(keys, k), true
		}
	}
	return keys, nil
}

func importMEE6(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import mee6", importFormats[1].synopsis)
	dbPath := fs.String("db", "", "database `file` (default: the config's db, pulse.db)")
	cfgPath := fs.String("config", "", "config `file` (default: built-in)")
	group := fs.String("group", "", "group key discord/<guild id> (required)")
	mode := fs.String("mode", "replace", "replace: members' XP becomes MEE6's; max: the larger of Pulse's and MEE6's")
	dry := fs.Bool("dry-run", false, "read and check the pages, print the summary and role rewards, change nothing")
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	if id, ok := strings.CutPrefix(*group, "discord/"); !ok || id == "" || strings.Contains(id, "/") {
		return usagef("-group is required as discord/<guild id> (the guild the leaderboard is of)")
	}
	if *mode != "replace" && *mode != "max" {
		return usagef("-mode %q: want replace or max", *mode)
	}
	setup, err := openImport(e, *dbPath, *cfgPath, []string{*group}, "")
	if err != nil {
		return err
	}
	defer setup.db.Close()
	if rules := setup.bot.Group(*group).Rules.Levels; rules.Curve != "" && rules.Curve != "mee6" {
		fmt.Fprintf(e.stderr, "warning: %s uses the %s level curve: levels will differ from MEE6's even with the same XP\n", *group, rules.Curve)
	}
	s, err := mee6.Import(ctx, setup.bot, files, mee6.Options{Group: *group, Max: *mode == "max", DryRun: *dry})
	if err != nil {
		return err
	}
	s.Print(e.stdout)
	return setup.db.Close()
}

func importWeChat(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import wechat-csv", importFormats[2].synopsis)
	dbPath := fs.String("db", "", "database `file` (default: the config's db, pulse.db)")
	cfgPath := fs.String("config", "", "config `file` for the group's zone and XP rules (default: built-in)")
	group := fs.String("group", "", "the group's `name`; the group key is wechat/NAME (required)")
	tz := fs.String("tz", "", "the group's time `zone` for days (default: the zone the group already has, else the config's, else Asia/Shanghai)")
	me := fs.String("me", "", "the exporting account's `nickname`, for system lines that say 你 (default: learned from its own messages)")
	before := fs.String("before", "", "import only what happened before this `time` (2024-03-01, \"2024-03-01 18:00\" in the group's zone, or RFC 3339): when Pulse started recording the group live, so no day counts twice")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (counted) and the unreadable rest of a damaged file (reported) instead of stopping")
	batch := fs.Int("batch", importer.DefaultBatch, "events per transaction")
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	if strings.TrimSpace(strings.TrimPrefix(*group, "wechat/")) == "" {
		return usagef("-group is required: the WeChat group's name (the key is wechat/NAME)")
	}
	if *batch < 1 || *batch > 1_000_000 {
		return usagef("-batch must be 1..1000000")
	}
	key := wechatcsv.Key(*group)
	setup, err := openImport(e, *dbPath, *cfgPath, []string{key}, *tz)
	if err != nil {
		return err
	}
	defer setup.db.Close()
	var cutoff time.Time
	if *before != "" {
		if cutoff, err = parseBefore(*before, setup.bot.Group(key).Location); err != nil {
			return err
		}
	}
	// Members are linked by nickname to the ids the WeChat adapter keeps,
	// so imported history and live traffic land on the same members.
	idents, err := wechat.NewImportIdentities(ctx, setup.bot, wechat.WithClock(setup.bot.Clock()))
	if err != nil {
		return err
	}
	progress, stop := progressFor(e, files)
	s, err := wechatcsv.Import(ctx, setup.bot, files, wechatcsv.Options{
		Group: key, Me: *me, SkipBad: *skipBad, Batch: *batch, Progress: progress, Before: cutoff,
		Identities: idents,
	})
	stop()
	if s != nil {
		s.Print(e.stdout)
	}
	if cerr := setup.db.Close(); err == nil {
		err = cerr
	}
	return err
}
