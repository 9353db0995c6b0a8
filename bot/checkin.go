package bot

import (
	"fmt"

	"github.com/pulsebot/pulse/bot/checkin"
	"github.com/pulsebot/pulse/bot/ledger"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

func (c *call) checkin(m *store.Member, agg *store.DayAgg) error {
	name := c.ev.Member.Name
	if agg.Checkin != store.CheckinNone {
		c.answer(c.t("checkin.already", name, ordinal(c.loc, agg.CheckinOrder), c.days(checkin.Current(m, c.day))) + "\n" + c.progress(m))
		return nil
	}
	wasActive := agg.Active()
	streak, err := checkin.Record(c.g, c.ev.Member.ID, m, agg, c.day)
	if err != nil {
		return err
	}
	if err := c.markActive(m, agg, wasActive); err != nil {
		return err
	}
	base, bonus := c.gs.Rules.CheckinPoints(int(streak))
	if err := c.earn(m, agg, int64(base+bonus), ledger.Checkin, fmt.Sprintf("streak %d", streak)); err != nil {
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
	// A member's stay starts on their join day when Pulse knows it (the
	// platform's join time, which may be long before Pulse came).
	since := memberSince(m, c.gs.Location)
	var d calendar.Day
	if len(args) == 1 {
		var err error
		if d, err = calendar.ParseDay(args[0]); err != nil {
			c.answer(c.t("makeup.baddate", args[0], (c.day - 1).String()))
			return nil
		}
	} else {
		// Without a date: the most recent missed day in the window.
		var err error
		if d, err = checkin.LastMissed(c.g, c.ev.Member.ID, max(oldest, since), c.day-1); err != nil {
			return err
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
	case d < since:
		c.answer(c.t("makeup.beforejoin", d, since))
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
	if err := c.post(c.ev.Member.ID, m, nil, -int64(r.Cost), ledger.Makeup, d.String()); err != nil {
		return err
	}
	if err := checkin.Makeup(c.g, c.ev.Member.ID, m, d); err != nil {
		return err
	}
	c.answer(c.t("makeup.ok", c.ev.Member.Name, d, r.Cost, m.Points, c.days(checkin.Current(m, c.day))))
	return nil
}
