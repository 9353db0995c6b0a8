package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// GatewayStats count what happened on the gateway.
type GatewayStats struct {
	Connects   int // websocket connections accepted
	Identifies int // op 2
	Resumes    int // op 6 answered with a replay and RESUMED
	Invalid    int // op 6 refused with op 9 (invalid session)
	Heartbeats int // op 1 answered with op 11
	Dispatched int // dispatches written (replays included)
	// Live is true while a client holds a session on an open connection.
	Live bool
	// Intents and Shard of the last Identify.
	Intents int64
	Shard   []int
	// Requested lists the servers whose members were asked for (op 8).
	Requested []string
}

// Stats returns the gateway counters.
func (s *Server) Stats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.gw
	st.Shard, st.Requested = slices.Clone(st.Shard), slices.Clone(st.Requested)
	return st
}

// WaitGateway waits until cond holds for the gateway counters.
func (s *Server) WaitGateway(ctx context.Context, cond func(GatewayStats) bool) error {
	return s.wait(ctx, func() bool { return cond(s.gw) })
}

type gatewayStats = GatewayStats

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

type logged struct {
	seq   int64
	frame []byte
}

// session is a gateway session: its sequence and the dispatches kept for
// RESUME.
type session struct {
	id     string
	seq    int64
	log    []logged
	replay int // extra already-seen dispatches to replay on the next resume
}

type conn struct {
	ws  *websocket.Conn
	wmu sync.Mutex
}

