package calendar_test

import (
	"testing"
	"time"

	"github.com/pulsebot/pulse/calendar"
)

func TestDayOf(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		loc  *time.Location
		want string
	}{
		{time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), sh, "2026-12-01"},      // midnight in Shanghai
		{time.Date(2026, 11, 30, 15, 59, 59, 0, time.UTC), sh, "2026-11-30"},    // a second before
		{time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC), ny, "2026-03-08"},        // the DST morning
		{time.Date(2026, 1, 1, 4, 59, 0, 0, time.UTC), ny, "2025-12-31"},        // New Year in UTC, not yet in New York
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC, "1970-01-01"},   // day 0
		{time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), time.UTC, "2028-02-29"}, // a leap day
	}
	for _, tt := range tests {
		d := calendar.DayOf(tt.at, tt.loc)
		if got := d.String(); got != tt.want {
			t.Errorf("DayOf(%v, %v) = %s, want %s", tt.at, tt.loc, got, tt.want)
		}
		p, err := calendar.ParseDay(tt.want)
		if err != nil || p != d {
			t.Errorf("ParseDay(%s) = %d, %v; want %d", tt.want, p, err, d)
		}
		if start := d.Start(tt.loc); calendar.DayOf(start, tt.loc) != d || d > 0 && calendar.DayOf(start.Add(-time.Nanosecond), tt.loc) != d-1 {
			t.Errorf("%s starts at %v in %v, which is not its first instant", d, start, tt.loc)
		}
	}
	for _, bad := range []string{"", "2026-13-01", "2026-02-30", "26-01-01", "2026/01/01"} {
		if _, err := calendar.ParseDay(bad); err == nil {
			t.Errorf("ParseDay(%q) accepted", bad)
		}
	}
}

func TestWeeks(t *testing.T) {
	tests := []struct {
		day, monday, week string
	}{
		{"2026-12-04", "2026-11-30", "2026-W49"}, // a Friday
		{"2026-11-30", "2026-11-30", "2026-W49"}, // the Monday itself
		{"2026-12-06", "2026-11-30", "2026-W49"}, // Sunday ends the week
		{"2027-01-01", "2026-12-28", "2026-W53"}, // 2026 has 53 ISO weeks
		{"2025-12-29", "2025-12-29", "2026-W01"}, // week 1 begins in December
	}
	for _, tt := range tests {
		d, _ := calendar.ParseDay(tt.day)
		mon := calendar.Monday(d)
		if mon.String() != tt.monday || calendar.WeekName(d) != tt.week || mon.Weekday() != time.Monday {
			t.Errorf("%s: Monday %s, week %s; want %s, %s", tt.day, mon, calendar.WeekName(d), tt.monday, tt.week)
		}
		if p, err := calendar.ParseWeek(tt.week); err != nil || p != mon {
			t.Errorf("ParseWeek(%s) = %s, %v; want %s", tt.week, p, err, tt.monday)
		}
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026-W54", "2026W49", "2026-w49", "2026-W4"} {
		if _, err := calendar.ParseWeek(bad); err == nil {
			t.Errorf("ParseWeek(%q) accepted", bad)
		}
	}
}

func TestClocks(t *testing.T) {
	at := time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)
	if !calendar.Fixed(at).Now().Equal(at) {
		t.Error("Fixed does not stand still")
	}
	n := 0
	f := calendar.Func(func() time.Time { n++; return at.Add(time.Duration(n) * time.Second) })
	if f.Now().Sub(at) != time.Second || f.Now().Sub(at) != 2*time.Second {
		t.Error("Func does not call its function each time")
	}
}
