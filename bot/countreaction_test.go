package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/calendar"
)

// TestCountOnlyReaction: a count-only reaction (no reactor, Count 3) on
// a's message and a reaction by b on the same message. By hand: the group
// has 1 message, reacted once (not twice), 3 + 1 = 4 reactions; a received
// 4; b gave 1; no one is credited with the other 3. A count-only reaction
// to a bot's message counts nothing.
func TestCountOnlyReaction(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b := bottest.New(t, at, bot.Options{Seed: 1})
	ctx := context.Background()
	const g = "console/test"
	a, bb, robot := bot.Member{ID: "a"}, bot.Member{ID: "b"}, bot.Member{ID: "robot", IsBot: true}
	for _, ev := range []bot.Event{
		{Kind: bot.KindMessage, Group: g, ID: "m1", Member: a, Text: "hello", Time: at},
		{Kind: bot.KindReaction, Group: g, ID: "m1/count", Target: a, MessageID: "m1", Count: 3, Time: at.Add(time.Minute)},
		{Kind: bot.KindReaction, Group: g, ID: "m1/b", Member: bb, Target: a, MessageID: "m1", Time: at.Add(2 * time.Minute)},
		{Kind: bot.KindReaction, Group: g, ID: "m2/count", Target: robot, MessageID: "m2", Count: 5, Time: at.Add(3 * time.Minute)},
	} {
		if _, err := b.Handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	day := calendar.DayOf(at, time.UTC)
	rows, err := b.Daily(ctx, g, day, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Messages != 1 || rows[0].Reacted != 1 || rows[0].Reactions != 4 {
		t.Errorf("day: %+v; want 1 message, reacted once, 4 reactions", rows)
	}
	rep, err := b.Report(ctx, g, day, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.InteractionRate; r.Num != 1 || r.Den != 1 {
		t.Errorf("interaction rate %v, want 1/1", r)
	}
}
