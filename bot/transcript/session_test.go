package transcript

import (
	"fmt"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
)

func TestSession(t *testing.T) {
	now := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	s := NewSession(Options{Group: "console/t", Admins: []string{"ann"}, Owners: []string{"olivia"}, Bots: []string{"robot"}, Clock: calendar.Fixed(now)})
	lines := []struct {
		text string
		has  bool
		want bot.Event
	}{
		{"# setup", false, bot.Event{}},
		{"[2026-01-05 09:00] bob: hi @ann and @nobody", true, bot.Event{Kind: bot.KindMessage, Member: bot.Member{ID: "bob", Name: "bob"}, Text: "hi @ann and @nobody",
			Time: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Mentions: []bot.Member{{ID: "ann", Name: "ann", IsAdmin: true}}}},
		{"ann > bob: welcome, @bob!", true, bot.Event{Kind: bot.KindMessage, Member: bot.Member{ID: "ann", Name: "ann", IsAdmin: true}, Text: "welcome, @bob!", Time: now,
			ReplyTo: bot.Member{ID: "bob", Name: "bob"}, Mentions: []bot.Member{{ID: "bob", Name: "bob"}}}},
		{"*olivia > bob", true, bot.Event{Kind: bot.KindReaction, Member: bot.Member{ID: "olivia", Name: "olivia", IsOwner: true}, Time: now,
			Target: bot.Member{ID: "bob", Name: "bob"}, MessageID: "L2.1"}},
		{"+carol", true, bot.Event{Kind: bot.KindJoin, Member: bot.Member{ID: "carol", Name: "carol"}, Time: now}},
		{"robot: beep", true, bot.Event{Kind: bot.KindMessage, Member: bot.Member{ID: "robot", Name: "robot", IsBot: true}, Text: "beep", Time: now}},
		{"-carol", true, bot.Event{Kind: bot.KindLeave, Member: bot.Member{ID: "carol", Name: "carol"}, Time: now}},
	}
	for i, l := range lines {
		ev, has, err := s.Event(i+1, l.text)
		if err != nil || has != l.has {
			t.Fatalf("line %d %q: has %v, %v", i+1, l.text, has, err)
		}
		if !has {
			continue
		}
		l.want.Group = "console/t"
		if !ev.Time.Equal(l.want.Time) {
			t.Errorf("line %d time %v, want %v", i+1, ev.Time, l.want.Time)
		}
		ev.Time, l.want.Time = time.Time{}, time.Time{}
		if got, want := fmt.Sprintf("%+v", ev), fmt.Sprintf("%+v", l.want); got != want {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got, want)
		}
	}
	if _, _, err := s.Event(9, "no colon here"); err == nil {
		t.Error("a malformed line gave no error")
	}
}
