package calendar

import (
	"fmt"
	"time"
)

// Monday returns the Monday of d's week.
func Monday(d Day) Day { return d - Day((int(d.Weekday())+6)%7) }

// WeekName is the ISO week of a day, e.g. 2026-W47.
func WeekName(d Day) string {
	y, w := d.Start(time.UTC).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ParseWeek reads YYYY-Www and returns its Monday.
func ParseWeek(s string) (Day, error) {
	var y, w int
	if n, err := fmt.Sscanf(s, "%4d-W%2d", &y, &w); n != 2 || err != nil || w < 1 || w > 53 || len(s) != 8 {
		return 0, fmt.Errorf("week %q: want an ISO week like 2026-W47", s)
	}
	jan4 := DayOf(time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC), time.UTC)
	mon := Monday(jan4) + Day(7*(w-1))
	if WeekName(mon) != s {
		return 0, fmt.Errorf("week %q: %d has no week %d", s, y, w)
	}
	return mon, nil
}
