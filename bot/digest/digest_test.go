package digest_test

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/bot/transcript"
	"github.com/pulsebot/pulse/calendar"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t *testing.T, locale string) *bot.Bot {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s := bot.DefaultSettings()
	s.Location, s.Locale = loc, locale
	b := bottest.New(t, time.Date(2026, 3, 16, 1, 0, 0, 0, time.UTC), bot.Options{Seed: 1, Settings: bottest.Settings(s)})
	bottest.Replay(t, b, "testdata/week.txt", transcript.Options{
		Group: "console/test", Location: loc, Bots: []string{"robot"}, Owners: []string{"olivia"}})
	return b
}

// TestGoldenDigests: the digest of 2026-W11, as posted and as owners get
// it, in Chinese and English.
func TestGoldenDigests(t *testing.T) {
	for _, locale := range []string{"en", "zh"} {
		t.Run(locale, func(t *testing.T) {
			b := load(t, locale)
			monday, err := calendar.ParseWeek("2026-W11")
			if err != nil {
				t.Fatal(err)
			}
			d, err := b.BuildDigest(context.Background(), "console/test", monday, "", false)
			if err != nil {
				t.Fatal(err)
			}
			got := []byte("=== posted in the group\n" + d.Public + "\n=== sent to owners\n" + d.Private + "\n")
			golden := filepath.Join("testdata", "digest_"+locale+".golden")
			if *update {
				os.WriteFile(golden, got, 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("digest differs from %s:\n%s", golden, got)
			}
			img, err := png.Decode(bytes.NewReader(d.Chart))
			if err != nil {
				t.Fatalf("chart is not a PNG: %v", err)
			}
			if r := img.Bounds(); r.Dx() != 768 || r.Dy() != 480 || len(d.Chart) < 5000 || len(d.Chart) > 500_000 {
				t.Errorf("chart %dx%d, %d bytes", r.Dx(), r.Dy(), len(d.Chart))
			}
		})
	}
}

func TestParseWeek(t *testing.T) {
	tests := []struct {
		in, monday string
		ok         bool
	}{
		{"2026-W01", "2025-12-29", true}, {"2026-W11", "2026-03-09", true}, {"2026-W53", "2026-12-28", true}, {"2025-W53", "", false},
		{"2020-W53", "2020-12-28", true}, {"2026-11", "", false}, {"2026-W1", "", false}, {"x", "", false},
	}
	for _, tt := range tests {
		d, err := calendar.ParseWeek(tt.in)
		if (err == nil) != tt.ok || tt.ok && d.String() != tt.monday {
			t.Errorf("ParseWeek(%q) = %s, %v; want %s ok=%v", tt.in, d, err, tt.monday, tt.ok)
		}
	}
}
