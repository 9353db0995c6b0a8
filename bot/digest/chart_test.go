package digest

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
)

// days returns n days from the date first, with the active members and
// messages f gives for each.
func days(first string, n int, f func(i int) (active, messages int64)) []metrics.Day {
	t, err := time.Parse(time.DateOnly, first)
	if err != nil {
		panic(err)
	}
	out := make([]metrics.Day, n)
	for i := range out {
		a, m := f(i)
		out[i] = metrics.Day{Date: t.AddDate(0, 0, i).Format(time.DateOnly), Active: a, Messages: m}
	}
	return out
}

func TestChartLayout(t *testing.T) {
	tests := []struct {
		name           string
		days           []metrics.Day
		week           string
		band           [2]float64 // from, to; equal when none
		maxDAU, maxMsg float64
	}{
		{"one day", days("2026-03-09", 1, func(int) (int64, int64) { return 1, 3 }), "2026-03-09", [2]float64{-0.5, 0.5}, 1, 3},
		{"small group, 15 days", days("2026-03-01", 15, func(i int) (int64, int64) { return int64(i % 3), int64(i * 2) }), "2026-03-09", [2]float64{7.5, 14.5}, 2, 28},
		{"8 weeks", days("2026-01-19", 56, func(i int) (int64, int64) { return 40, int64(300 + i) }), "2026-03-09", [2]float64{48.5, 55.5}, 40, 355},
		{"quiet", days("2026-03-09", 7, func(int) (int64, int64) { return 0, 0 }), "2026-03-09", [2]float64{-0.5, 6.5}, 0, 0},
		{"no week", days("2026-03-09", 7, func(int) (int64, int64) { return 5, 5 }), "", [2]float64{0, 0}, 5, 5},
		{"week after the days", days("2026-03-01", 7, func(int) (int64, int64) { return 5, 5 }), "2026-03-09", [2]float64{0, 0}, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := chartLayout(tt.days, tt.week)
			n := len(tt.days)
			if l.XMin != -0.5 || l.XMax != float64(n)-0.5 {
				t.Errorf("x range %v..%v, want -0.5..%v", l.XMin, l.XMax, float64(n)-0.5)
			}
			if len(l.Bars) != n {
				t.Fatalf("%d bars for %d days", len(l.Bars), n)
			}
			w0 := l.Bars[0].Hi - l.Bars[0].Lo
			if w0 <= 0 || w0 >= 1 {
				t.Errorf("bar width %v, want between 0 and the tick spacing 1", w0)
			}
			for i, b := range l.Bars {
				// Centred on day i's tick, which dateTicks puts at x = i.
				if c := (b.Lo + b.Hi) / 2; math.Abs(c-float64(i)) > 1e-9 {
					t.Errorf("bar %d centred at %v, tick at %d", i, c, i)
				}
				if w := b.Hi - b.Lo; math.Abs(w-w0) > 1e-9 {
					t.Errorf("bar %d is %v wide, bar 0 %v", i, w, w0)
				}
				if b.Lo < l.XMin || b.Hi > l.XMax {
					t.Errorf("bar %d %v..%v outside the x range", i, b.Lo, b.Hi)
				}
			}
			if got := [2]float64{l.BandFrom, l.BandTo}; got != tt.band {
				t.Errorf("band %v, want %v", got, tt.band)
			}
			for _, c := range []struct {
				name     string
				top, max float64
			}{{"active", l.DAUTop, tt.maxDAU}, {"messages", l.MessagesTop, tt.maxMsg}} {
				if c.top < c.max*1.1 || c.top < 1 {
					t.Errorf("%s axis top %v for a highest value %v: want at least 10%% headroom", c.name, c.top, c.max)
				}
			}
		})
	}
	ticks := dateTicks(days("2026-03-01", 15, func(int) (int64, int64) { return 0, 0 })).Ticks(0, 0)
	for i, tk := range ticks {
		if tk.Value != float64(i) {
			t.Errorf("tick %d at %v", i, tk.Value)
		}
	}
}

