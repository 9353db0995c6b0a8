package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/pulsebot/pulse/adapters/console"
	"github.com/pulsebot/pulse/adapters/discord"
	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/control"
	"github.com/pulsebot/pulse/schedule"
	"github.com/pulsebot/pulse/store"
)

func cmdRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "[-config FILE]")
	cfgPath := fs.String("config", "", "config `file` (default: built-in defaults with the console adapter and pulse.db)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg.Log)
	warnNoCJKFont(log, cfg)
	db, err := store.Open(cfg.DB, store.Options{})
	if err != nil {
		return err
	}
	b := bot.New(db, bot.Options{Settings: settingsFunc(cfg), Logger: log})

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Every enabled adapter runs until the context ends; a fatal error of
	// one (a refused token) stops the bot.
	type adapter struct {
		name string
		run  func(context.Context) error
	}
	var adapters []adapter
	senders := map[string]bot.Sender{}
	if cfg.Discord.Enabled {
		d, err := discord.New(cfg.Discord, b, log.With("adapter", "discord"),
			discord.WithGroupConfig(cfg.Group), discord.WithClock(b.Clock()))
		if err != nil {
			db.Close()
			return err
		}
		adapters = append(adapters, adapter{"discord", d.Run})
		senders["discord"] = d
	}
	if cfg.WeChat.Enabled {
		w, err := wechat.New(ctx, cfg.WeChat, b, log.With("adapter", wechat.Platform),
			wechat.WithRoles(func(key string) ([]string, []string) { g := cfg.Group(key); return g.Admins, g.Owners }),
			wechat.WithQRWriter(e.stderr), wechat.WithClock(b.Clock()))
		if err != nil {
			db.Close()
			return err
		}
		adapters = append(adapters, adapter{"wechat", w.Run})
		senders["wechat"] = w
	}
	useConsole := cfg.Console.Enabled || len(adapters) == 0
	if useConsole {
		senders["console"] = console.NewSender(e.stdout)
	}

	srv, err := control.Listen(control.SocketPath(cfg.DB), controlHandlers(db, b, cfg), log)
	if err != nil {
		db.Close()
		return err
	}
	served := make(chan struct{})
	go func() { srv.Serve(ctx); close(served) }()

	sched := schedule.New(schedule.Options{
		Core: b, Logger: log, Senders: senders,
		Groups: func(key string) schedule.Group {
			g := cfg.Group(key)
			owners := g.Owners
			if key == "console/"+cfg.Console.Group {
				owners = append(append([]string(nil), owners...), cfg.Console.Owners...)
			}
			return schedule.Group{Enabled: g.Digest.Enabled, Schedule: g.Digest.Schedule, Owners: owners, Font: g.Digest.Font}
		},
	})
	if err := sched.Start(ctx); err != nil {
		cancel()
		<-served
		db.Close()
		return err
	}

	names := make([]string, 0, len(senders))
	for name := range senders {
		names = append(names, name)
	}
	log.Info("pulse running", "db", cfg.DB, "socket", control.SocketPath(cfg.DB), "adapters", names)
	fatal := make(chan error, len(adapters)+1)
	var wg sync.WaitGroup
	for _, a := range adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.run(ctx); err != nil && ctx.Err() == nil {
				fatal <- fmt.Errorf("%s: %w", a.name, err)
			}
		}()
	}
	var runErr error
	if useConsole && len(adapters) == 0 {
		// The console alone: when its input ends, so does the bot (a piped
		// transcript, or Ctrl-D).
		st, err := runConsole(ctx, e, b, cfg, cfg.Console)
		if err != nil && ctx.Err() == nil {
			runErr = fmt.Errorf("console: %w", err)
		}
		log.Info("console input ended", "lines", st.Lines, "events", st.Events, "replies", st.Replies)
	} else {
		if useConsole {
			go func() {
				if _, err := runConsole(ctx, e, b, cfg, cfg.Console); err != nil && ctx.Err() == nil {
					log.Error("console adapter stopped", "err", err)
				}
			}()
		}
		select {
		case <-ctx.Done():
		case runErr = <-fatal:
			log.Error("adapter stopped; shutting down", "err", runErr)
		}
	}

	log.Info("shutting down")
	cancel()
	wg.Wait() // adapters deliver what they hold before the store closes
	sched.Stop()
	<-served
	// Close commits every event already acknowledged or queued.
	if err := db.Close(); err != nil {
		return err
	}
	log.Info("stopped; every acknowledged event is on disk", "db", cfg.DB)
	return runErr
}

// controlHandlers answer operator commands while the bot holds the file.
func controlHandlers(db *store.DB, b *bot.Bot, cfg *fileConfig) map[string]control.Handler {
	return map[string]control.Handler{
		"members": func(ctx context.Context, raw json.RawMessage, w io.Writer) error {
			var a membersArgs
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("members: %w", err)
			}
			rows, err := listMembers(ctx, db, cfg, a.Group)
			if err != nil {
				return err
			}
			return json.NewEncoder(w).Encode(rows)
		},
		"stats": func(ctx context.Context, raw json.RawMessage, w io.Writer) error {
			var a statsArgs
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("stats: %w", err)
			}
			rep, err := report(ctx, b, a)
			if err != nil {
				return err
			}
			return json.NewEncoder(w).Encode(rep)
		},
		"digest": func(ctx context.Context, raw json.RawMessage, w io.Writer) error {
			var a digestArgs
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("digest: %w", err)
			}
			p, err := buildDigest(ctx, b, a)
			if err != nil {
				return err
			}
			return json.NewEncoder(w).Encode(p)
		},
		"export": func(ctx context.Context, raw json.RawMessage, w io.Writer) error {
			var a exportArgs
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			rows, err := b.Daily(ctx, a.Group, 0, b.Today(a.Group))
			if err != nil {
				return err
			}
			return json.NewEncoder(w).Encode(rows)
		},
		"backup": func(_ context.Context, _ json.RawMessage, w io.Writer) error {
			_, err := db.Backup(w)
			return err
		},
	}
}
