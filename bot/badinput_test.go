package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

func TestBadEvents(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := bot.New(db, bot.Options{Seed: 1, Clock: calendar.Fixed(at)})
	ctx := context.Background()
	bad := []bot.Event{
		{Kind: 0, Group: "x/y", Member: bot.Member{ID: "a"}},
		{Kind: 99, Group: "x/y", Member: bot.Member{ID: "a"}},
		{Kind: bot.KindMessage, Group: "", Member: bot.Member{ID: "a"}},
		{Kind: bot.KindMessage, Group: "noslash", Member: bot.Member{ID: "a"}},
		{Kind: bot.KindMessage, Group: "x/y"},
		// A count is only for a reaction with no reactor, and needs a target.
		{Kind: bot.KindReaction, Group: "x/y", Count: 2},
		{Kind: bot.KindReaction, Group: "x/y", Member: bot.Member{ID: "a"}, Target: bot.Member{ID: "b"}, Count: 2},
		{Kind: bot.KindMessage, Group: "x/y", Target: bot.Member{ID: "b"}, Count: 2},
		{Kind: bot.KindReaction, Group: "x/y", Target: bot.Member{ID: "b"}, Count: -1},
		{Kind: bot.KindReaction, Group: "x/y", Target: bot.Member{ID: "b"}},
	}
	for _, ev := range bad {
		if _, err := b.Handle(ctx, ev); !errors.Is(err, bot.ErrBadEvent) {
			t.Errorf("Handle(%+v) = %v, want ErrBadEvent", ev, err)
		}
	}

	// A huge message, invalid UTF-8 and a command buried in a long text
	// are recorded as messages, never parsed as commands, never a panic.
	huge := strings.Repeat("长", 1<<20)
	for _, text := range []string{huge, "\xff\xfe签到", "签到 " + strings.Repeat("x", 10000)} {
		r, err := b.Handle(ctx, bot.Event{Kind: bot.KindMessage, Group: "x/y", Member: bot.Member{ID: "a"}, Time: at, Text: text})
		if err != nil || len(r) != 0 {
			t.Fatalf("Handle(%d bytes) = %v, %v", len(text), r, err)
		}
	}
	rows, err := bot.New(db, bot.Options{}).Members(context.Background(), "x/y", at)
	if err != nil || len(rows) != 1 || rows[0].Messages != 3 || rows[0].Checkins != 0 {
		t.Fatalf("members = %+v, %v", rows, err)
	}
	var chars int64
	db.View(func(tx *store.Tx) error {
		g, _ := tx.Group("x/y")
		a, _ := g.Day(calendar.DayOf(at, time.UTC), "a")
		chars = a.Chars
		return nil
	})
	if want := int64(1<<20 + 3 + 10003); chars != want {
		t.Errorf("characters = %d, want %d (runes; a run of bad bytes becomes one U+FFFD)", chars, want)
	}
}

// TestReadsHonourContext: reports asked with an ended context are refused
// with the context's error instead of reading.
func TestReadsHonourContext(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := bottest.New(t, at, bot.Options{Seed: 1})
	if _, err := b.Handle(context.Background(), bot.Event{Kind: bot.KindMessage, Group: "x/y", Member: bot.Member{ID: "a"}, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	day := calendar.DayOf(at, time.UTC)
	if _, err := b.Report(ctx, "x/y", day, 7); !errors.Is(err, context.Canceled) {
		t.Errorf("Report = %v, want context.Canceled", err)
	}
	if _, err := b.Daily(ctx, "x/y", 0, day); !errors.Is(err, context.Canceled) {
		t.Errorf("Daily = %v, want context.Canceled", err)
	}
	if _, err := b.BuildDigest(ctx, "x/y", calendar.Monday(day), "", true); !errors.Is(err, context.Canceled) {
		t.Errorf("BuildDigest = %v, want context.Canceled", err)
	}
	if _, err := b.Report(context.Background(), "x/y", day, 7); err != nil {
		t.Errorf("Report with a live context: %v", err)
	}
}
