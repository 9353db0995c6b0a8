package store

import (
	"time"

	"github.com/pulsebot/pulse/calendar"
)

// Day is the calendar's local day; the store keys records by it.
type Day = calendar.Day

// DayOf returns the local day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day { return calendar.DayOf(t, loc) }

// ParseDay reads YYYY-MM-DD.
func ParseDay(s string) (Day, error) { return calendar.ParseDay(s) }
