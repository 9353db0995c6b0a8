package discordtest

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Message is a MESSAGE_CREATE.
type Message struct {
	ID, ChannelID, GuildID string
	Author                 User
	// Member is the author's membership (partial in the payload); nil:
	// the server's member entry of the author.
	Member    *Member
	Content   string
	Timestamp time.Time // zero: the clock's time
	Mentions  []User
	// ReferencedMessage makes this a reply (type 19) to that message.
	ReferencedMessage *Message
	WebhookID         string
	Type              int
}

// MessageCreate dispatches MESSAGE_CREATE and returns the message with
// its zero fields filled: ID (a new snowflake), Timestamp, GuildID (the
// channel's server), Member, and Type.
func (s *Server) MessageCreate(m Message) Message {
	s.mu.Lock()
	if m.ID == "" {
		m.ID = s.newID()
	}
	if m.Timestamp.IsZero() {
		m.Timestamp = s.o.Clock()
	}
	if m.GuildID == "" {
		m.GuildID, _ = s.channelGuild(m.ChannelID)
	}
	if m.Member == nil && m.WebhookID == "" {
		if g := s.guilds[m.GuildID]; g != nil {
			if mm := findMember(g, m.Author.ID); mm != nil {
				cp := *mm
				m.Member = &cp
			}
		}
	}
	if m.Mentions == nil {
		// Discord lists the users the content mentions.
		for _, id := range mentionIDs(m.Content) {
			m.Mentions = append(m.Mentions, s.user(id))
		}
	}
	if m.ReferencedMessage != nil && m.Type == 0 {
		m.Type = 19
	}
	wire := s.messageWire(m, true)
	s.mu.Unlock()
	s.Dispatch("MESSAGE_CREATE", wire)
	return m
}

// DispatchMessage sends a message exactly as given (no fields filled):
// to replay one, or for benchmarks.
func (s *Server) DispatchMessage(m Message) {
	s.mu.Lock()
	wire := s.messageWire(m, true)
	s.mu.Unlock()
	s.Dispatch("MESSAGE_CREATE", wire)
}

// MessageWire returns a message's MESSAGE_CREATE payload as given (no
// fields filled), ready for Dispatch: to prepare many, as benchmarks do.
func (s *Server) MessageWire(m Message) json.RawMessage {
	s.mu.Lock()
	w := s.messageWire(m, true)
	s.mu.Unlock()
	raw, err := json.Marshal(w)
	if err != nil {
		panic("discordtest: " + err.Error())
	}
	return raw
}

// messageWire is a message as Discord sends it; s.mu held.
func (s *Server) messageWire(m Message, withRef bool) map[string]any {
	mentions := make([]map[string]any, 0, len(m.Mentions))
	for _, u := range m.Mentions {
		w := map[string]any{"id": u.ID, "username": u.Username, "bot": u.Bot}
		if u.GlobalName != "" {
			w["global_name"] = u.GlobalName
		}
		if g := s.guilds[m.GuildID]; g != nil {
			if mm := findMember(g, u.ID); mm != nil {
				w["member"] = partialMember(*mm)
			}
		}
		mentions = append(mentions, w)
	}
	w := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "author": m.Author, "content": m.Content,
		"timestamp": m.Timestamp.UTC().Format(time.RFC3339Nano), "edited_timestamp": nil, "tts": false,
		"mention_everyone": strings.Contains(m.Content, "@everyone"), "mentions": mentions, "mention_roles": []string{},
		"attachments": []any{}, "embeds": []any{}, "pinned": false, "type": m.Type,
	}
	if m.GuildID != "" {
		w["guild_id"] = m.GuildID
	}
	if m.Member != nil {
		w["member"] = partialMember(*m.Member)
	}
	if m.WebhookID != "" {
		w["webhook_id"] = m.WebhookID
	}
	if ref := m.ReferencedMessage; ref != nil && withRef {
		w["message_reference"] = map[string]any{"type": 0, "message_id": ref.ID, "channel_id": ref.ChannelID, "guild_id": ref.GuildID}
		w["referenced_message"] = s.messageWire(*ref, false)
	}
	return w
}

// mentionIDs returns the ids of "<@id>" and "<@!id>" in text.
func mentionIDs(text string) []string {
	var ids []string
	for {
		i := strings.Index(text, "<@")
		if i < 0 {
			return ids
		}
		text = text[i+2:]
		rest := strings.TrimPrefix(text, "!")
		j := strings.IndexByte(rest, '>')
		if j > 0 && strings.Trim(rest[:j], "0123456789") == "" && !slices.Contains(ids, rest[:j]) {
			ids = append(ids, rest[:j])
		}
	}
}

// Reaction is a MESSAGE_REACTION_ADD.
type Reaction struct {
	GuildID, ChannelID, MessageID string
	UserID                        string
	// MessageAuthorID is whose message was reacted to ("" to leave it out,
	// as Discord did before 2023).
	MessageAuthorID string
	Emoji           string // default 👍
}

// ReactionAdd dispatches MESSAGE_REACTION_ADD, with the reacting member.
func (s *Server) ReactionAdd(r Reaction) {
	s.mu.Lock()
	if r.GuildID == "" {
		r.GuildID, _ = s.channelGuild(r.ChannelID)
	}
	if r.Emoji == "" {
		r.Emoji = "👍"
	}
	w := map[string]any{
		"user_id": r.UserID, "message_id": r.MessageID, "channel_id": r.ChannelID, "guild_id": r.GuildID,
		"emoji": map[string]any{"id": nil, "name": r.Emoji}, "burst": false, "type": 0,
	}
	if r.MessageAuthorID != "" {
		w["message_author_id"] = r.MessageAuthorID
	}
	if g := s.guilds[r.GuildID]; g != nil {
		if m := findMember(g, r.UserID); m != nil {
			w["member"] = memberWire(*m)
		}
	}
	s.mu.Unlock()
	s.Dispatch("MESSAGE_REACTION_ADD", w)
}
