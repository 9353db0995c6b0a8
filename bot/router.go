package bot

import (
	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/bot/goals"
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
		return goals.ReadOnly(cmd.Args)
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
