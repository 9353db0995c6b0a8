// Package bottest helps test the core: a bot on a temporary store with a
// fixed clock, and a loader that replays transcripts through it, so the
// core's tests need no adapter.
package bottest

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/transcript"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// Open opens a fresh store in the test's temporary directory; it is
// closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// New returns a bot on a fresh store. Unless o sets a clock, the bot's
// clock stands still at now.
func New(t testing.TB, now time.Time, o bot.Options) *bot.Bot {
	t.Helper()
	if o.Clock == nil {
		o.Clock = calendar.Fixed(now)
	}
	return bot.New(Open(t), o)
}

// Settings returns a settings function that gives every group s.
func Settings(s bot.GroupSettings) func(string) bot.GroupSettings {
	return func(string) bot.GroupSettings { return s }
}

// window bounds the events in flight, as the console does, so a long
// transcript is committed in batches.
const window = 1024

// Replay feeds the transcript in file through core and waits until every
// event is committed. Any line it cannot read fails the test. It returns
// the replies in order.
func Replay(t testing.TB, core *bot.Bot, file string, o transcript.Options) []bot.Reply {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("transcript: %v", err)
	}
	defer f.Close()
	ctx := context.Background()
	s := transcript.NewSession(o)
	r := transcript.NewReader(f)
	var queue []*bot.Pending
	var out []bot.Reply
	wait := func() {
		replies, err := queue[0].Wait(ctx)
		if err != nil {
			t.Fatalf("%s: commit: %v", file, err)
		}
		queue = queue[1:]
		out = append(out, replies...)
	}
	for {
		no, text, err := r.Next()
		if err != nil {
			if err == io.EOF {
				break
			}
			t.Fatalf("%s:%d: %v", file, no, err)
		}
		ev, has, err := s.Event(no, text)
		if err != nil {
			t.Fatalf("%s:%d: %v", file, no, err)
		}
		if !has {
			continue
		}
		p, err := core.Submit(ctx, ev)
		if err != nil {
			t.Fatalf("%s:%d: %v", file, no, err)
		}
		if queue = append(queue, p); len(queue) >= window {
			wait()
		}
	}
	for len(queue) > 0 {
		wait()
	}
	return out
}
