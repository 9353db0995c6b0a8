package wechatcsv

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
)

type conv struct {
	ctx        context.Context
	group      string
	o          Options
	sum        *importer.Summary
	emit       importer.Emit
	ids        map[string]string // nickname → member id
	known      map[string]bool   // nicknames seen as senders or joiners
	active     map[string]bool   // member ids with a message
	me         string
	youSkipped int
	lastT      int64
	seen       map[uint64]int // records with the same hash at lastT
	days       importer.Days
}

func (c *conv) member(nick string) (bot.Member, error) {
	id, ok := c.ids[nick]
	if !ok {
		var err error
		if id, err = c.o.Identities.Member(c.ctx, c.group, nick); err != nil {
			return bot.Member{}, fmt.Errorf("identity of %q in %s: %w", nick, c.group, err)
		}
		if id == "" {
			return bot.Member{}, fmt.Errorf("identity of %q in %s: no id", nick, c.group)
		}
		c.ids[nick] = id
	}
	return bot.Member{ID: id, Name: nick}, nil
}

// id derives a stable event id: the time, a hash of the sender, type and
// content, and the occurrence of the same within that second.
func (c *conv) id(r *row) string {
	h := fnv.New64a()
	who := r.sender
	if who == "" {
		who = r.nick
	}
	h.Write([]byte(who))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(r.typ)))
	h.Write([]byte{0})
	h.Write([]byte(r.content))
	sum := h.Sum64()
	u := r.t.Unix()
	if u != c.lastT {
		c.lastT = u
		clear(c.seen)
	}
	occ := c.seen[sum]
	c.seen[sum] = occ + 1
	id := "wx:" + strconv.FormatInt(u, 10) + ":" + strconv.FormatUint(sum, 16)
	if occ > 0 {
		id += ":" + strconv.Itoa(occ)
	}
	return id
}

const (
	typeText   = 1
	typeApp    = 49
	subQuote   = 57
	typeSystem = 10000
	typeRecall = 10002
)

func (c *conv) add(f *file, r *row) error {
	where := func() string { return fmt.Sprintf("%s:%d", f.Path, r.line) }
	id := c.id(r)
	if !c.o.Before.IsZero() && !r.t.Before(c.o.Before) {
		c.sum.Skipped.Add("records at or after -before (Pulse recorded that time live)", 1, where)
		return nil
	}
	if r.typ == typeSystem || r.typ == typeRecall {
		return c.system(r, id, where)
	}
	nick := r.nick
	if nick == "" && r.isSender {
		nick = c.me
	}
	if nick == "" {
		c.sum.Skipped.Add("messages without a sender nickname", 1, where)
		return nil
	}
	if r.isSender && c.me == "" {
		c.me = nick
	}
	who, err := c.member(nick)
	if err != nil {
		return err
	}
	c.known[nick] = true
	ev := bot.Event{Kind: bot.KindMessage, Group: c.group, ID: id, Member: who, Time: r.t}
	switch {
	case r.typ == typeText:
		ev.Text = r.content
	case r.typ == typeApp && r.sub == subQuote:
		title, quoted, ok := quote(r.content)
		if ok {
			ev.Text = title
		}
		if quoted == "" {
			c.sum.Skipped.Add("quote-replies without the quoted member's name (counted as plain messages)", 1, where)
		} else if ev.ReplyTo, err = c.member(quoted); err != nil {
			return err
		}
	}
	for _, name := range c.mentioned(ev.Text, nick) {
		mm, err := c.member(name)
		if err != nil {
			return err
		}
		ev.Mentions = append(ev.Mentions, mm)
	}
	c.sum.Messages++
	if c.o.Progress != nil {
		c.o.Progress.Messages.Add(1)
	}
	if !c.active[who.ID] {
		c.active[who.ID] = true
		c.sum.Members++
	}
	c.days.Count(c.sum, r.t)
	return c.emit(ev)
}

// mentioned finds "@name" of members seen so far in text, as the live
// adapter does: at each @ the longest known name followed by \u2005, a
// space, punctuation or the end.
func (c *conv) mentioned(text, self string) []string {
	if !strings.ContainsAny(text, "@＠") {
		return nil
	}
	var out []string
	seen := map[string]bool{self: true}
	for i, r := range text {
		if r != '@' && r != '＠' {
			continue
		}
		rest := text[i+utf8.RuneLen(r):]
		best := ""
		for name := range c.known {
			if len(name) <= len(best) || !strings.HasPrefix(rest, name) {
				continue
			}
			next, _ := utf8.DecodeRuneInString(rest[len(name):])
			if len(rest) == len(name) || next == '\u2005' || unicode.IsSpace(next) || unicode.IsPunct(next) {
				best = name
			}
		}
		if best != "" && !seen[best] {
			seen[best] = true
			out = append(out, best)
		}
	}
	return out
}
