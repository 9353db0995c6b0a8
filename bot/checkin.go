package bot

import (
	"fmt"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// streakAt counts consecutive checked-in days ending at day d.
func (c *call) streakAt(id string, d calendar.Day) (int64, error) {
	var n int64
	for ; d > 0; d-- {
		a, err := c.g.Day(d, id)
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

// currentStreak is the streak still alive today: it ends today or
// yesterday, otherwise it is broken.
func currentStreak(m *store.Member, today calendar.Day) int64 {
	if m.LastCheckin != 0 && m.LastCheckin+1 >= today {
		return m.Streak
	}
	return 0
}

func (c *call) checkin(m *store.Member, agg *store.DayAgg) error {
	name := c.ev.Member.Name
	if agg.Checkin != store.CheckinNone {
		c.answer(c.t("checkin.already", name, ordinal(c.loc, agg.CheckinOrder), c.days(currentStreak(m, c.day))) + "\n" + c.progress(m))
		return nil
	}
	streak := int64(1)
	if m.LastCheckin == c.day-1 {
		streak = m.Streak + 1
	}
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	wasActive := agg.Active()
	gd.Checkins++
	agg.Checkin = store.CheckinOnTime
	agg.CheckinOrder = gd.Checkins
	if err := c.markActive(m, agg, wasActive); err != nil {
		return err
	}
	m.Checkins++
	if c.day > m.LastCheckin {
		m.Streak = streak
		m.LastCheckin = c.day
	} else {
		// A late event for a day before the last check-in (adapters may
		// deliver out of order): it fills a day, like a make-up.
		if streak, err = c.streakAt(c.ev.Member.ID, c.day); err != nil {
			return err
		}
		if m.Streak, err = c.streakAt(c.ev.Member.ID, m.LastCheckin); err != nil {
			return err
		}
	}
	if m.Streak > m.BestStreak {
		m.BestStreak = m.Streak
	}
	base, bonus := c.gs.Rules.CheckinPoints(int(streak))
	if err := c.earn(m, agg, int64(base+bonus), "checkin", fmt.Sprintf("streak %d", streak)); err != nil {
		return err
	}
	bonusText := ""
	if bonus > 0 {
		bonusText = c.t("checkin.bonus", bonus)
	}
	text := c.t("checkin.ok", name, ordinal(c.loc, agg.CheckinOrder), base+bonus, bonusText, c.days(streak), m.Points)
	// The answer goes before any level-up announcement the XP triggers.
	c.answer("")
	i := len(c.replies) - 1
	xp := int64(c.gs.Rules.Checkin.XP)
	c.addXP(m, agg, xp)
	if xp > 0 {
		text += c.t("checkin.xp", xp)
	}
	c.replies[i].Text = text + "\n" + c.progress(m)
	return nil
}

func (c *call) makeup(m *store.Member, args []string) error {
	r := c.gs.Rules.Makeup
	if r.WindowDays == 0 {
		c.answer(c.t("makeup.disabled"))
		return nil
	}
	if len(args) > 1 {
		c.answer(c.t("makeup.usage"))
		return nil
	}
	oldest := c.day - calendar.Day(r.WindowDays)
	if c.day <= calendar.Day(r.WindowDays) {
		oldest = 1
	}
	var d calendar.Day
	if len(args) == 1 {
		var err error
		if d, err = calendar.ParseDay(args[0]); err != nil {
			c.answer(c.t("makeup.baddate", args[0], (c.day - 1).String()))
			return nil
		}
	} else {
		// Without a date: the most recent missed day in the window.
		for x := c.day - 1; x >= oldest && x >= m.FirstSeen; x-- {
			a, err := c.g.Day(x, c.ev.Member.ID)
			if err != nil {
				return err
			}
			if a.Checkin == store.CheckinNone {
				d = x
				break
			}
		}
		if d == 0 {
			c.answer(c.t("makeup.nothing", r.WindowDays))
			return nil
		}
	}
	switch {
	case d > c.day:
		c.answer(c.t("makeup.future", d))
		return nil
	case d == c.day:
		c.answer(c.t("makeup.today"))
		return nil
	case d < oldest:
		c.answer(c.t("makeup.window", d, r.WindowDays))
		return nil
	case d < m.FirstSeen:
		c.answer(c.t("makeup.beforejoin", d, m.FirstSeen))
		return nil
	}
	a, err := c.g.Day(d, c.ev.Member.ID)
	if err != nil {
		return err
	}
	if a.Checkin != store.CheckinNone {
		c.answer(c.t("makeup.already", d))
		return nil
	}
	if cost := int64(r.Cost); m.Points < cost {
		c.answer(c.t("makeup.poor", cost, m.Points))
		return nil
	}
	a, err = c.g.DayW(d, c.ev.Member.ID)
	if err != nil {
		return err
	}
	a.Checkin = store.CheckinMakeup
	gd, err := c.g.GroupDayW(d)
	if err != nil {
		return err
	}
	gd.Makeups++
	if err := c.ledger(c.ev.Member.ID, m, nil, -int64(r.Cost), "makeup", d.String(), c.ev.Member.ID); err != nil {
		return err
	}
	m.Checkins++
	if d > m.LastCheckin {
		m.LastCheckin = d
	}
	if m.Streak, err = c.streakAt(c.ev.Member.ID, m.LastCheckin); err != nil {
		return err
	}
	if m.Streak > m.BestStreak {
		m.BestStreak = m.Streak
	}
	c.answer(c.t("makeup.ok", c.ev.Member.Name, d, r.Cost, m.Points, c.days(currentStreak(m, c.day))))
	return nil
}
