package wechat_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/store"
)

// The tests drive the real openwechat code against wechattest's fake
// server on loopback, with a real store and core and a fixed clock.

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// now is the fixed time of the tests: a Monday morning in Shanghai.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// recorder is the core, recording the events it took (once they are on
// their way to the store).
type recorder struct {
	*bot.Bot
	mu     sync.Mutex
	events []bot.Event
}

func (r *recorder) Submit(ctx context.Context, ev bot.Event) (*bot.Pending, error) {
	p, err := r.Bot.Submit(ctx, ev)
	if err == nil {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
	}
	return p, err
}

func (r *recorder) Events(kind bot.Kind) []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []bot.Event
	for _, ev := range r.events {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// env is a fake WeChat, a store, a core and an adapter.
type env struct {
	t    *testing.T
	srv  *wechattest.Server
	dir  string
	db   *store.DB
	core *recorder
	cfg  wechat.Config
	logs *syncBuffer
	qr   *syncBuffer
	tm   wechat.Timing

	a      *wechat.Adapter
	cancel context.CancelFunc
	done   chan error
}

// fast are the waits of the tests.
var fast = wechat.Timing{
	SendInterval: time.Millisecond, MemberPoll: time.Hour, ListSpacing: time.Millisecond,
	LoginRetry: 10 * time.Millisecond, LoginRetryMax: 40 * time.Millisecond,
	SyncRetry: 5 * time.Millisecond, RateLimit: 20 * time.Millisecond, RateLimitMax: 80 * time.Millisecond,
}

// newEnv sets up the fake with a group 读书会 ("book": Olivia the owner,
// Alice, Bob) and Olivia as a friend of the bot.
func newEnv(t *testing.T) *env {
	t.Helper()
	srv := wechattest.NewServer()
	t.Cleanup(srv.Close)
	srv.SetClock(func() time.Time { return now })
	srv.AddFriend("olivia", "Olivia")
	srv.AddGroup("book", "读书会", "olivia",
		wechattest.Member{Key: "olivia", Nick: "Olivia"},
		wechattest.Member{Key: "alice", Nick: "Alice", Avatar: "11"},
		wechattest.Member{Key: "bob", Nick: "Bob", Display: "小鲍"},
	)
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	core := &recorder{Bot: bot.New(db, bot.Options{
		Clock: fixedClock{now}, Seed: 1,
		Settings: func(string) bot.GroupSettings {
			return bot.GroupSettings{Locale: "zh", Location: shanghai, Rules: growth.Default(), DedupDays: 14}
		},
	})}
	return &env{
		t: t, srv: srv, dir: dir, db: db, core: core, logs: &syncBuffer{}, qr: &syncBuffer{}, tm: fast,
		cfg: wechat.Config{Enabled: true, BaseURL: srv.URL, Owners: []string{"Olivia"}},
	}
}

func slogTo(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// start runs a new adapter on the env's store.
func (e *env) start(opts ...wechat.Option) *wechat.Adapter {
	e.t.Helper()
	log := slogTo(e.logs)
	opts = append([]wechat.Option{wechat.WithQRWriter(e.qr), wechat.WithTiming(e.tm), wechat.WithClock(fixedClock{now}), wechat.WithSeed(1)}, opts...)
	a, err := wechat.New(context.Background(), e.cfg, e.core, log, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.a, e.cancel, e.done = a, cancel, make(chan error, 1)
	go func() { e.done <- a.Run(ctx) }()
	e.t.Cleanup(e.stop)
	return a
}

// stop stops the adapter, if running, and waits for Run to return.
func (e *env) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	select {
	case err := <-e.done:
		if err != nil {
			e.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		e.t.Errorf("Run did not return after its context ended")
	}
	e.cancel = nil
}

// waitFor polls cond until it holds, failing the test after a deadline.
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s\nlogs:\n%s", what, e.logs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// settle waits until every event the core has taken so far is committed:
// the store's single writer commits in order, so a write queued now is
// acknowledged only after theirs.
func (e *env) settle() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.db.Update(ctx, func(*store.Tx) error { return nil }); err != nil {
		e.t.Fatalf("waiting for the commit: %v", err)
	}
}

// loggedIn waits for the adapter's login count to reach n and for the
// group to be linked.
func (e *env) loggedIn(n int64) {
	e.t.Helper()
	e.waitFor(fmt.Sprintf("login %d", n), func() bool { return e.a.Stats().Sessions >= n && e.a.LoggedIn() })
}

// sentTo returns the texts sent to a key (group or person).
func (e *env) sentTo(key string) []string {
	var out []string
	for _, s := range e.srv.Sent() {
		if s.ToKey == key && s.Type == 1 {
			out = append(out, s.Content)
		}
	}
	return out
}

// waitSent waits for a text containing sub sent to key and returns it.
func (e *env) waitSent(key, sub string) string {
	e.t.Helper()
	var got string
	e.waitFor(fmt.Sprintf("a message to %s containing %q", key, sub), func() bool {
		for _, s := range e.sentTo(key) {
			if strings.Contains(s, sub) {
				got = s
				return true
			}
		}
		return false
	})
	return got
}

// member returns a member's record in the core's store by name.
func (e *env) member(group, name string) (string, *store.Member) {
	e.t.Helper()
	var id string
	var m store.Member
	err := e.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachMember(func(mid string, sm *store.Member) error {
			if sm.Name == name {
				if id != "" {
					return fmt.Errorf("two members named %q: %s and %s", name, id, mid)
				}
				id, m = mid, *sm
			}
			return nil
		})
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if id == "" {
		return "", nil
	}
	return id, &m
}

// memberCount returns how many members the core's store has in a group.
func (e *env) memberCount(group string) int {
	e.t.Helper()
	n := 0
	err := e.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachMember(func(string, *store.Member) error { n++; return nil })
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// roster returns the group's joins (true) and leaves (false) by member id.
func (e *env) roster(group string) (joins, leaves map[string]int) {
	e.t.Helper()
	joins, leaves = map[string]int{}, map[string]int{}
	err := e.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachRoster(0, 1<<62, func(r store.RosterEntry) error {
			if r.Join {
				joins[r.Member]++
			} else {
				leaves[r.Member]++
			}
			return nil
		})
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return joins, leaves
}
