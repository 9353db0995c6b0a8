package bot

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/store"
)

// maxGrant bounds one grant so a typo cannot mint a fortune.
const maxGrant = 1_000_000

// grant handles /grant and /deduct (加分/扣分): admin-only, logged with the
// admin as actor; a deduction never takes a balance below zero.
func (c *call) grant(cmd commands.Command) error {
	if !c.ev.Member.IsAdmin && !c.ev.Member.IsOwner {
		c.answer(c.t("grant.denied"))
		return nil
	}
	if len(cmd.Args) < 2 {
		c.answer(c.t("grant.usage"))
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(cmd.Args[1], "+"), 10, 64)
	if err != nil || n == 0 || n > maxGrant || n < -maxGrant {
		c.answer(c.t("grant.amount", cmd.Args[1]))
		return nil
	}
	if cmd.Name == commands.Deduct {
		if n < 0 {
			c.answer(c.t("grant.amount", cmd.Args[1]))
			return nil
		}
		n = -n
	}
	who, ok, err := c.resolve(cmd.Args[0])
	if err != nil || !ok {
		return err
	}
	id := who.ID
	if who.IsBot {
		c.answer(c.t("member.bot"))
		return nil
	}
	m, err := c.touch(id, who)
	if err != nil {
		return err
	}
	if m.IsBot {
		c.answer(c.t("member.bot"))
		return nil
	}
	if m.Points+n < 0 {
		c.answer(c.t("grant.negative", m.Name, m.Points, -n))
		return nil
	}
	reason := strings.Join(cmd.Args[2:], " ")
	note := reason
	if reason == "" {
		reason = c.t("grant.noreason")
	}
	kind, sign := "grant", "+"
	if n < 0 {
		kind, sign = "deduct", "-"
	}
	agg, err := c.g.DayW(c.day, id)
	if err != nil {
		return err
	}
	if err := c.ledger(id, m, agg, n, kind, note, c.ev.Member.ID); err != nil {
		return err
	}
	abs := n
	if abs < 0 {
		abs = -abs
	}
	c.replies = append(c.replies, Reply{
		Group: c.ev.Group, To: c.ev.Member.ID, Ping: []string{id},
		Text: c.t("grant.ok", c.ev.Member.Name, m.Name, c.t("grant.verb."+sign), i18n.Points(c.loc, abs), reason, m.Points, c.t("grant.prep."+sign)),
	})
	return nil
}

// resolve finds the member a command names: a mention the adapter resolved,
// else an "@name" or id matched against the group's members. It answers
// the member itself when nobody or several match.
func (c *call) resolve(arg string) (Member, bool, error) {
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "@"), "＠")
	for _, mm := range c.ev.Mentions {
		if mm.ID == name || mm.Name == name || len(c.ev.Mentions) == 1 {
			return mm, true, nil
		}
	}
	if m, err := c.g.Member(name); err != nil {
		return Member{}, false, err
	} else if m != nil {
		return Member{ID: name, Name: m.Name, IsBot: m.IsBot}, true, nil
	}
	var matches []Member
	var names []string
	err := c.g.ForEachMember(func(id string, m *store.Member) error {
		if strings.EqualFold(m.Name, name) {
			matches = append(matches, Member{ID: id, Name: m.Name, IsBot: m.IsBot})
			names = append(names, m.Name+" ("+id+")")
		}
		return nil
	})
	if err != nil {
		return Member{}, false, err
	}
	switch len(matches) {
	case 1:
		return matches[0], true, nil
	case 0:
		c.answer(c.t("member.unknown", name))
	default:
		sort.Strings(names)
		c.answer(c.t("member.ambiguous", name, strings.Join(names, ", ")))
	}
	return Member{}, false, nil
}
