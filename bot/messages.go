package bot

import (
	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/bot/ledger"
	"github.com/pulsebot/pulse/bot/levels"
	"github.com/pulsebot/pulse/store"
)

// message records a chat message: activity aggregates always; then either
// a command or the XP a message earns.
func (c *call) message() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil // bots are never counted
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
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	wasActive := agg.Active()
	agg.Messages++
	agg.Chars += int64(ev.Length)
	m.Messages++
	m.Chars += int64(ev.Length)
	gd.Messages++
	gd.Chars += int64(ev.Length)

	interactive := false
	if r := ev.ReplyTo; r.ID != "" && r.ID != ev.Member.ID && !r.IsBot {
		agg.RepliesGiven++
		interactive = true
		if err := c.received(r, func(a *store.DayAgg) { a.RepliesRecv++ }); err != nil {
			return err
		}
	}
	for _, who := range ev.Mentions {
		if who.ID == "" || who.ID == ev.Member.ID || who.IsBot {
			continue
		}
		agg.MentionsGiven++
		interactive = true
		if err := c.received(who, func(a *store.DayAgg) { a.MentionsRecv++ }); err != nil {
			return err
		}
	}
	if interactive {
		agg.Interactive++
		gd.Interactive++
		if ev.ID != "" {
			// Marked as if it had drawn a reaction already, so a reaction
			// to it later does not count it twice in the interaction rate.
			if _, err := c.g.Seen(c.day, "reacted:"+ev.ID); err != nil {
				return err
			}
		}
	}
	if err := c.markActive(m, agg, wasActive); err != nil {
		return err
	}

	// The repeat filter compares with the member's last message, commands
	// included.
	h := levels.TextHash(ev.Text)
	repeat := h == m.LastHash && ev.Text != "" && !ev.TextUnknown
	m.LastHash = h
	if cmd, ok := commands.Parse(ev.Text); ok {
		// Commands count as activity but earn no message XP, so /me
		// cannot be farmed; in imported history they are not run.
		if ev.history {
			return nil
		}
		// Commands that only read (reports, boards) run after the
		// commit, off the single writer.
		if readOnly(cmd) {
			c.readAfter(cmd)
			return nil
		}
		return c.command(m, agg, cmd)
	}
	return c.messageXP(m, agg, repeat)
}

// received credits another member with something they received today.
// Members first known this way are not marked present or active.
func (c *call) received(who Member, f func(*store.DayAgg)) error {
	m, err := c.g.MemberW(who.ID)
	if err != nil {
		return err
	}
	if who.Name != "" {
		m.Name = who.Name
	}
	if m.Name == "" {
		m.Name = who.ID
	}
	if m.FirstSeen == 0 {
		m.FirstSeen = c.day
	}
	a, err := c.g.DayW(c.day, who.ID)
	if err != nil {
		return err
	}
	f(a)
	return nil
}

// messageXP counts an ordinary message as a contribution when it passes
// the spam filters, and gives the XP (and points) it earns.
func (c *call) messageXP(m *store.Member, agg *store.DayAgg, repeat bool) error {
	msg := levels.Message{
		Time: c.ev.Time.Unix(), Length: c.ev.Length, TextUnknown: c.ev.TextUnknown, NoXP: c.ev.NoXP, Repeat: repeat,
	}
	if levels.Counts(c.gs.Rules.XP, msg) {
		agg.Counted++
	}
	xp, ok := levels.MessageXP(c.gs.Rules.XP, m, msg, c.bot.rng)
	if !ok {
		return nil
	}
	if pts := c.gs.Rules.XP.MessagePoints; pts > 0 {
		if err := c.earn(m, agg, int64(pts), ledger.Message, ""); err != nil {
			return err
		}
	}
	c.addXP(m, agg, xp)
	return nil
}

// addXP adds XP and announces a level-up the rules want announced.
func (c *call) addXP(m *store.Member, agg *store.DayAgg, xp int64) {
	if xp <= 0 {
		return
	}
	before, after := levels.Add(c.gs.curve, m, agg, xp)
	if c.gs.Rules.ShouldAnnounce(before, after) {
		title := ""
		if t := c.gs.Rules.TitleFor(after, c.loc); t != "" && t != c.gs.Rules.TitleFor(before, c.loc) {
			title = c.t("level.title", t)
		}
		c.announce(c.t("level.up", m.Name, after, title), c.ev.Member.ID)
	}
	if after > before && !c.ev.history {
		// Platforms that reward levels hear of every level-up, announced or not.
		if !c.gs.Rules.ShouldAnnounce(before, after) {
			c.replies = append(c.replies, Reply{Group: c.ev.Group, Announcement: true})
		}
		c.replies[len(c.replies)-1].LevelUp = &LevelUp{Member: c.ev.Member.ID, From: before, To: after}
	}
}

// progress renders the level line with a bar to the next level.
func (c *call) progress(m *store.Member) string {
	level, into, span := c.gs.curve.Progress(m.XP)
	if span == 0 {
		return c.t("level.max", level)
	}
	return c.t("level.progress", level, barOf(into, span), into, span, level+1, span-into)
}
