package main

import (
	"context"
	"time"

	"github.com/pulsebot/pulse/adapters/console"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/config"
	"github.com/pulsebot/pulse/store"
)

func cmdConsole(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "console", "[-db FILE] [-config FILE] [-group NAME] [-tz ZONE] [-lang zh|en] [-admins a,b] [-owners c] [-bots d]")
	dbPath := fs.String("db", "", "database `file` (default: the config's db, pulse.db)")
	cfgPath := fs.String("config", "", "config `file` (default: built-in defaults)")
	group := fs.String("group", "", "group `name`; the group key is console/NAME (default demo)")
	tz := fs.String("tz", "", "the group's time `zone`, an IANA name (default: config, else UTC)")
	lang := fs.String("lang", "", "the group's language, zh or en (default: config, else en)")
	admins := fs.String("admins", "", "comma-separated `names` who are admins")
	owners := fs.String("owners", "", "comma-separated `names` who are owners")
	bots := fs.String("bots", "", "comma-separated `names` who are bots (never counted)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *dbPath == "" {
		*dbPath = cfg.DB
	}
	if *group != "" {
		cfg.Console.Group = *group
	}
	var loc *time.Location
	if *tz != "" {
		if loc, err = loadZone(*tz); err != nil {
			return err
		}
	}
	if *lang != "" && !i18n.Valid(*lang) {
		return usagef("-lang %q: want zh or en", *lang)
	}
	cc := cfg.Console
	cc.Admins = append(cc.Admins, splitList(*admins)...)
	cc.Owners = append(cc.Owners, splitList(*owners)...)
	cc.Bots = append(cc.Bots, splitList(*bots)...)

	db, err := store.Open(*dbPath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	settings := settingsFunc(cfg)
	b := bot.New(db, bot.Options{
		Logger: newLogger(e.stderr, cfg.Log),
		Settings: func(key string) bot.GroupSettings {
			s := settings(key)
			if loc != nil {
				s.Location = loc
			}
			if *lang != "" {
				s.Locale = *lang
			}
			return s
		},
	})
	_, err = runConsole(ctx, e, b, cfg, cc)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// runConsole serves the console adapter on stdin/stdout.
func runConsole(ctx context.Context, e *env, b *bot.Bot, cfg *fileConfig, cc config.ConsoleConfig) (console.Stats, error) {
	key := "console/" + cc.Group
	gc := cfg.Group(key)
	gs := b.Group(key)
	return console.Run(ctx, b, e.stdin, e.stdout, console.Options{
		Group:    key,
		Location: gs.Location,
		Admins:   append(cc.Admins, gc.Admins...),
		Owners:   append(cc.Owners, gc.Owners...),
		Bots:     cc.Bots,
		Clock:    b.Clock(),
		Errors:   e.stderr,
	})
}