func TestTickLabels(t *testing.T) {
	tests := []struct {
		name string
		days []metrics.Day
		want map[int]string // labelled ticks; every other is ""
	}{
		{"one year, daily", days("2026-03-09", 3, func(int) (int64, int64) { return 0, 0 }),
			map[int]string{0: "03-09", 1: "03-10", 2: "03-11"}},
		{"across new year, daily", days("2025-12-30", 4, func(int) (int64, int64) { return 0, 0 }),
			map[int]string{0: "12-30\n2025", 1: "12-31", 2: "01-01\n2026", 3: "01-02"}},
		{"across new year, weekly", days("2025-11-17", 56, func(int) (int64, int64) { return 0, 0 }),
			map[int]string{0: "11-17\n2025", 7: "11-24", 14: "12-01", 21: "12-08", 28: "12-15", 35: "12-22", 42: "12-29", 49: "01-05\n2026"}},
		{"8 weeks in one year", days("2026-01-19", 56, func(int) (int64, int64) { return 0, 0 }),
			map[int]string{0: "01-19", 7: "01-26", 14: "02-02", 21: "02-09", 28: "02-16", 35: "02-23", 42: "03-02", 49: "03-09"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tickLabels(tt.days)
			for i, l := range got {
				if l != tt.want[i] {
					t.Errorf("label %d = %q, want %q", i, l, tt.want[i])
				}
			}
		})
	}
}

func TestChartSpan(t *testing.T) {
	tests := []struct {
		days   int
		zh, en string
	}{
		{1, "本周", "this week"}, {7, "本周", "this week"}, {8, "近 2 周", "last 2 weeks"},
		{15, "近 3 周", "last 3 weeks"}, {42, "近 6 周", "last 6 weeks"}, {56, "近 8 周", "last 8 weeks"},
	}
	for _, tt := range tests {
		if got := chartSpan(i18n.Zh, tt.days); got != tt.zh {
			t.Errorf("zh, %d days: %q, want %q", tt.days, got, tt.zh)
		}
		if got := chartSpan(i18n.En, tt.days); got != tt.en {
			t.Errorf("en, %d days: %q, want %q", tt.days, got, tt.en)
		}
		if got := i18n.T(i18n.Zh, "digest.chart", chartSpan(i18n.Zh, tt.days)); !strings.Contains(got, "："+tt.zh+"每日") {
			t.Errorf("zh caption %q", got)
		}
	}
}

// TestChartPNG draws a multi-year and a small group's chart; with
// PULSE_CHART_DIR set it writes them there to be looked at. The zh charts
// need a CJK font and are skipped without one.
func TestChartPNG(t *testing.T) {
	charts := []struct {
		name, locale, week string
		days               []metrics.Day
	}{
		{"chart-multiyear", "en", "2026-01-05", days("2025-11-17", 56, func(i int) (int64, int64) { return int64(30 + i%7*4 + i/4), int64(200 + i%5*60 + i*3) })},
		{"chart-small", "en", "2026-03-09", days("2026-03-01", 15, func(i int) (int64, int64) {
			return int64(1 + i%3), int64([]int{2, 0, 5, 1, 3, 0, 1, 4, 2, 6, 1, 0, 2, 3, 1}[i])
		})},
		{"chart-small-zh", "zh", "2026-03-09", days("2026-03-01", 15, func(i int) (int64, int64) { return int64(1 + i%3), int64(i % 4) })},
	}
	for _, c := range charts {
		t.Run(c.name, func(t *testing.T) {
			font := ""
			if c.locale == i18n.Zh {
				if font = FindCJKFont(""); font == "" {
					t.Skip("no CJK font installed (Debian: fonts-noto-cjk)")
				}
			}
			b, err := Chart(c.days, c.locale, "", font, c.week)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if r := img.Bounds(); r.Dx() != 768 || r.Dy() != 480 {
				t.Errorf("chart %dx%d", r.Dx(), r.Dy())
			}
			if dir := os.Getenv("PULSE_CHART_DIR"); dir != "" {
				if err := os.WriteFile(dir+"/"+c.name+".png", b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
