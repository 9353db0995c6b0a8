package schedule

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/store"
)

// fakeSender records what would be posted, and can fail.
type fakeSender struct {
	mu    sync.Mutex
	sent  []sent
	fails map[string]int // recipient ("group" or owner id) → failures left
}

type sent struct {
	at time.Time
	r  bot.Reply
}

func (f *fakeSender) Send(_ context.Context, r bot.Reply) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	who := "group"
	if r.Direct {
		who = r.To
	}
	if f.fails[who] > 0 {
		f.fails[who]--
		return errors.New("platform says no")
	}
	f.sent = append(f.sent, sent{time.Now(), r})
	return nil
}

func (f *fakeSender) all() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sent...)
}

type env struct {
	db     *store.DB
	core   *bot.Bot
	sender *fakeSender
}

const group = "console/club"

// setup opens a store and a core whose group lives in zone, with one
// message at the current (bubble) time so the group exists.
func setup(t *testing.T, dir, zone string) *env {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := bot.DefaultSettings()
	s.Location = loc
	core := bot.New(db, bot.Options{Seed: 1, Settings: func(string) bot.GroupSettings { return s }})
	if _, err := core.Handle(context.Background(), bot.Event{Kind: bot.KindMessage, Group: group, Member: bot.Member{ID: "alice"}, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	return &env{db: db, core: core, sender: &fakeSender{fails: map[string]int{}}}
}

func (e *env) scheduler(retry ...time.Duration) *Scheduler {
	return New(Options{
		Core: e.core, Senders: map[string]bot.Sender{"console": e.sender},
		Groups: func(string) Group { return Group{Enabled: true, Schedule: "0 9 * * 1", Owners: []string{"olivia"}} },
		Retry:  retry,
	})
}

// sleepUntil advances the bubble's clock to t.
func sleepUntil(t time.Time) { time.Sleep(time.Until(t)) }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMondayNineLocalAcrossDST(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		sleepUntil(utc("2026-03-01T12:00:00Z")) // DST starts in New York on 2026-03-08
		e := setup(t, dir, "America/New_York")
		defer e.db.Close()
		s := e.scheduler()
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		sleepUntil(utc("2026-03-24T00:00:00Z"))
		s.Stop()
		synctest.Wait()

		want := []string{"2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z", "2026-03-16T13:00:00Z", "2026-03-23T13:00:00Z"}
		got := e.sender.all()
		if len(got) != 2*len(want) {
			t.Fatalf("%d sends, want %d (group + owner per week): %v", len(got), 2*len(want), got)
		}
		for i, w := range want {
			g, o := got[2*i], got[2*i+1]
			if !g.at.Equal(utc(w)) || !o.at.Equal(utc(w)) {
				t.Errorf("week %d sent at %v and %v, want %s (09:00 New York)", i, g.at.UTC(), o.at.UTC(), w)
			}
			if g.r.Direct || g.r.Image == nil || len(g.r.Image.Data) < 1000 {
				t.Errorf("week %d: group post %+v lacks its chart", i, g.r)
			}
			if !o.r.Direct || o.r.To != "olivia" {
				t.Errorf("week %d: owner digest %+v not a DM to olivia", i, o.r)
			}
		}
	})
}

func TestNotSentTwiceAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		sleepUntil(utc("2026-03-01T12:00:00Z"))
		e := setup(t, dir, "UTC")
		defer e.db.Close()
		s := e.scheduler()
		s.Start(context.Background())
		sleepUntil(utc("2026-03-02T09:30:00Z")) // sent at 09:00
		s.Stop()
		// A restart half an hour later must not send the same week again.
		s2 := e.scheduler()
		s2.Start(context.Background())
		sleepUntil(utc("2026-03-08T00:00:00Z"))
		s2.Stop()
		synctest.Wait()
		if got := e.sender.all(); len(got) != 2 {
			t.Fatalf("%d sends across a restart, want 2 (group + owner once)", len(got))
		}
	})
}

func TestCaughtUpAfterDowntime(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		sleepUntil(utc("2026-03-01T12:00:00Z"))
		e := setup(t, dir, "Asia/Shanghai")
		defer e.db.Close()
		// Pulse is down over Monday 2026-03-09 09:00 Shanghai; it starts
		// on Tuesday and sends that digest once, at once.
		sleepUntil(utc("2026-03-10T04:00:00Z"))
		s := e.scheduler()
		s.Start(context.Background())
		synctest.Wait()
		got := e.sender.all()
		if len(got) != 2 || !got[0].at.Equal(utc("2026-03-10T04:00:00Z")) {
			t.Fatalf("catch-up sends = %v, want group + owner at start-up", got)
		}
		// Only the latest missed week is caught up, and the next Monday
		// runs as usual.
		sleepUntil(utc("2026-03-17T00:00:00Z"))
		s.Stop()
		synctest.Wait()
		if got := e.sender.all(); len(got) != 4 || !got[2].at.Equal(utc("2026-03-16T01:00:00Z")) {
			t.Fatalf("after catch-up: %d sends %v", len(got), got)
		}
		var rec store.DigestRecord
		e.db.View(func(tx *store.Tx) error {
			g, _ := tx.Group(group)
			rec, _, _ = g.Digest("2026-W10")
			return nil
		})
		if rec.State != "sent" {
			t.Errorf("record of 2026-W10 = %+v, want sent", rec)
		}
	})
}

func TestFailedSendRetriedNeverDuplicated(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		sleepUntil(utc("2026-03-01T12:00:00Z"))
		e := setup(t, dir, "UTC")
		defer e.db.Close()
		e.sender.fails["group"] = 2 // the group post fails twice; the owner DM works
		s := e.scheduler(time.Minute, 5*time.Minute, 15*time.Minute)
		s.Start(context.Background())
		sleepUntil(utc("2026-03-02T10:00:00Z"))
		s.Stop()
		synctest.Wait()
		got := e.sender.all()
		if len(got) != 2 {
			t.Fatalf("%d deliveries, want 2 (each recipient once): %v", len(got), got)
		}
		// Owner first (the group failed), then the group after 1 + 5 minutes.
		if !got[0].r.Direct || got[1].r.Direct || !got[1].at.Equal(utc("2026-03-02T09:06:00Z")) {
			t.Errorf("deliveries = %v", got)
		}

		// A platform that never accepts: the digest is reported failed,
		// and not sent again by a restart.
		e.sender.fails["group"] = 100
		sleepUntil(utc("2026-03-09T10:00:00Z"))
		s2 := e.scheduler(time.Minute)
		s2.Start(context.Background())
		sleepUntil(utc("2026-03-09T11:00:00Z"))
		s2.Stop()
		var rec store.DigestRecord
		e.db.View(func(tx *store.Tx) error {
			g, _ := tx.Group(group)
			rec, _, _ = g.Digest("2026-W10")
			return nil
		})
		if rec.State != "failed" || rec.Error == "" {
			t.Errorf("record = %+v, want failed with the error", rec)
		}
		s3 := e.scheduler(time.Minute)
		s3.Start(context.Background())
		s3.Stop()
		synctest.Wait()
		if n := len(e.sender.all()); n != 3 {
			t.Errorf("%d deliveries, want 3 (the W10 owner DM once, never the failed group post twice)", n)
		}
	})
}
