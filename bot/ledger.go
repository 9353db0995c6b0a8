package bot

import (
	"strings"

	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/ledger"
	"github.com/pulsebot/pulse/store"
)

// earn adds points the member earned, with a ledger entry in the same
// transaction.
func (c *call) earn(m *store.Member, agg *store.DayAgg, pts int64, reason, note string) error {
	return ledger.Post(c.g, m, agg, store.LedgerEntry{
		Time: c.ev.Time.Unix(), Member: c.ev.Member.ID, Delta: pts, Reason: reason, Note: note, Actor: c.ev.Member.ID,
	})
}

// post changes member id's points on the sender's behalf.
func (c *call) post(id string, m *store.Member, agg *store.DayAgg, delta int64, reason, note string) error {
	return ledger.Post(c.g, m, agg, store.LedgerEntry{
		Time: c.ev.Time.Unix(), Member: id, Delta: delta, Reason: reason, Note: note, Actor: c.ev.Member.ID,
	})
}

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
	n, ok := ledger.ParseAmount(cmd.Args[1])
	if !ok {
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
	kind, sign := ledger.Grant, "+"
	if n < 0 {
		kind, sign = ledger.Deduct, "-"
	}
	agg, err := c.g.DayW(c.day, id)
	if err != nil {
		return err
	}
	if err := c.post(id, m, agg, n, kind, note); err != nil {
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
