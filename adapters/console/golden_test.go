package console

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// TestGolden runs every testdata/*.txt transcript through the real core
// and store and compares what the bot says with testdata/*.golden.
// Directives in "#! key=value" lines set up the group:
// tz, lang, admins, owners, bots, xp (fixed XP per message), checkin_xp,
// announce (off|every|every_n:N), makeup_window, makeup_cost, now.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no transcripts in testdata")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := runTranscript(t, in)
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", file, golden, got, want)
			}
		})
	}
}

func runTranscript(t *testing.T, in []byte) []byte {
	t.Helper()
	settings := bot.DefaultSettings()
	o := Options{Group: "console/test", Clock: fixedClock{time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}}
	for _, line := range strings.Split(string(in), "\n") {
		d, ok := strings.CutPrefix(line, "#! ")
		if !ok {
			continue
		}
		for _, kv := range strings.Fields(d) {
			k, v, _ := strings.Cut(kv, "=")
			atoi := func() int {
				n, err := strconv.Atoi(v)
				if err != nil {
					t.Fatalf("directive %s: %v", kv, err)
				}
				return n
			}
			switch k {
			case "tz":
				loc, err := time.LoadLocation(v)
				if err != nil {
					t.Fatal(err)
				}
				settings.Location = loc
			case "lang":
				settings.Locale = v
			case "admins":
				o.Admins = strings.Split(v, ",")
			case "owners":
				o.Owners = strings.Split(v, ",")
			case "bots":
				o.Bots = strings.Split(v, ",")
			case "xp":
				settings.Rules.XP.Min, settings.Rules.XP.Max = atoi(), atoi()
			case "checkin_xp":
				settings.Rules.Checkin.XP = atoi()
			case "announce":
				settings.Rules.Levels.Announce = v
				if a, n, ok := strings.Cut(v, ":"); ok {
					settings.Rules.Levels.Announce = a
					settings.Rules.Levels.AnnounceEvery, _ = strconv.Atoi(n)
				}
			case "makeup_window":
				settings.Rules.Makeup.WindowDays = atoi()
			case "makeup_cost":
				settings.Rules.Makeup.Cost = atoi()
			case "now":
				tm, err := time.Parse(time.RFC3339, v)
				if err != nil {
					t.Fatal(err)
				}
				o.Clock = fixedClock{tm}
			default:
				t.Fatalf("unknown directive %q", k)
			}
		}
	}
	if err := settings.Rules.Validate(); err != nil {
		t.Fatal(err)
	}
	o.Location = settings.Location
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(db, bot.Options{Clock: o.Clock, Seed: 1, Settings: func(string) bot.GroupSettings { return settings }})
	var out, errs bytes.Buffer
	o.Errors = &errs
	if _, err := Run(context.Background(), b, bytes.NewReader(in), &out, o); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.SplitAfter(errs.String(), "\n") {
		if l != "" {
			out.WriteString("error: " + l)
		}
	}
	return out.Bytes()
}
