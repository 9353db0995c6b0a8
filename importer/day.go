package importer

import (
	"time"

	"github.com/pulsebot/pulse/calendar"
)

// Days counts the local days of records cheaply: records come in time
// order, so the day of the previous record usually answers.
type Days struct {
	Loc    *time.Location
	lo, hi int64 // unix range of day
	day    calendar.Day
	seen   map[calendar.Day]struct{}
}

// Of returns t's local day.
func (d *Days) Of(t time.Time) calendar.Day {
	u := t.Unix()
	if u >= d.lo && u < d.hi {
		return d.day
	}
	d.day = calendar.DayOf(t, d.Loc)
	d.lo, d.hi = d.day.Start(d.Loc).Unix(), (d.day + 1).Start(d.Loc).Unix()
	if u < d.lo || u >= d.hi { // a zone change at midnight: do not cache
		d.lo, d.hi = 0, 0
	}
	return d.day
}

// Count counts t's day in s (distinct days, first and last).
func (d *Days) Count(s *Summary, t time.Time) {
	day := d.Of(t)
	if d.seen == nil {
		d.seen = make(map[calendar.Day]struct{})
	}
	s.AddDay(day, d.seen)
}
