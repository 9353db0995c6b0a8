package main

import (
	"context"
	"time"

	"github.com/pulsebot/pulse/bot"
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
