package bot

import (
	"github.com/pulsebot/pulse/bot/commands"
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
	h := textHash(ev.Text)
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

// messageXP applies the MEE6 rules: a random amount at most once per
// cooldown, nothing for short messages or a repeat of the last one.
func (c *call) messageXP(m *store.Member, agg *store.DayAgg, repeat bool) error {
	r := c.gs.Rules.XP
	now := c.ev.Time.Unix()
	switch {
	case c.ev.NoXP, c.ev.Length < r.MinLength && !c.ev.TextUnknown, repeat:
		return nil
	case m.LastXPAt != 0 && now-m.LastXPAt < int64(r.Cooldown.Seconds()) && now >= m.LastXPAt:
		return nil
	}
	xp := int64(r.Min)
	if r.Max > r.Min {
		xp += c.bot.rng.Int64N(int64(r.Max-r.Min) + 1)
	}
	m.LastXPAt = now
	if r.MessagePoints > 0 {
		if err := c.earn(m, agg, int64(r.MessagePoints), "message", ""); err != nil {
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
	before := c.gs.curve.Level(m.XP)
	m.XP += xp
	agg.XP += xp
	after := c.gs.curve.Level(m.XP)
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

// earn adds points with a ledger entry in the same transaction.
func (c *call) earn(m *store.Member, agg *store.DayAgg, pts int64, reason, note string) error {
	return c.ledger(c.ev.Member.ID, m, agg, pts, reason, note, c.ev.Member.ID)
}

// ledger is the only place balances change: the entry and the balance are
// written in one transaction, so a balance always equals its ledger.
func (c *call) ledger(id string, m *store.Member, agg *store.DayAgg, delta int64, reason, note, actor string) error {
	if delta == 0 {
		return nil
	}
	if m.Points+delta < 0 {
		panic("bot: ledger would make a balance negative") // callers check first
	}
	if err := c.g.AppendLedger(store.LedgerEntry{
		Time: c.ev.Time.Unix(), Member: id, Delta: delta, Reason: reason, Note: note, Actor: actor,
	}); err != nil {
		return err
	}
	m.Points += delta
	if delta > 0 && agg != nil {
		agg.Points += delta
	}
	return nil
}

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

// join records a member joining, once per stay.
func (c *call) join() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.MemberW(ev.Member.ID)
	if err != nil {
		return err
	}
	if m.Present && m.JoinedAt > m.LeftAt {
		return nil // already joined and still here: a repeated notice
	}
	if _, err := c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	m.Present = true
	m.JoinedAt = ev.Time.Unix()
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Joins++
	return c.g.AppendRoster(store.RosterEntry{Time: ev.Time.Unix(), Member: ev.Member.ID, Name: m.Name, Join: true, Inviter: ev.Target.ID})
}

// leave records a member leaving, once per stay. A member Pulse never saw
// was there before it came: the leave still counts.
func (c *call) leave() error {
	ev := c.ev
	m, err := c.g.Member(ev.Member.ID)
	if err != nil || ev.Member.IsBot {
		return err
	}
	if m != nil && !m.Present && m.LeftAt != 0 {
		return nil // already left: a repeated notice
	}
	if m, err = c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	m.Present = false
	m.LeftAt = ev.Time.Unix()
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Leaves++
	return c.g.AppendRoster(store.RosterEntry{Time: ev.Time.Unix(), Member: ev.Member.ID, Name: m.Name})
}

// present records that a member is in the group without any activity.
func (c *call) present() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.Member(ev.Member.ID)
	if err != nil || m != nil && m.Present {
		return err
	}
	if m, err = c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	m.Present = true
	return nil
}
