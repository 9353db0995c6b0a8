package metrics

import (
	"fmt"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// FirstDay is the group's first day with any activity, 0 if none.
func (e *Engine) FirstDay() (calendar.Day, error) {
	var first calendar.Day
	err := e.g.ForEachGroupDay(1, ^calendar.Day(0), func(d calendar.Day, _ *store.GroupDay) error {
		if first == 0 {
			first = d
		}
		return errStop
	})
	if err == errStop {
		err = nil
	}
	return first, err
}

var errStop = fmt.Errorf("stop")

// Daily returns the per-day figures of from..to, for exports and charts.
func (e *Engine) Daily(from, to calendar.Day) ([]Day, error) {
	if _, err := e.sums(from, to); err != nil {
		return nil, err
	}
	var out []Day
	for d := from; d <= to && d > 0; d++ {
		gd := e.days[d]
		wau, err := e.Union(d-6, d)
		if err != nil {
			return nil, err
		}
		mau, err := e.Union(d-29, d)
		if err != nil {
			return nil, err
		}
		out = append(out, Day{
			Date: d.String(), Members: e.Present(d).Count(), Active: gd.Active, WAU: wau.Count(), MAU: mau.Count(), Messages: gd.Messages,
			Interactive: gd.Interactive, Reacted: gd.Reacted, Reactions: gd.Reactions,
			Checkins: gd.Checkins, Makeups: gd.Makeups, Joins: gd.Joins, Leaves: gd.Leaves,
		})
	}
	return out, nil
}

// Day is one local day of a group.
type Day struct {
	Date        string `json:"date"`
	Members     int    `json:"members"`
	Active      int64  `json:"dau"`
	WAU         int    `json:"wau"`
	MAU         int    `json:"mau"`
	Messages    int64  `json:"messages"`
	Interactive int64  `json:"interactive_messages"`
	Reacted     int64  `json:"reacted_messages"`
	Reactions   int64  `json:"reactions"`
	Checkins    int64  `json:"checkins"`
	Makeups     int64  `json:"makeups"`
	Joins       int64  `json:"new_members"`
	Leaves      int64  `json:"left_members"`
}
