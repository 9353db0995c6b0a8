package bot

import (
	"fmt"

	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// command runs a parsed command for the member who sent it.
func (c *call) command(m *store.Member, agg *store.DayAgg, cmd commands.Command) error {
	switch cmd.Name {
	case commands.Checkin:
		return c.checkin(m, agg)
	case commands.Makeup:
		return c.makeup(m, cmd.Args)
	case commands.Me:
		return c.me(m)
	case commands.Top:
		return c.top(cmd.Args)
	case commands.Help:
		c.help()
	case commands.Grant, commands.Deduct:
		return c.grant(cmd)
	case commands.Stats:
		return c.stats(cmd.Args)
	case commands.Goal:
		return c.goal(cmd.Args)
	default:
		c.answer(c.t("unknown", cmd.Word))
	}
	return nil
}

// readOnly reports commands that change nothing.
func readOnly(cmd commands.Command) bool {
	switch cmd.Name {
	case commands.Me, commands.Top, commands.Help, commands.Stats:
		return true
	case commands.Goal:
		return len(cmd.Args) == 0 || cmd.Args[0] == "list" || cmd.Args[0] == "列表" || cmd.Args[0] == "查看"
	}
	return false
}

// readAfter runs a read-only command once the event is committed, in a
// read transaction of exactly that state; its replies follow the event's.
func (c *call) readAfter(cmd commands.Command) {
	c.tx.ReadAfter(func(tx *store.Tx) error {
		g, err := tx.Group(c.ev.Group)
		if err != nil {
			return err
		}
		rc := *c
		rc.tx, rc.g, rc.replies = tx, g, nil
		m, err := g.Member(c.ev.Member.ID)
		if err != nil || m == nil {
			return err
		}
		if err := rc.command(m, nil, cmd); err != nil {
			return err
		}
		c.pending.replies = append(c.pending.replies, rc.replies...)
		return nil
	})
}

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

// progress renders the level line with a bar to the next level.
func (c *call) progress(m *store.Member) string {
	level, into, span := c.gs.curve.Progress(m.XP)
	if span == 0 {
		return c.t("level.max", level)
	}
	return c.t("level.progress", level, barOf(into, span), into, span, level+1, span-into)
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
