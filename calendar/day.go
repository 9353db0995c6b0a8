// Package calendar holds the calendar types every part of Pulse shares:
// local days, ISO weeks and the clock. It imports nothing of Pulse, so
// adapters, importers and the scheduler can use it without the store.
package calendar

import (
	"fmt"
	"time"
)

// Day is a local calendar day in a group's time zone, counted from
// 1970-01-01. Keys store it big-endian so a day range is one cursor seek.
type Day uint32

// DayOf returns the local day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return civil(y, m, d)
}

func civil(y int, m time.Month, d int) Day {
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	if u < 0 {
		return 0
	}
	return Day(u / 86400)
}

// ParseDay reads YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date like 2026-01-31", s)
	}
	return civil(t.Date()), nil
}

// Date returns the day's calendar date.
func (d Day) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// Start returns the first instant of the day in loc.
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week.
func (d Day) Weekday() time.Weekday { return time.Unix(int64(d)*86400, 0).UTC().Weekday() }

func (d Day) String() string {
	y, m, dd := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}
