package bot

import (
	"testing"

	"github.com/pulsebot/pulse/calendar"
)

// TestSpans: windows hold complete days only, and calendar windows are
// compared with the same days of the week or month before.
func TestSpans(t *testing.T) {
	day := func(s string) calendar.Day { d, _ := calendar.ParseDay(s); return d }
	tests := []struct {
		arg, today       string
		from, to         string
		prevFrom, prevTo string
		ok               bool
	}{
		{"", "2026-12-04", "2026-11-27", "2026-12-03", "2026-11-20", "2026-11-26", true},
		{"30天", "2026-12-04", "2026-11-04", "2026-12-03", "2026-10-05", "2026-11-03", true},
		// Wednesday: Monday–Tuesday against last Monday–Tuesday.
		{"本周", "2026-12-02", "2026-11-30", "2026-12-01", "2026-11-23", "2026-11-24", true},
		{"week", "2026-11-30", "", "", "", "", false}, // Monday: no complete day yet
		{"上周", "2026-12-02", "2026-11-23", "2026-11-29", "2026-11-16", "2026-11-22", true},
		{"本月", "2026-12-04", "2026-12-01", "2026-12-03", "2026-11-01", "2026-11-03", true},
		{"month", "2026-12-01", "", "", "", "", false},
		// March 31: the same days of February stop at its end.
		{"本月", "2027-03-31", "2027-03-01", "2027-03-30", "2027-02-01", "2027-02-28", true},
		{"上月", "2027-03-10", "2027-02-01", "2027-02-28", "2027-01-01", "2027-01-31", true},
		{"lastmonth", "2027-01-05", "2026-12-01", "2026-12-31", "2026-11-01", "2026-11-30", true},
	}
	for _, tt := range tests {
		p, ok := parsePeriod(tt.arg)
		if !ok {
			t.Fatalf("parsePeriod(%q) refused", tt.arg)
		}
		cur, prev, ok := spans(p, day(tt.today))
		if ok != tt.ok {
			t.Errorf("%s on %s: ok %v, want %v", tt.arg, tt.today, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		got := cur.From.String() + ".." + cur.To.String() + " vs " + prev.From.String() + ".." + prev.To.String()
		want := tt.from + ".." + tt.to + " vs " + tt.prevFrom + ".." + tt.prevTo
		if got != want {
			t.Errorf("%s on %s: %s, want %s", tt.arg, tt.today, got, want)
		}
	}
	if _, ok := parsePeriod("forever"); ok {
		t.Error("parsePeriod accepted forever")
	}
}
