package bot

import (
	"github.com/pulsebot/pulse/store"
)

// reaction credits who reacted and whose message drew it.
func (c *call) reaction() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.touch(ev.Member.ID, ev.Member)
	if err != nil {
		return err
	}
	m.Present = true
	agg, err := c.g.DayW(c.day, ev.Member.ID)
	if err != nil {
		return err
	}
	agg.ReactGiven++
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Reactions++
	if ev.Target.ID == "" || ev.Target.ID == ev.Member.ID || ev.Target.IsBot {
		return nil
	}
	first := true
	if ev.MessageID != "" {
		// The first reaction to a message (or a message already counted as
		// a reply or mention) is marked on its day; looking at the day
		// before too catches a reaction after midnight. A prefix of its own
		// keeps these apart from the event ids apply records.
		if c.day > 1 && c.g.HasSeen(c.day-1, "reacted:"+ev.MessageID) {
			first = false
		} else {
			dup, err := c.g.Seen(c.day, "reacted:"+ev.MessageID)
			if err != nil {
				return err
			}
			first = !dup
		}
	}
	return c.received(ev.Target, func(a *store.DayAgg) {
		a.ReactRecv++
		if first {
			a.Reacted++
			gd.Reacted++
		}
	})
}
