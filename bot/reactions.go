package bot

import (
	"github.com/pulsebot/pulse/store"
)

// reaction credits who reacted and whose message drew it.
func (c *call) reaction() error {
	ev := c.ev
	if ev.Member.ID == "" {
		return c.countedReaction()
	}
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
	first, err := c.firstReaction()
	if err != nil {
		return err
	}
	return c.received(ev.Target, func(a *store.DayAgg) {
		a.ReactRecv++
		if first {
			a.Reacted++
			gd.Reacted++
		}
	})
}

// countedReaction records a count-only reaction (Event.Count reactions by
// reactors unknown, see Event): the group's reactions and the author's
// reactions received grow by the count, and the message counts as having
// drawn a reaction by the same first-reaction rule as a reaction with a
// reactor, so a message with both kinds counts once. No one is credited
// with giving them, and no one is marked present. Reactions to a bot's
// message count nothing.
func (c *call) countedReaction() error {
	ev := c.ev
	if ev.Target.IsBot {
		return nil
	}
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	n := int64(ev.Count)
	gd.Reactions += n
	first, err := c.firstReaction()
	if err != nil {
		return err
	}
	return c.received(ev.Target, func(a *store.DayAgg) {
		a.ReactRecv += n
		if first {
			a.Reacted++
			gd.Reacted++
		}
	})
}

// firstReaction reports whether the event's message had drawn no reaction
// yet (always true without a message id), marking that it now has.
func (c *call) firstReaction() (bool, error) {
	ev := c.ev
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
				return false, err
			}
			first = !dup
		}
	}
	return first, nil
}
