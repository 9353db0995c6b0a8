// Package schedule sends each group's weekly digest on time, exactly
// once: robfig/cron fires a job per group in the group's time zone, and
// the core records every period's digest in the same transaction that
// decides to send it (the scheduler only decides when), so neither a restart nor a retry sends it twice and
// a digest missed while Pulse was down goes out once at start-up.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/calendar"
)

// Core is what the scheduler needs of the bot.
type Core interface {
	BuildDigest(ctx context.Context, group string, monday calendar.Day, fontPath string, noChart bool) (digest.Digest, error)
	Group(key string) bot.GroupSettings
	Groups(ctx context.Context) ([]string, error)
	DigestMissed(ctx context.Context, group, period string, due time.Time) (bool, error)
	ClaimDigest(ctx context.Context, group, period string) (bot.DigestRecord, bool, error)
	RecordDigest(ctx context.Context, group, period string, rec bot.DigestRecord) error
	FinishDigest(ctx context.Context, group, period string, rec bot.DigestRecord, sendErr error) error
}

// Group is a group's digest settings.
type Group struct {
	Enabled  bool
	Schedule string   // cron, in the group's zone
	Owners   []string // member ids that receive the private digest
	Font     string
}

// Options configure a Scheduler.
type Options struct {
	Core    Core
	Senders map[string]bot.Sender // by platform, the part of a group key before "/"
	Groups  func(key string) Group
	Logger  *slog.Logger
	// Retry is the back-off between attempts of a failed send; its length
	// is the number of retries. Default 1m, 5m, 15m, 1h.
	Retry []time.Duration
	// Pace spaces sends to different groups on one platform (rate limits).
	Pace time.Duration
	// Clock is the clock; default the system's (cron reads time.Now itself).
	Clock calendar.Clock
}

// Scheduler runs the digests.
type Scheduler struct {
	o       Options
	cron    *cron.Cron
	mu      sync.Mutex
	entries map[string]cron.EntryID
	running sync.WaitGroup
	ctx     context.Context
}

// New makes a scheduler; Start starts it.
func New(o Options) *Scheduler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Retry == nil {
		o.Retry = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}
	}
	if o.Clock == nil {
		o.Clock = calendar.System{}
	}
	l := cronLogger{o.Logger}
	// SkipIfStillRunning before Recover: in cron v3.0.1 the reverse order
	// leaves a job that panicked once marked as running for ever.
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)), cron.WithLogger(l))
	return &Scheduler{o: o, cron: c, entries: map[string]cron.EntryID{}}
}

// Start registers every group's digest, sends digests missed while Pulse
// was down, and starts the clock. New groups are picked up hourly.
func (s *Scheduler) Start(ctx context.Context) error {
	s.ctx = ctx
	if err := s.refresh(); err != nil {
		return err
	}
	if _, err := s.cron.AddFunc("@every 1h", func() {
		if err := s.refresh(); err != nil {
			s.o.Logger.Error("digest schedule refresh", "err", err)
		}
	}); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	s.cron.Start()
	return nil
}

// Stop stops the clock and waits for digests being sent.
func (s *Scheduler) Stop() {
	<-s.cron.Stop().Done()
	s.running.Wait()
}

// refresh registers groups not yet scheduled and catches up their digests.
func (s *Scheduler) refresh() error {
	groups, err := s.o.Core.Groups(s.ctx)
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	for _, key := range groups {
		platform, _, _ := strings.Cut(key, "/")
		if _, ok := s.o.Senders[platform]; !ok {
			continue
		}
		s.mu.Lock()
		_, known := s.entries[key]
		s.mu.Unlock()
		if known {
			continue
		}
		gc := s.o.Groups(key)
		if !gc.Enabled {
			continue
		}
		loc := s.o.Core.Group(key).Location
		spec := "CRON_TZ=" + loc.String() + " " + gc.Schedule
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			s.o.Logger.Error("digest schedule", "group", key, "schedule", gc.Schedule, "err", err)
			continue
		}
		key := key
		id := s.cron.Schedule(sched, cron.FuncJob(func() { s.run(key, s.o.Clock.Now()) }))
		s.mu.Lock()
		s.entries[key] = id
		s.mu.Unlock()
		s.catchUp(key, sched)
	}
	return nil
}

