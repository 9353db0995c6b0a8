package discordexport

import (
	"bytes"
	"fmt"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
)

// conv turns messages into events for one group.
type conv struct {
	group    string
	guildID  string
	before   time.Time
	loc      *time.Location
	sum      *importer.Summary
	emit     importer.Emit
	bots     map[string]bool
	authors  map[string]int32
	members  []bot.Member
	active   []bool // has a counted message
	replies  *replyMap
	days     importer.Days
	keybuf   []byte
	progress *importer.Progress
}

// member interns a user, keeping their latest display name.
func (c *conv) member(u *user) int32 {
	if i, ok := c.authors[string(u.id)]; ok {
		m := &c.members[i]
		if name := u.display(); len(name) > 0 && string(name) != m.Name {
			m.Name = string(name)
		}
		if u.isBot {
			m.IsBot = true
		}
		return i
	}
	id := string(u.id)
	m := bot.Member{ID: id, Name: string(u.display()), IsBot: u.isBot || c.bots[id]}
	if m.Name == "" {
		m.Name = id
	}
	i := int32(len(c.members))
	c.members = append(c.members, m)
	c.active = append(c.active, false)
	c.authors[id] = i
	return i
}

// Message kinds by DiscordChatExporter's type names (or numbers, which it
// writes for kinds it does not know). As the live adapter does, only
// ordinary messages and replies count as messages.
func kindOf(typ []byte) bot.Kind {
	switch string(typ) {
	case "Default", "Reply", "0", "19":
		return bot.KindMessage
	case "GuildMemberJoin", "7":
		return bot.KindJoin
	}
	return 0
}

// add turns one message into events.
func (c *conv) add(f *file, m *message) error {
	where := func() string {
		if m.line > 0 {
			return fmt.Sprintf("%s:%d", f.path, m.line)
		}
		return fmt.Sprintf("%s, byte %d", f.path, m.off)
	}
	ai := c.member(&m.author)
	author := c.members[ai]
	// Every message can be replied to, system ones too (a wave at a join).
	c.replies.put(replyKey(m), ai)
	if !c.before.IsZero() && !m.t.Before(c.before) {
		c.sum.Skipped.Add("records at or after -before (Pulse recorded that time live)", 1, where)
		return nil
	}
	kind := kindOf(m.typ)
	if kind == 0 {
		c.sum.Skipped.Add("system messages of type "+string(m.typ), 1, where)
		return nil
	}
	if author.IsBot {
		c.sum.Skipped.Add("messages and joins by bots (not members, never counted)", 1, where)
		return nil
	}
	id := string(m.id)
	if kind == bot.KindJoin {
		c.sum.Joins++
		return c.emit(bot.Event{Kind: bot.KindJoin, Group: c.group, ID: id, Member: author, Time: m.t})
	}
	if len(m.content) == 0 && f.json == nil && !m.attached {
		c.sum.Skipped.Add("empty CSV rows (joins, pins and other notices, or sticker-only messages: the CSV does not say which)", 1, where)
		return nil
	}
	ev := bot.Event{Kind: bot.KindMessage, Group: c.group, ID: id, Member: author, Time: m.t, Text: string(m.content), NoXP: f.noXP}
	if m.hasRef && len(m.refID) > 0 && (len(m.refGuild) == 0 || string(m.refGuild) == c.guildID) {
		if ri, ok := c.replies.get(snowflake(m.refID), m.refID); ok {
			ev.ReplyTo = c.members[ri]
		} else {
			c.sum.Skipped.Add("reply attributions to messages not in the import (counted as plain messages)", 1, where)
		}
	}
	if len(m.mentions) > 0 {
		ev.Mentions = make([]bot.Member, 0, len(m.mentions))
		for k := range m.mentions {
			u := &m.mentions[k]
			if len(u.id) == 0 {
				continue
			}
			who := c.members[c.member(u)]
			if who.ID == ev.ReplyTo.ID && !mentionsByName(m.content, u, who.Name) {
				// A reply lists its author among the mentions when it
				// pings them: that is the reply, not a mention (as live).
				continue
			}
			ev.Mentions = append(ev.Mentions, who)
		}
	}
	c.sum.Messages++
	if c.progress != nil {
		c.progress.Messages.Add(1)
	}
	if !c.active[ai] {
		c.active[ai] = true
		c.sum.Members++
	}
	c.days.Count(c.sum, m.t)
	if err := c.emit(ev); err != nil {
		return err
	}
	// Reactions that list their users are credited to them; the count of
	// those that do not (most exports give emoji and count only) goes in
	// one count-only event per message: its author received them and the
	// message drew a reaction, but no one is credited with giving them.
	// A reaction whose users are listed is never counted again as a count,
	// even when the export lists fewer users than its count.
	unknown := m.csvReact
	for k := range m.reactions {
		r := &m.reactions[k]
		emoji := r.emojiID
		if len(emoji) == 0 || string(emoji) == "0" {
			emoji = r.emojiName
		}
		if !r.hasUsers {
			unknown += max(r.count, 1)
			continue
		}
		if extra := r.count - int64(len(r.users)); extra > 0 {
			c.sum.Skipped.Add("reactions beyond the users the export lists (not attributable)", extra, where)
		}
		for u := range r.users {
			ru := &r.users[u]
			if len(ru.id) == 0 {
				continue
			}
			who := c.members[c.member(ru)]
			key := append(c.keybuf[:0], m.id...)
			key = append(key, '/')
			key = append(key, emoji...)
			key = append(key, '/')
			key = append(key, ru.id...)
			c.keybuf = key
			c.sum.Reactions++
			if err := c.emit(bot.Event{Kind: bot.KindReaction, Group: c.group, ID: string(key), Member: who, Target: author, MessageID: id, Time: m.t}); err != nil {
				return err
			}
		}
	}
	if unknown > 0 {
		c.sum.CountOnly++
		c.sum.CountOnlyReactions += unknown
		// No user id contains "/", so this id never meets a reactor's.
		return c.emit(bot.Event{Kind: bot.KindReaction, Group: c.group, ID: id + "/count", Target: author, MessageID: id, Count: int(unknown), Time: m.t})
	}
	return nil
}

// mentionsByName reports whether content mentions u in the words
// DiscordChatExporter writes a mention as ("@display name").
func mentionsByName(content []byte, u *user, known string) bool {
	for _, name := range [][]byte{u.nickname, u.name, []byte(known)} {
		if len(name) > 0 && bytes.Contains(content, append([]byte{'@'}, name...)) {
			return true
		}
	}
	return false
}