func (c *conn) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(30 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

func (c *conn) close(code int, text string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Get("v") != "" && q.Get("v") != "9" || q.Get("encoding") != "" && q.Get("encoding") != "json" {
		http.Error(w, "unsupported gateway version or encoding", http.StatusBadRequest)
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	defer func() {
		s.dmu.Lock()
		if s.conn == c {
			s.conn = nil
			s.setLive(false)
		}
		s.dmu.Unlock()
		_ = ws.Close()
	}()
	s.mu.Lock()
	s.gw.Connects++
	s.notify()
	s.mu.Unlock()
	hello, _ := json.Marshal(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": s.o.HeartbeatInterval.Milliseconds()}})
	if c.write(hello) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(msg, &f) != nil {
			c.close(4002, "Error while decoding payload.")
			return
		}
		switch f.Op {
		case 1:
			s.mu.Lock()
			s.gw.Heartbeats++
			s.notify()
			s.mu.Unlock()
			if c.write([]byte(`{"op":11}`)) != nil {
				return
			}
		case 2:
			if !s.identify(c, f.D) {
				return
			}
		case 6:
			if !s.resume(c, f.D) {
				return
			}
		case 8:
			s.requestMembers(f.D)
		case 3, 4:
		default:
			c.close(4001, "Unknown opcode.")
			return
		}
	}
}

func (s *Server) setLive(live bool) {
	s.mu.Lock()
	s.gw.Live = live
	s.notify()
	s.mu.Unlock()
}

func (s *Server) tokenOK(token string) bool {
	return strings.TrimPrefix(token, "Bot ") == s.Token
}

// identify starts a new session: READY, then GUILD_CREATE per server.
func (s *Server) identify(c *conn, d json.RawMessage) bool {
	var id struct {
		Token   string `json:"token"`
		Intents int64  `json:"intents"`
		Shard   []int  `json:"shard"`
	}
	if json.Unmarshal(d, &id) != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	if !s.tokenOK(id.Token) {
		c.close(4004, "Authentication failed.")
		return false
	}
	if id.Intents&s.o.DeniedIntents != 0 {
		c.close(4014, "Disallowed intent(s).")
		return false
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	s.dmu.Lock()
	defer s.dmu.Unlock()
	s.sess = &session{id: hex.EncodeToString(b[:])}
	s.conn = c
	s.mu.Lock()
	s.gw.Identifies++
	s.gw.Intents, s.gw.Shard = id.Intents, id.Shard
	order := slices.Clone(s.order)
	var stubs []map[string]any
	for _, gid := range order {
		stubs = append(stubs, map[string]any{"id": gid, "unavailable": true})
	}
	s.mu.Unlock()
	ready := map[string]any{
		"v": 9, "user": s.Bot, "session_id": s.sess.id, "resume_gateway_url": s.GatewayURL(),
		"application": map[string]any{"id": s.AppID, "flags": 0}, "guilds": stubs, "private_channels": []any{},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	if !s.dispatchLocked("READY", ready) {
		return false
	}
	for _, gid := range order {
		s.mu.Lock()
		g := s.guilds[gid]
		var wire map[string]any
		if g != nil {
			wire = guildWire(g)
		}
		s.mu.Unlock()
		if wire != nil && !s.dispatchLocked("GUILD_CREATE", wire) {
			return false
		}
	}
	s.setLive(true)
	return true
}

// resume replays what the session missed (and, after ReplayOnResume,
// some dispatches it had already seen), then RESUMED; an unknown session
// or a sequence no longer kept gets op 9 (invalid session).
func (s *Server) resume(c *conn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &rs) != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	if !s.tokenOK(rs.Token) {
		c.close(4004, "Authentication failed.")
		return false
	}
	s.dmu.Lock()
	defer s.dmu.Unlock()
	ss := s.sess
	if ss == nil || ss.id != rs.SessionID || len(ss.log) > 0 && ss.log[0].seq > rs.Seq+1 || rs.Seq > ss.seq {
		s.mu.Lock()
		s.gw.Invalid++
		s.notify()
		s.mu.Unlock()
		return c.write([]byte(`{"op":9,"d":false}`)) == nil
	}
	from := rs.Seq - int64(ss.replay)
	ss.replay = 0
	s.conn = c
	for _, l := range ss.log {
		if l.seq > from {
			if c.write(l.frame) != nil {
				s.conn = nil
				return false
			}
			s.mu.Lock()
			s.gw.Dispatched++
			s.mu.Unlock()
		}
	}
	if !s.dispatchLocked("RESUMED", map[string]any{"_trace": []string{"discordtest"}}) {
		return false
	}
	s.mu.Lock()
	s.gw.Resumes++
	s.mu.Unlock()
	s.setLive(true)
	return true
}

// requestMembers answers op 8 with GUILD_MEMBERS_CHUNK events.
func (s *Server) requestMembers(d json.RawMessage) {
	var rq struct {
		GuildID json.RawMessage `json:"guild_id"`
		Nonce   string          `json:"nonce"`
	}
	if json.Unmarshal(d, &rq) != nil {
		return
	}
	var ids []string
	var one string
	if json.Unmarshal(rq.GuildID, &one) == nil {
		ids = []string{one}
	} else {
		_ = json.Unmarshal(rq.GuildID, &ids)
	}
	const chunk = 1000
	for _, gid := range ids {
		s.mu.Lock()
		g := s.guilds[gid]
		var members []Member
		if g != nil {
			members = slices.Clone(g.Members)
		}
		s.gw.Requested = append(s.gw.Requested, gid)
		s.notify()
		s.mu.Unlock()
		if g == nil {
			continue
		}
		count := max((len(members)+chunk-1)/chunk, 1)
		for i := 0; i < count; i++ {
			part := members[i*chunk : min((i+1)*chunk, len(members))]
			s.Dispatch("GUILD_MEMBERS_CHUNK", map[string]any{
				"guild_id": gid, "members": membersWire(part), "chunk_index": i, "chunk_count": count, "nonce": rq.Nonce,
			})
		}
	}
}

// Dispatch sends an event (op 0) with the next sequence number; data is
// encoded as JSON, or used as it is if it is a json.RawMessage. Without a
// live connection it is kept for the session's RESUME; before any
// session it is lost, as on Discord.
func (s *Server) Dispatch(event string, data any) {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	s.dispatchLocked(event, data)
}

// dispatchLocked sends with s.dmu held; false if the connection failed.
func (s *Server) dispatchLocked(event string, data any) bool {
	if s.sess == nil {
		return true
	}
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			panic("discordtest: " + err.Error())
		}
	}
	s.sess.seq++
	seq := s.sess.seq
	// {"op":0,"d":...,"s":seq,"t":"EVENT"}, built by hand: payloads may be
	// large and pre-encoded (json.RawMessage is used as it is).
	b := make([]byte, 0, len(raw)+len(event)+48)
	b = append(b, `{"op":0,"d":`...)
	b = append(b, raw...)
	b = append(b, `,"s":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `,"t":`...)
	b = strconv.AppendQuote(b, event)
	b = append(b, '}')
	s.sess.log = append(s.sess.log, logged{seq, b})
	if len(s.sess.log) >= 2*s.o.EventLog { // trimmed in bulk: amortised O(1)
		s.sess.log = append(s.sess.log[:0:0], s.sess.log[len(s.sess.log)-s.o.EventLog:]...)
	}
	if s.conn == nil {
		return true
	}
	if err := s.conn.write(b); err != nil {
		_ = s.conn.ws.Close()
		s.conn = nil
		s.setLive(false)
		return false
	}
	s.mu.Lock()
	s.gw.Dispatched++
	s.mu.Unlock()
	return true
}

// Drop closes the gateway connection abruptly (no close frame), as a
// network failure does. The session survives for RESUME.
func (s *Server) Drop() {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.conn == nil {
		return
	}
	_ = s.conn.ws.UnderlyingConn().Close()
	s.conn = nil
	s.setLive(false)
}

// ReplayOnResume makes the next RESUME replay the last n dispatches the
// client had already received too, as duplicates, on top of those it
// missed.
func (s *Server) ReplayOnResume(n int) {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.sess != nil {
		s.sess.replay = n
	}
}

// InvalidateSession forgets the session, so the next RESUME is refused
// and the client must identify again.
func (s *Server) InvalidateSession() {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.sess != nil {
		s.sess.id = "invalidated-" + s.sess.id
	}
}

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

func partialMember(m Member) map[string]any {
	w := map[string]any{"roles": nonNil(slices.Clone(m.Roles)), "joined_at": m.JoinedAt.UTC().Format(time.RFC3339Nano), "deaf": false, "mute": false}
	if m.Nick != "" {
		w["nick"] = m.Nick
	}
	return w
}

func memberWire(m Member) map[string]any {
	w := partialMember(m)
	w["user"] = m.User
	return w
}

func membersWire(ms []Member) []map[string]any {
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, memberWire(m))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// guildWire is GUILD_CREATE's payload; s.mu held.
func guildWire(g *Guild) map[string]any {
	members := g.Members
	if g.InitialMembers > 0 && g.InitialMembers < len(members) {
		members = members[:g.InitialMembers]
	}
	channels := make([]Channel, len(g.Channels))
	for i, c := range g.Channels {
		c.GuildID = g.ID
		channels[i] = c
	}
	roles := g.Roles
	if roles == nil {
		roles = []Role{}
	}
	w := map[string]any{
		"id": g.ID, "name": g.Name, "owner_id": g.OwnerID, "roles": roles, "channels": channels,
		"members": membersWire(members), "member_count": len(g.Members), "large": len(members) < len(g.Members),
		"unavailable": false, "threads": []any{}, "voice_states": []any{}, "presences": []any{}, "emojis": []any{},
	}
	if g.SystemChannelID != "" {
		w["system_channel_id"] = g.SystemChannelID
	}
	return w
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

// MemberAdd adds a member to a server and dispatches GUILD_MEMBER_ADD.
// A zero JoinedAt is the clock's time.
func (s *Server) MemberAdd(guild string, m Member) {
	s.mu.Lock()
	if m.JoinedAt.IsZero() {
		m.JoinedAt = s.o.Clock()
	}
	if g := s.guilds[guild]; g != nil && findMember(g, m.User.ID) == nil {
		g.Members = append(g.Members, m)
	}
	w := memberWire(m)
	w["guild_id"] = guild
	s.mu.Unlock()
	s.Dispatch("GUILD_MEMBER_ADD", w)
}

// MemberRemove removes a member from a server and dispatches
// GUILD_MEMBER_REMOVE.
func (s *Server) MemberRemove(guild string, u User) {
	s.mu.Lock()
	if g := s.guilds[guild]; g != nil {
		g.Members = slices.DeleteFunc(g.Members, func(m Member) bool { return m.User.ID == u.ID })
	}
	s.mu.Unlock()
	s.Dispatch("GUILD_MEMBER_REMOVE", map[string]any{"guild_id": guild, "user": u})
}

// Interaction is an INTERACTION_CREATE for a slash command.
type Interaction struct {
	ID, Token, GuildID, ChannelID string
	// User ran the command; their membership and permissions come from
	// the server.
	User    User
	Name    string
	Options []Option
	// Type is the interaction type; default 2 (application command).
	Type int
}

// Option is a slash command option as sent: a value, or a subcommand's
// options. User options (type 6) take the user id as Value and are
// resolved from the server's members.
type Option struct {
	Name    string
	Type    int
	Value   any
	Options []Option
}

// InteractionCreate dispatches INTERACTION_CREATE and returns it with ID,
// Token and GuildID filled. Its callback must come within the
// interaction deadline.
func (s *Server) InteractionCreate(in Interaction) Interaction {
	s.mu.Lock()
	if in.ID == "" {
		in.ID = s.newID()
	}
	if in.Token == "" {
		in.Token = "itoken-" + in.ID
	}
	if in.GuildID == "" {
		in.GuildID, _ = s.channelGuild(in.ChannelID)
	}
	if in.Type == 0 {
		in.Type = 2
	}
	g := s.guilds[in.GuildID]
	users, members := map[string]any{}, map[string]any{}
	var walk func([]Option) []map[string]any
	walk = func(opts []Option) []map[string]any {
		out := []map[string]any{}
		for _, o := range opts {
			w := map[string]any{"name": o.Name, "type": o.Type}
			if o.Options != nil || o.Type == 1 || o.Type == 2 {
				w["options"] = walk(o.Options)
			} else {
				w["value"] = o.Value
			}
			if id, ok := o.Value.(string); ok && o.Type == 6 && g != nil {
				if m := findMember(g, id); m != nil {
					users[id] = m.User
					members[id] = partialMember(*m)
				} else {
					users[id] = User{ID: id, Username: "user" + id}
				}
			}
			out = append(out, w)
		}
		return out
	}
	data := map[string]any{"id": "cmd-" + in.Name, "name": in.Name, "type": 1, "options": walk(in.Options)}
	if len(users) > 0 {
		data["resolved"] = map[string]any{"users": users, "members": members}
	}
	w := map[string]any{
		"id": in.ID, "application_id": s.AppID, "type": in.Type, "token": in.Token, "version": 1,
		"channel_id": in.ChannelID, "locale": "en-US", "context": 0, "data": data,
	}
	if g != nil {
		member := Member{User: in.User, Roles: []string{}}
		if m := findMember(g, in.User.ID); m != nil {
			member = *m
		}
		mw := memberWire(member)
		mw["permissions"] = strconv.FormatInt(s.permissions(g.ID, in.User.ID), 10)
		w["guild_id"], w["member"], w["guild_locale"] = g.ID, mw, "en-US"
		w["app_permissions"] = strconv.FormatInt(s.permissions(g.ID, s.Bot.ID), 10)
	} else {
		w["user"] = in.User
	}
	s.interactions[in.ID] = &interaction{token: in.Token, created: time.Now()}
	s.mu.Unlock()
	s.Dispatch("INTERACTION_CREATE", w)
	return in
}
