package digest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/transcript"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// replayWeek replays a transcript into a new English bot whose clock is
// now, and returns the public digest of 2026-W11.
func replayWeek(t *testing.T, file string, now time.Time, admins ...string) string {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s := bot.DefaultSettings()
	s.Location, s.Locale = loc, "en"
	b := bottest.New(t, now, bot.Options{Seed: 1, Settings: bottest.Settings(s)})
	bottest.Replay(t, b, file, transcript.Options{Group: "console/test", Location: loc, Admins: admins})
	monday, err := calendar.ParseWeek("2026-W11")
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.BuildDigest(context.Background(), "console/test", monday, "", true)
	if err != nil {
		t.Fatal(err)
	}
	return d.Public
}

// section is the block of lines of text starting with the line that
// starts with head and ending before the next empty line.
func section(text, head string) string {
	i := strings.Index(text, "\n"+head)
	if i < 0 {
		return ""
	}
	s := text[i+1:]
	if j := strings.Index(s, "\n\n"); j >= 0 {
		s = s[:j]
	}
	return s
}

// TestTopContributors (testdata/contributors.txt): contributors rank by
// the messages that were not commands and passed the spam filters.
//
//	ann  (admin): /checkin and 9 more commands        → 0, not listed
//	sam: "hi" ×20: the 1st passes (no previous message
//	     to repeat), the 2nd–20th repeat the one before → 1
//	hank: 5 different messages, each ≥ 2 characters
//	     (two inside the 60 s XP cooldown: no XP, still
//	     counted)                                       → 5
//
// so hank 5 first, sam 1 second. The welcome list comes from the week's
// joins, not from activity: hank joined and stayed; lea joined and left
// in the week; sam, however much he posted, has no join: only hank.
func TestTopContributors(t *testing.T) {
	got := replayWeek(t, "testdata/contributors.txt", time.Date(2026, 3, 16, 1, 0, 0, 0, time.UTC), "ann")
	want := "🏅 Top contributors:\n1. hank — counted messages: 5\n2. sam — counted messages: 1\n\n👋 Welcome to our new members: hank"
	if s := section(got, "🏅") + "\n\n" + section(got, "👋"); !strings.HasPrefix(s, want) {
		t.Errorf("digest:\n%s\nwant the lines\n%s", got, want)
	}
	// 1 (ann's /checkin) + 9 commands + 20 + 5 = 35 messages: the KPI still
	// counts every message, commands and repeats included.
	if !strings.Contains(got, "· Messages 35 ") {
		t.Errorf("messages KPI changed:\n%s", got)
	}
}

// TestStreakAsOfWeekEnd (testdata/streaks.txt): a star's streak is the
// run of checked-in days ending at the week's Sunday (or Saturday, when
// Sunday was missed), whatever came after. Built after W12 had happened,
// W11's digest reads as it did when W11 had just ended:
//
//	sue: 03-09 … 03-15, 7 days in a row     → 7/7 days, streak 7
//	     (her streak now, 03-18, is 10: not W11's)
//	tom: 03-09 … 03-14, none on 03-15       → 6/7 days, streak 6
//	     (his streak now is 1, from 03-16: not W11's)
func TestStreakAsOfWeekEnd(t *testing.T) {
	full, err := os.ReadFile("testdata/streaks.txt")
	if err != nil {
		t.Fatal(err)
	}
	w11, _, ok := strings.Cut(string(full), "# week W12")
	if !ok {
		t.Fatal("streaks.txt lost its W12 marker")
	}
	only := filepath.Join(t.TempDir(), "w11.txt")
	if err := os.WriteFile(only, []byte(w11), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = "🔥 Check-in stars: sue (7/7 days, streak 7), tom (6/7 days, streak 6)"
	then := replayWeek(t, only, time.Date(2026, 3, 16, 1, 0, 0, 0, time.UTC))
	later := replayWeek(t, "testdata/streaks.txt", time.Date(2026, 3, 20, 1, 0, 0, 0, time.UTC))
	if !hasLine(later, want) {
		t.Errorf("W11 built after W12:\n%s\nwant the line\n%s", later, want)
	}
	if then != later {
		t.Errorf("W11's digest changed once W12 happened:\nat the time:\n%s\nlater:\n%s", then, later)
	}
}

// TestPreCountedWeek: a week recorded before DayAgg.Counted existed (its
// records decode PreCounted, Counted 0) ranks by messages, as it did.
func TestPreCountedWeek(t *testing.T) {
	var a store.DayAgg
	a.Messages, a.PreCounted = 4, true
	if got := digest.DigestContributions(&a); got != 4 {
		t.Errorf("pre-Counted day counts %d, want its 4 messages", got)
	}
	a.PreCounted, a.Counted = false, 1
	if got := digest.DigestContributions(&a); got != 1 {
		t.Errorf("day counts %d, want Counted 1", got)
	}
}

func hasLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
