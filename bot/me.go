package bot

import (
	"github.com/pulsebot/pulse/bot/boards"
	"github.com/pulsebot/pulse/bot/checkin"
	"github.com/pulsebot/pulse/store"
)

// me answers /me privately: balance, level, progress, streak and rank.
func (c *call) me(m *store.Member) error {
	rank, of, err := boards.Rank(c.g, c.ev.Member.ID, func(x *store.Member) int64 { return x.XP })
	if err != nil {
		return err
	}
	level := c.gs.curve.Level(m.XP)
	title := ""
	if t := c.gs.Rules.TitleFor(level, c.loc); t != "" {
		title = c.t("me.titlefmt", t)
	}
	text := c.t("me.header", c.ev.Member.Name, level, title) + "\n" + c.progress(m) + "\n" +
		c.t("me.body", m.Points, m.XP, rank, of, c.days(checkin.Current(m, c.day)), c.days(m.BestStreak), m.Checkins, m.Messages)
	c.private(text)
	return nil
}
