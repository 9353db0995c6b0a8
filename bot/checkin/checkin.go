// Package checkin holds the check-in (签到) and make-up (补签) mechanics:
// the day's order, streaks, and which missed day can be made up.
package checkin

import (
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// StreakAt counts the member's consecutive checked-in days ending at d.
func StreakAt(g *store.Group, id string, d calendar.Day) (int64, error) {
	var n int64
	for ; d > 0; d-- {
		a, err := g.Day(d, id)
		if err != nil {
			return 0, err
		}
		if a.Checkin == store.CheckinNone {
			break
		}
		n++
	}
	return n, nil
}

// Current is the streak still alive today: it ends today or yesterday,
// otherwise it is broken.
func Current(m *store.Member, today calendar.Day) int64 {
	if m.LastCheckin != 0 && m.LastCheckin+1 >= today {
		return m.Streak
	}
	return 0
}

// Record checks member m (id) in on day, whose aggregate agg has no
// check-in yet: it takes the day's next place and extends the streak. It
// returns the streak the check-in earns on.
func Record(g *store.Group, id string, m *store.Member, agg *store.DayAgg, day calendar.Day) (int64, error) {
	streak := int64(1)
	if m.LastCheckin == day-1 {
		streak = m.Streak + 1
	}
	gd, err := g.GroupDayW(day)
	if err != nil {
		return 0, err
	}
	gd.Checkins++
	agg.Checkin = store.CheckinOnTime
	agg.CheckinOrder = gd.Checkins
	m.Checkins++
	if day > m.LastCheckin {
		m.Streak = streak
		m.LastCheckin = day
	} else {
		// A late event for a day before the last check-in (adapters may
		// deliver out of order): it fills a day, like a make-up.
		if streak, err = StreakAt(g, id, day); err != nil {
			return 0, err
		}
		if m.Streak, err = StreakAt(g, id, m.LastCheckin); err != nil {
			return 0, err
		}
	}
	if m.Streak > m.BestStreak {
		m.BestStreak = m.Streak
	}
	return streak, nil
}

// LastMissed is the most recent day in from..to that the member did not
// check in, or 0.
func LastMissed(g *store.Group, id string, from, to calendar.Day) (calendar.Day, error) {
	for d := to; d >= from && d > 0; d-- {
		a, err := g.Day(d, id)
		if err != nil {
			return 0, err
		}
		if a.Checkin == store.CheckinNone {
			return d, nil
		}
	}
	return 0, nil
}

// Makeup marks day d, which the member missed, as made up and mends the
// streak. The cost is the caller's to post to the ledger.
func Makeup(g *store.Group, id string, m *store.Member, d calendar.Day) error {
	a, err := g.DayW(d, id)
	if err != nil {
		return err
	}
	a.Checkin = store.CheckinMakeup
	gd, err := g.GroupDayW(d)
	if err != nil {
		return err
	}
	gd.Makeups++
	m.Checkins++
	if d > m.LastCheckin {
		m.LastCheckin = d
	}
	if m.Streak, err = StreakAt(g, id, m.LastCheckin); err != nil {
		return err
	}
	if m.Streak > m.BestStreak {
		m.BestStreak = m.Streak
	}
	return nil
}