// catchUp sends the latest digest that was due while Pulse was down.
func (s *Scheduler) catchUp(key string, sched cron.Schedule) {
	now := s.o.Clock.Now()
	var due time.Time
	for t := sched.Next(now.Add(-8 * 24 * time.Hour)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		due = t
	}
	if due.IsZero() {
		return
	}
	period := s.period(key, due)
	// Nothing to catch up for a period before the group was known, or one
	// already decided; an interrupted send resumes its missing parts.
	missed, err := s.o.Core.DigestMissed(s.ctx, key, period, due)
	if err != nil {
		s.o.Logger.Error("digest catch-up", "group", key, "err", err)
		return
	}
	if !missed {
		return
	}
	s.o.Logger.Info("sending a digest missed while Pulse was down", "group", key, "period", period, "due", due)
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		s.run(key, due)
	}()
}

// period is the week a digest fired at t covers: the last full week.
func (s *Scheduler) period(key string, t time.Time) string {
	loc := s.o.Core.Group(key).Location
	return calendar.WeekName(calendar.Monday(calendar.DayOf(t, loc)) - 7)
}

// run sends one group's digest for the week before `at`, at most once per
// recipient, retrying failed parts with back-off.
func (s *Scheduler) run(key string, at time.Time) {
	ctx := s.ctx
	loc := s.o.Core.Group(key).Location
	monday := calendar.Monday(calendar.DayOf(at, loc)) - 7
	period := calendar.WeekName(monday)
	log := s.o.Logger.With("group", key, "period", period)

	rec, claimed, err := s.o.Core.ClaimDigest(ctx, key, period)
	if err != nil {
		log.Error("digest: claim", "err", err)
		return
	}
	if !claimed {
		log.Debug("digest already handled", "state", rec.State)
		return
	}
	gc := s.o.Groups(key)
	d, err := s.o.Core.BuildDigest(ctx, key, monday, gc.Font, false)
	if err != nil {
		log.Error("digest: build", "err", err)
		s.finish(ctx, key, period, rec, err)
		return
	}
	platform, _, _ := strings.Cut(key, "/")
	sender := s.o.Senders[platform]
	img := &bot.Image{Name: "pulse-" + period + ".png", Type: "image/png", Data: d.Chart}
	if d.Chart == nil {
		img = nil
	}
	parts := []struct {
		name  string
		reply bot.Reply
	}{{"group", bot.Reply{Group: key, Text: d.Public, Image: img, Announcement: true}}}
	for _, o := range gc.Owners {
		parts = append(parts, struct {
			name  string
			reply bot.Reply
		}{"owner:" + o, bot.Reply{Group: key, Text: d.Private, Image: img, To: o, Direct: true}})
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		lastErr = nil
		for _, p := range parts {
			if rec.HasSent(p.name) {
				continue
			}
			if s.o.Pace > 0 {
				if !sleep(ctx, s.o.Pace) {
					return
				}
			}
			if err := sender.Send(ctx, p.reply); err != nil {
				lastErr = fmt.Errorf("%s: %w", p.name, err)
				log.Warn("digest send failed", "to", p.name, "attempt", attempt+1, "err", err)
				continue
			}
			rec.Sent = append(rec.Sent, p.name)
			if err := s.o.Core.RecordDigest(ctx, key, period, rec); err != nil {
				log.Error("digest: record", "err", err)
			}
		}
		if lastErr == nil || attempt >= len(s.o.Retry) || ctx.Err() != nil {
			break
		}
		rec.Attempts++
		if !sleep(ctx, s.o.Retry[attempt]) {
			return // shutting down: the record says "sending"; start-up resumes it
		}
	}
	s.finish(ctx, key, period, rec, lastErr)
	if lastErr != nil {
		log.Error("digest not delivered after retries", "err", lastErr)
		return
	}
	log.Info("digest sent", "recipients", len(parts))
}

func (s *Scheduler) finish(ctx context.Context, key, period string, rec bot.DigestRecord, err error) {
	if ferr := s.o.Core.FinishDigest(ctx, key, period, rec, err); ferr != nil {
		s.o.Logger.Error("digest: record", "group", key, "period", period, "err", errors.Join(err, ferr))
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
