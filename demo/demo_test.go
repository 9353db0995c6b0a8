package demo

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

var printOut = flag.Bool("print", false, "print the demo's output")

type setup struct {
	locale string
	zone   string
}

// run runs the demo on a fresh database the way `pulse demo` does.
func run(t testing.TB, su setup, o Options) (Summary, string, []bot.MemberRow) {
	t.Helper()
	loc, err := time.LoadLocation(su.zone)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	end := time.Date(2026, 3, 15, 21, 30, 0, 0, loc)
	settings := bot.DefaultSettings()
	settings.Locale, settings.Location = su.locale, loc
	clock := calendar.Fixed(end)
	b := bot.New(db, bot.Options{Clock: clock, Seed: 1, Settings: func(string) bot.GroupSettings { return settings }})
	o.End = end
	var out bytes.Buffer
	sum, err := Run(context.Background(), b, &out, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if o.Group == "" {
		o.Group = "console/demo"
	}
	rows, err := b.Members(context.Background(), o.Group, end)
	if err != nil {
		t.Fatal(err)
	}
	if *printOut {
		t.Logf("%+v\n%s", sum, out.String())
	}
	return sum, out.String(), rows
}

// withoutTiming drops the line that says how long the run took.
func withoutTiming(out, locale string) string {
	prefix, _, _ := strings.Cut(tr(locale, "timing"), "%")
	var b strings.Builder
	for _, l := range strings.SplitAfter(out, "\n") {
		if !strings.HasPrefix(l, prefix) {
			b.WriteString(l)
		}
	}
	return b.String()
}

func TestRun(t *testing.T) {
	o := Options{Members: 60, Weeks: 2}
	sum, out, rows := run(t, setup{i18n.En, "UTC"}, o)

	if sum.Members != 60 || sum.Joins == 0 || sum.Leaves == 0 || sum.Checkins == 0 || sum.Makeups == 0 ||
		sum.Messages == 0 || sum.Reactions == 0 || sum.Events < sum.Messages+sum.Joins+sum.Leaves+sum.Reactions {
		t.Errorf("implausible summary %+v", sum)
	}
	if sum.Elapsed <= 0 {
		t.Errorf("Elapsed = %v", sum.Elapsed)
	}
	for _, key := range []string{"title", "members", "admins", "owners"} {
		if !strings.Contains(out, tr(i18n.En, key)) {
			t.Errorf("output lacks %q", tr(i18n.En, key))
		}
	}
	for _, want := range []string{
		"pulse: ✅", " checked in, 1st today!", // the first check-in of the last day
		"reached level",   // a level-up
		" made up ",       // a make-up
		"only admins can", // a refused grant
		"pulse: 📇",        // /me
		"Top points (all time)", "Top XP (this week)", "Top streaks",
		"points to ", "Spam earns nothing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "\n"+Prefix); n < 20 {
		t.Errorf("only %d %q lines", n, Prefix)
	}

	// Bots never earn anything. The core does not record their messages,
	// so they are absent or at zero.
	for _, r := range rows {
		if (r.Bot || strings.HasPrefix(r.ID, "bot_")) && (r.XP != 0 || r.Points != 0 || r.Messages != 0) {
			t.Errorf("bot %s earned: %+v", r.ID, r)
		}
	}
	// Spam accounts earn at most their first copy's XP.
	for _, r := range rows {
		for _, names := range spamNames {
			for _, n := range names {
				if r.Name == n && r.XP > int64(bot.DefaultSettings().Rules.XP.Max) {
					t.Errorf("spammer %s has %d XP", n, r.XP)
				}
			}
		}
	}

	// Determinism: a second run on a fresh database prints the same.
	_, again, _ := run(t, setup{i18n.En, "UTC"}, o)
	if a, b := withoutTiming(out, i18n.En), withoutTiming(again, i18n.En); a != b {
		t.Errorf("two runs differ:\n--- first\n%s\n--- second\n%s", a, b)
	}
	if withoutTiming(out, i18n.En) == out {
		t.Error("no timing line found")
	}
}

func TestRunChinese(t *testing.T) {
	_, out, _ := run(t, setup{i18n.Zh, "Asia/Shanghai"}, Options{Members: 60, Weeks: 2, Locale: i18n.Zh})
	for _, key := range []string{"title", "members", "admins", "owners", "members.lastday"} {
		if !strings.Contains(out, tr(i18n.Zh, key)) {
			t.Errorf("output lacks %q", tr(i18n.Zh, key))
		}
	}
	for _, en := range []string{tr(i18n.En, "members"), tr(i18n.En, "owners"), "What ", "check-ins"} {
		if strings.Contains(out, en) {
			t.Errorf("Chinese output contains %q", en)
		}
	}
	for _, want := range []string{"签到成功，今天第1个签到", "补签", "排行榜", "Asia/Shanghai"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestSeedChangesCommunity(t *testing.T) {
	_, a, _ := run(t, setup{i18n.En, "UTC"}, Options{Members: 40, Weeks: 1, Seed: 1})
	_, b, _ := run(t, setup{i18n.En, "UTC"}, Options{Members: 40, Weeks: 1, Seed: 2})
	if withoutTiming(a, i18n.En) == withoutTiming(b, i18n.En) {
		t.Error("seeds 1 and 2 gave the same demo")
	}
}

// TestShapes runs sizes and end times at the edges: a tiny group, a long
// period, and an End just after midnight when the last day has barely begun.
func TestShapes(t *testing.T) {
	for _, tc := range []struct {
		name           string
		members, weeks int
		hour, minute   int
		su             setup
	}{
		{"tiny", 10, 1, 12, 0, setup{i18n.En, "UTC"}},
		{"just after midnight", 50, 2, 0, 5, setup{i18n.Zh, "Asia/Shanghai"}},
		{"late night", 50, 1, 23, 59, setup{i18n.En, "Asia/Shanghai"}},
		{"half a year", 30, 26, 9, 0, setup{i18n.Zh, "UTC"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc, _ := time.LoadLocation(tc.su.zone)
			end := time.Date(2026, 3, 15, tc.hour, tc.minute, 0, 0, loc)
			db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			settings := bot.DefaultSettings()
			settings.Locale, settings.Location = tc.su.locale, loc
			b := bot.New(db, bot.Options{Clock: calendar.Fixed(end), Seed: 1, Settings: func(string) bot.GroupSettings { return settings }})
			var out bytes.Buffer
			sum, err := Run(context.Background(), b, &out, Options{Members: tc.members, Weeks: tc.weeks})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if *printOut {
				t.Logf("%+v\n%s", sum, out.String())
			}
			if sum.Checkins == 0 || sum.Messages == 0 {
				t.Errorf("implausible summary %+v", sum)
			}
			for _, key := range []string{"members", "admins", "owners", "members.lastday"} {
				if !strings.Contains(out.String(), tr(tc.su.locale, key)) {
					t.Errorf("output lacks %q:\n%s", tr(tc.su.locale, key), out.String())
				}
			}
		})
	}
}

// TestSecondRunRefused: a database that already holds the group is left
// alone with a clear error.
func TestSecondRunRefused(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	end := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	b := bot.New(db, bot.Options{Clock: calendar.Fixed(end), Seed: 1})
	o := Options{Members: 20, Weeks: 1}
	if _, err := Run(context.Background(), b, &bytes.Buffer{}, o); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := Run(context.Background(), b, &out, o)
	if err == nil || !strings.Contains(err.Error(), "fresh database") {
		t.Errorf("second run: err = %v, want a request for a fresh database", err)
	}
	if sum.Events != 0 || out.Len() != 0 {
		t.Errorf("second run submitted %d events and wrote %q", sum.Events, out.String())
	}
}

func TestOptionsRefused(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(db, bot.Options{Clock: calendar.Fixed(time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)), Seed: 1})
	for _, o := range []Options{{Members: 3}, {Weeks: 200}, {Locale: "fr"}} {
		if _, err := Run(context.Background(), b, &bytes.Buffer{}, o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
}

// TestTexts checks that every fixed line exists in both languages and that
// no simulated chat line reads as a command.
func TestTexts(t *testing.T) {
	n := 0
	for _, key := range i18n.Keys() {
		k, ok := strings.CutPrefix(key, "demo.")
		if !ok {
			continue
		}
		n++
		if zh := tr(i18n.Zh, k); zh == "" || zh == key {
			t.Errorf("%q has no Chinese text", k)
		}
		if en := tr(i18n.En, k); en == "" || en == key {
			t.Errorf("%q has no English text", k)
		}
	}
	if n == 0 {
		t.Error("no demo texts in the catalog")
	}
	for loc, l := range talk {
		for _, list := range [][]string{l.chat, l.replies, l.intros, l.welcomes, l.evening, l.spam, l.quotes} {
			for _, s := range list {
				for _, suf := range l.suffixes {
					if c, ok := commands.Parse(s + suf); ok {
						t.Errorf("%s: chat line %q reads as command %s", loc, s+suf, c.Name)
					}
				}
			}
		}
		for _, cmd := range []string{l.checkin, l.checkinAlt, l.makeup, l.me, l.top, l.topXPWeek} {
			if _, ok := commands.Parse(cmd); !ok {
				t.Errorf("%s: %q is not a command", loc, cmd)
			}
		}
	}
}

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"alice_w": 7, "张伟": 4, "Kevin刘": 7, "": 0} {
		if got := width(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
	}
}

// BenchmarkDemo runs the default demo (300 members, 6 weeks) and reports
// the core's ingest rate. PULSE_DEMO_OUT=FILE writes the demo's output to
// FILE; PULSE_DEMO_LANG=zh runs a Chinese group in Asia/Shanghai.
func BenchmarkDemo(b *testing.B) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		db, err := store.Open(filepath.Join(dir, "demo.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		settings := bot.DefaultSettings()
		if os.Getenv("PULSE_DEMO_LANG") == i18n.Zh {
			settings.Locale, settings.Location = i18n.Zh, shanghai
		}
		end := time.Date(2026, 3, 15, 21, 30, 0, 0, settings.Location)
		bt := bot.New(db, bot.Options{Clock: calendar.Fixed(end), Seed: 1, Settings: func(string) bot.GroupSettings { return settings }})
		var out bytes.Buffer
		b.StartTimer()
		sum, err := Run(context.Background(), bt, &out, Options{End: end})
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		b.ReportMetric(float64(sum.Events), "events")
		b.ReportMetric(sum.EventsPerSecond(), "events/s")
		b.ReportMetric(sum.Elapsed.Seconds(), "ingest-s")
		if f := os.Getenv("PULSE_DEMO_OUT"); f != "" {
			if err := os.WriteFile(f, out.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
}
