package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/config"
	"github.com/pulsebot/pulse/control"
	"github.com/pulsebot/pulse/store"
)

// settingsFunc turns the config into the core's per-group settings.
func settingsFunc(cfg *fileConfig) func(string) bot.GroupSettings {
	return func(key string) bot.GroupSettings {
		g := cfg.Group(key)
		s := bot.GroupSettings{Locale: g.Locale, Location: g.Location(), Rules: growthRules(g.Growth), DedupDays: g.DedupDays}
		if strings.HasPrefix(key, wechat.Platform+"/") {
			s.HelpExtra = wechat.HelpLines // 认领 and 合并 are the WeChat adapter's own
		}
		return s
	}
}

func newLogger(w io.Writer, cfg config.LogConfig) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level))
	o := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

// splitList reads "a,b, c" flag values.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// loadZone validates a -tz flag.
func loadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, usagef("-tz %q is not an IANA time zone such as Asia/Shanghai, Europe/Berlin or UTC", name)
	}
	return loc, nil
}

// operator runs a read-only operator command: directly on the file when
// no bot holds it, else through the running bot's control socket, whose
// payload is copied to sink.
func operator(ctx context.Context, dbPath, op string, args any, direct func(db *store.DB) error, sink io.Writer) error {
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("open %s: %w", dbPath, err)
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err == nil {
		defer db.Close()
		return direct(db)
	}
	if !errors.Is(err, store.ErrInUse) {
		return err
	}
	cerr := control.Call(ctx, control.SocketPath(dbPath), op, args, sink)
	if errors.Is(cerr, control.ErrNoServer) {
		return fmt.Errorf("%w; its control socket does not answer either", err)
	}
	return cerr
}

// query answers an operator query from the file, or from the running bot
// (which sends the same value as JSON) when the bot holds the file.
func query[T any](ctx context.Context, dbPath, op string, args any, direct func(db *store.DB) (T, error)) (T, error) {
	var out T
	var remote bytes.Buffer
	err := operator(ctx, dbPath, op, args, func(db *store.DB) error {
		var err error
		out, err = direct(db)
		return err
	}, &remote)
	if err != nil {
		return out, err
	}
	if remote.Len() > 0 {
		if err := json.Unmarshal(remote.Bytes(), &out); err != nil {
			return out, fmt.Errorf("%s from the running bot: %w", op, err)
		}
	}
	return out, nil
}
