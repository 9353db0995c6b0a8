package bot

import (
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/commands"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/store"
)

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
