package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// gwClient is a bare gateway client: it reads and writes frames and
// nothing else, so each test states the protocol it expects.
type gwClient struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, s *Server) *gwClient {
	t.Helper()
	// discordgo appends "/?v=9&encoding=json"; the fake serves that path.
	ws, _, err := websocket.DefaultDialer.Dial(s.GatewayURL()+"/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return &gwClient{t: t, ws: ws}
}

// read returns the next frame; the deadline only guards against hangs.
func (c *gwClient) read() frame {
	c.t.Helper()
	f, err := c.readErr()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

func (c *gwClient) readErr() (frame, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, msg, err := c.ws.ReadMessage()
	if err != nil {
		return frame{}, err
	}
	var f frame
	if err := json.Unmarshal(msg, &f); err != nil {
		c.t.Fatalf("frame %q: %v", msg, err)
	}
	return f, nil
}

// expect reads the next frame and requires it to be the dispatch event.
func (c *gwClient) expect(event string) frame {
	c.t.Helper()
	f := c.read()
	if f.Op != 0 || f.T != event {
		c.t.Fatalf("got op %d %q (%s), want dispatch %s", f.Op, f.T, f.D, event)
	}
	return f
}

// expectClose reads until the server closes with code.
func (c *gwClient) expectClose(code int) {
	c.t.Helper()
	_, err := c.readErr()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != code {
		c.t.Fatalf("read error %v, want close %d", err, code)
	}
}

func (c *gwClient) send(op int, d any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		c.t.Fatal(err)
	}
}

// hello reads op 10 and returns its heartbeat interval.
func (c *gwClient) hello() int64 {
	c.t.Helper()
	f := c.read()
	var d struct {
		HeartbeatInterval int64 `json:"heartbeat_interval"`
	}
	if f.Op != 10 || json.Unmarshal(f.D, &d) != nil {
		c.t.Fatalf("got op %d %s, want Hello", f.Op, f.D)
	}
	return d.HeartbeatInterval
}

func (c *gwClient) identify(intents int64) {
	c.send(2, map[string]any{"token": "test-token", "intents": intents, "properties": map[string]string{"os": "linux"}})
}

func (c *gwClient) resume(session string, seq int64) {
	c.send(6, map[string]any{"token": "test-token", "session_id": session, "seq": seq})
}

// connect dials, identifies and reads READY and every GUILD_CREATE;
// it returns the session id and the last sequence number.
func connect(t *testing.T, s *Server) (*gwClient, string, int64) {
	t.Helper()
	c := dial(t, s)
	c.hello()
	c.identify(IntentGuilds)
	f := c.expect("READY")
	var ready struct {
		SessionID string `json:"session_id"`
	}
	_ = json.Unmarshal(f.D, &ready)
	seq := *f.S
	s.mu.Lock()
	n := len(s.order)
	s.mu.Unlock()
	for range n {
		seq = *c.expect("GUILD_CREATE").S
	}
	return c, ready.SessionID, seq
}

func waitLive(t *testing.T, s *Server, live bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitGateway(ctx, func(st GatewayStats) bool { return st.Live == live }); err != nil {
		t.Fatalf("gateway never became live=%v: %v", live, err)
	}
}

func TestGatewayIdentify(t *testing.T) {
	s := newTestServer(t, Options{HeartbeatInterval: 1500 * time.Millisecond})
	c := dial(t, s)
	if iv := c.hello(); iv != 1500 {
		t.Errorf("heartbeat_interval %d, want 1500", iv)
	}
	c.send(2, map[string]any{"token": "Bot test-token", "intents": IntentGuilds | IntentGuildMessages, "shard": []int{0, 1}})

	f := c.expect("READY")
	var ready struct {
		V           int    `json:"v"`
		User        User   `json:"user"`
		SessionID   string `json:"session_id"`
		ResumeURL   string `json:"resume_gateway_url"`
		Application struct {
			ID string `json:"id"`
		} `json:"application"`
		Guilds []struct {
			ID          string `json:"id"`
			Unavailable bool   `json:"unavailable"`
		} `json:"guilds"`
		Shard []int `json:"shard"`
	}
	if err := json.Unmarshal(f.D, &ready); err != nil {
		t.Fatal(err)
	}
	if *f.S != 1 || ready.V != 9 || ready.SessionID == "" || ready.User != s.Bot || ready.Application.ID != s.AppID ||
		ready.ResumeURL != s.GatewayURL() || !slices.Equal(ready.Shard, []int{0, 1}) {
		t.Errorf("READY s=%d %+v", *f.S, ready)
	}
	if len(ready.Guilds) != 2 || ready.Guilds[0].ID != testGuildID || ready.Guilds[1].ID != otherGuildID || !ready.Guilds[0].Unavailable {
		t.Errorf("READY guild stubs %+v", ready.Guilds)
	}

	type guildCreate struct {
		ID              string    `json:"id"`
		Name            string    `json:"name"`
		OwnerID         string    `json:"owner_id"`
		SystemChannelID string    `json:"system_channel_id"`
		Roles           []Role    `json:"roles"`
		Channels        []Channel `json:"channels"`
		Members         []Member  `json:"members"`
		MemberCount     int       `json:"member_count"`
		Large           bool      `json:"large"`
		Unavailable     bool      `json:"unavailable"`
	}
	var g1, g2 guildCreate
	f1 := c.expect("GUILD_CREATE")
	if err := json.Unmarshal(f1.D, &g1); err != nil {
		t.Fatal(err)
	}
	if *f1.S != 2 || g1.ID != testGuildID || g1.Name != "Test" || g1.OwnerID != ownerID || g1.SystemChannelID != testChannelID ||
		len(g1.Roles) != 3 || g1.Roles[1].Permissions != PermManageRoles || g1.Unavailable || g1.Large {
		t.Errorf("GUILD_CREATE s=%d %+v", *f1.S, g1)
	}
	// Channels carry their server's id, as Discord's do.
	if len(g1.Channels) != 2 || g1.Channels[0].GuildID != testGuildID || g1.Channels[1].ParentID != testChannelID {
		t.Errorf("channels %+v", g1.Channels)
	}
	if len(g1.Members) != 3 || g1.MemberCount != 3 || g1.Members[1].Nick != "bobby" || !slices.Equal(g1.Members[1].Roles, []string{modRole}) {
		t.Errorf("members %+v (count %d)", g1.Members, g1.MemberCount)
	}
	f2 := c.expect("GUILD_CREATE")
	if err := json.Unmarshal(f2.D, &g2); err != nil {
		t.Fatal(err)
	}
	// InitialMembers makes a large server: one member of two, the rest on request.
	if *f2.S != 3 || g2.ID != otherGuildID || len(g2.Members) != 1 || g2.MemberCount != 2 || !g2.Large || g2.Roles == nil {
		t.Errorf("large GUILD_CREATE s=%d %+v", *f2.S, g2)
	}

	waitLive(t, s, true)
	st := s.Stats()
	if st.Connects != 1 || st.Identifies != 1 || st.Intents != IntentGuilds|IntentGuildMessages || !slices.Equal(st.Shard, []int{0, 1}) || st.Dispatched != 3 {
		t.Errorf("stats %+v", st)
	}
	c.ws.Close()
	waitLive(t, s, false)
}

func TestGatewayHeartbeat(t *testing.T) {
	s := newTestServer(t, Options{})
	c := dial(t, s)
	c.hello()
	// Heartbeats are answered before and after identifying; ops 3 and 4
	// (presence, voice) are accepted and ignored.
	c.send(1, nil)
	if f := c.read(); f.Op != 11 {
		t.Fatalf("got op %d, want 11", f.Op)
	}
	c.identify(0)
	c.expect("READY")
	c.expect("GUILD_CREATE")
	c.expect("GUILD_CREATE")
	c.send(3, map[string]any{"status": "online"})
	c.send(4, map[string]any{})
	c.send(1, 3)
	if f := c.read(); f.Op != 11 {
		t.Fatalf("got op %d, want 11", f.Op)
	}
	if st := s.Stats(); st.Heartbeats != 2 {
		t.Errorf("Heartbeats %d, want 2", st.Heartbeats)
	}
}

func TestGatewayRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		send func(*gwClient)
		code int
	}{
		{"wrong token", Options{}, func(c *gwClient) { c.send(2, map[string]any{"token": "nope", "intents": 1}) }, 4004},
		{"wrong token on resume", Options{}, func(c *gwClient) { c.send(6, map[string]any{"token": "nope", "session_id": "x", "seq": 0}) }, 4004},
		{"disallowed intents", Options{DeniedIntents: IntentMessageContent}, func(c *gwClient) { c.identify(IntentGuilds | IntentMessageContent) }, 4014},
		{"undecodable payload", Options{}, func(c *gwClient) { _ = c.ws.WriteMessage(websocket.TextMessage, []byte("{not json")) }, 4002},
		{"undecodable identify", Options{}, func(c *gwClient) { c.send(2, "token") }, 4002},
		{"unknown opcode", Options{}, func(c *gwClient) { c.send(99, nil) }, 4001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.opts)
			c := dial(t, s)
			c.hello()
			tc.send(c)
			c.expectClose(tc.code)
			if st := s.Stats(); st.Identifies != 0 || st.Live {
				t.Errorf("stats after refusal %+v", st)
			}
		})
	}
}

func TestGatewayVersionAndEncoding(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, q := range []string{"?v=8", "?v=9&encoding=etf"} {
		ws, resp, err := websocket.DefaultDialer.Dial(s.GatewayURL()+q, nil)
		if err == nil {
			ws.Close()
			t.Errorf("%s: dial succeeded", q)
			continue
		}
		if resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %v, response %v", q, err, resp)
		}
	}
}

func TestGatewayResume(t *testing.T) {
	s := newTestServer(t, Options{})
	c, session, seq := connect(t, s)
	s.Drop()
	if _, err := c.readErr(); err == nil {
		t.Fatal("connection still open after Drop")
	}
	waitLive(t, s, false)
	// Dispatches while disconnected are kept for the session.
	s.Dispatch("TEST_A", map[string]int{"n": 1})
	s.Dispatch("TEST_B", json.RawMessage(`{"n":2}`))

	c = dial(t, s)
	c.hello()
	c.resume(session, seq)
	a, b := c.expect("TEST_A"), c.expect("TEST_B")
	if *a.S != seq+1 || *b.S != seq+2 || string(b.D) != `{"n":2}` {
		t.Errorf("replay s=%d %s, s=%d %s", *a.S, a.D, *b.S, b.D)
	}
	if r := c.expect("RESUMED"); *r.S != seq+3 {
		t.Errorf("RESUMED s=%d, want %d", *r.S, seq+3)
	}
	waitLive(t, s, true)
	// The session goes on live.
	s.Dispatch("TEST_C", map[string]int{"n": 3})
	if f := c.expect("TEST_C"); *f.S != seq+4 {
		t.Errorf("live s=%d, want %d", *f.S, seq+4)
	}
	if st := s.Stats(); st.Resumes != 1 || st.Identifies != 1 || st.Connects != 2 || st.Invalid != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestGatewayReplayOnResume(t *testing.T) {
	s := newTestServer(t, Options{})
	c, session, seq := connect(t, s)
	s.Dispatch("SEEN", map[string]int{})
	c.expect("SEEN")
	s.ReplayOnResume(1)
	s.Drop()

	c = dial(t, s)
	c.hello()
	c.resume(session, seq+1)
	// The client had SEEN; it comes again as a duplicate.
	if f := c.expect("SEEN"); *f.S != seq+1 {
		t.Errorf("duplicate s=%d, want %d", *f.S, seq+1)
	}
	c.expect("RESUMED")
}

func TestGatewayInvalidSession(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    Options
		prepare func(s *Server)
		resume  func(session string, seq int64) (string, int64)
	}{
		{"wrong session id", Options{}, nil, func(_ string, seq int64) (string, int64) { return "other", seq }},
		{"sequence ahead of the server", Options{}, nil, func(id string, seq int64) (string, int64) { return id, seq + 1 }},
		{"invalidated session", Options{}, func(s *Server) { s.InvalidateSession() }, func(id string, seq int64) (string, int64) { return id, seq }},
		// With a log of one, the events after 0 are no longer all kept.
		{"sequence no longer kept", Options{EventLog: 1}, nil, func(id string, _ int64) (string, int64) { return id, 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.opts)
			_, session, seq := connect(t, s)
			s.Drop()
			if tc.prepare != nil {
				tc.prepare(s)
			}
			c := dial(t, s)
			c.hello()
			c.resume(tc.resume(session, seq))
			f := c.read()
			if f.Op != 9 || string(f.D) != "false" {
				t.Fatalf("got op %d %s, want op 9 false", f.Op, f.D)
			}
			// The connection stays open to identify again.
			c.identify(0)
			if r := c.expect("READY"); *r.S != 1 {
				t.Errorf("new session starts at s=%d", *r.S)
			}
			if st := s.Stats(); st.Invalid != 1 || st.Resumes != 0 || st.Identifies != 2 {
				t.Errorf("stats %+v", st)
			}
		})
	}

	t.Run("no session yet", func(t *testing.T) {
		s := newTestServer(t, Options{})
		c := dial(t, s)
		c.hello()
		c.resume("any", 0)
		if f := c.read(); f.Op != 9 {
			t.Fatalf("got op %d, want 9", f.Op)
		}
	})
}

func TestDispatchBeforeSessionIsLost(t *testing.T) {
	s := newTestServer(t, Options{})
	s.Dispatch("EARLY", map[string]int{})
	c := dial(t, s)
	c.hello()
	c.identify(0)
	if f := c.expect("READY"); *f.S != 1 {
		t.Errorf("READY s=%d: an early dispatch was kept", *f.S)
	}
}

func TestRequestGuildMembers(t *testing.T) {
	big := Guild{ID: "400", Name: "Big", InitialMembers: 1}
	for i := range 1001 {
		big.Members = append(big.Members, Member{User: User{ID: strconv.Itoa(5000 + i)}})
	}
	s := newTestServer(t, Options{Guilds: append(testGuilds(), big)})
	c, _, _ := connect(t, s)

	type chunk struct {
		GuildID    string   `json:"guild_id"`
		Members    []Member `json:"members"`
		ChunkIndex int      `json:"chunk_index"`
		ChunkCount int      `json:"chunk_count"`
		Nonce      string   `json:"nonce"`
	}
	readChunk := func() chunk {
		t.Helper()
		var ch chunk
		if err := json.Unmarshal(c.expect("GUILD_MEMBERS_CHUNK").D, &ch); err != nil {
			t.Fatal(err)
		}
		return ch
	}

	c.send(8, map[string]any{"guild_id": otherGuildID, "query": "", "limit": 0, "nonce": "n1"})
	if ch := readChunk(); ch.GuildID != otherGuildID || len(ch.Members) != 2 || ch.Members[1].User.ID != carolID ||
		ch.ChunkIndex != 0 || ch.ChunkCount != 1 || ch.Nonce != "n1" {
		t.Errorf("chunk %+v", ch)
	}

	// A list of servers gets chunks per server, in order; 1000 members a chunk.
	c.send(8, map[string]any{"guild_id": []string{testGuildID, "400"}, "nonce": "n2"})
	want := []struct{ guild, index, count, members int }{{100, 0, 1, 3}, {400, 0, 2, 1000}, {400, 1, 2, 1}}
	for _, w := range want {
		ch := readChunk()
		if ch.GuildID != strconv.Itoa(w.guild) || ch.ChunkIndex != w.index || ch.ChunkCount != w.count || len(ch.Members) != w.members || ch.Nonce != "n2" {
			t.Errorf("chunk %s %d/%d with %d members, want %+v", ch.GuildID, ch.ChunkIndex, ch.ChunkCount, len(ch.Members), w)
		}
	}

	// An unknown server gets no chunk: the heartbeat sent after it is
	// answered next, as the fake reads a connection in order.
	c.send(8, map[string]any{"guild_id": "999"})
	c.send(1, nil)
	if f := c.read(); f.Op != 11 {
		t.Errorf("got op %d %q, want the heartbeat ACK", f.Op, f.T)
	}
	if st := s.Stats(); !slices.Equal(st.Requested, []string{otherGuildID, testGuildID, "400", "999"}) {
		t.Errorf("Requested %v", st.Requested)
	}
}

func TestMessageCreate(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)

	m := s.MessageCreate(Message{ChannelID: testChannelID, Author: bob, Content: "hi <@202>, <@!200> and <@202> <@x>"})
	if m.ID == "" || m.GuildID != testGuildID || !m.Timestamp.Equal(testClock) || m.Member == nil || m.Member.Nick != "bobby" || m.Type != 0 {
		t.Errorf("filled message %+v", m)
	}
	if len(m.Mentions) != 2 || m.Mentions[0].ID != carolID || m.Mentions[1].ID != ownerID {
		t.Errorf("mentions %+v", m.Mentions)
	}
	var got struct {
		ID              string `json:"id"`
		ChannelID       string `json:"channel_id"`
		GuildID         string `json:"guild_id"`
		Author          User   `json:"author"`
		Content         string `json:"content"`
		Timestamp       string `json:"timestamp"`
		MentionEveryone bool   `json:"mention_everyone"`
		Member          struct {
			Roles []string `json:"roles"`
			Nick  string   `json:"nick"`
		} `json:"member"`
		Mentions []struct {
			ID     string `json:"id"`
			Member *struct {
				Roles []string `json:"roles"`
			} `json:"member"`
		} `json:"mentions"`
		Type int `json:"type"`
	}
	if err := json.Unmarshal(c.expect("MESSAGE_CREATE").D, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != m.ID || got.ChannelID != testChannelID || got.GuildID != testGuildID || got.Author != bob || got.Content != m.Content ||
		got.Timestamp != "2025-01-02T03:04:05Z" || got.MentionEveryone || got.Member.Nick != "bobby" || !slices.Equal(got.Member.Roles, []string{modRole}) {
		t.Errorf("MESSAGE_CREATE %+v", got)
	}
	if len(got.Mentions) != 2 || got.Mentions[0].ID != carolID || got.Mentions[0].Member == nil {
		t.Errorf("wire mentions %+v", got.Mentions)
	}

	// A reply carries the message it answers.
	reply := s.MessageCreate(Message{ChannelID: testChannelID, Author: carol, Content: "@everyone yes", ReferencedMessage: &m})
	var r struct {
		Type            int  `json:"type"`
		MentionEveryone bool `json:"mention_everyone"`
		Reference       struct {
			MessageID string `json:"message_id"`
			GuildID   string `json:"guild_id"`
		} `json:"message_reference"`
		Referenced struct {
			ID        string `json:"id"`
			Reference any    `json:"message_reference"`
		} `json:"referenced_message"`
	}
	if err := json.Unmarshal(c.expect("MESSAGE_CREATE").D, &r); err != nil {
		t.Fatal(err)
	}
	if reply.Type != 19 || r.Type != 19 || !r.MentionEveryone || r.Reference.MessageID != m.ID || r.Reference.GuildID != testGuildID || r.Referenced.ID != m.ID {
		t.Errorf("reply %+v", r)
	}

	// DispatchMessage and MessageWire fill nothing in.
	raw := Message{ID: "42", ChannelID: testChannelID, Author: bob, Content: "as is"}
	s.DispatchMessage(raw)
	var plain map[string]any
	_ = json.Unmarshal(c.expect("MESSAGE_CREATE").D, &plain)
	if plain["id"] != "42" || plain["guild_id"] != nil || plain["member"] != nil {
		t.Errorf("DispatchMessage sent %v", plain)
	}
	var wire map[string]any
	if err := json.Unmarshal(s.MessageWire(raw), &wire); err != nil || wire["id"] != "42" || wire["content"] != "as is" || wire["guild_id"] != nil {
		t.Errorf("MessageWire %v %v", wire, err)
	}
}

func TestReactionAdd(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)
	s.ReactionAdd(Reaction{ChannelID: testChannelID, MessageID: "500", UserID: bobID})
	s.ReactionAdd(Reaction{ChannelID: testChannelID, MessageID: "500", UserID: carolID, MessageAuthorID: bobID, Emoji: "🎉"})
	type reaction struct {
		UserID          string  `json:"user_id"`
		MessageID       string  `json:"message_id"`
		GuildID         string  `json:"guild_id"`
		MessageAuthorID *string `json:"message_author_id"`
		Emoji           struct {
			Name string `json:"name"`
		} `json:"emoji"`
		Member struct {
			User User `json:"user"`
		} `json:"member"`
	}
	var a, b reaction
	_ = json.Unmarshal(c.expect("MESSAGE_REACTION_ADD").D, &a)
	_ = json.Unmarshal(c.expect("MESSAGE_REACTION_ADD").D, &b)
	if a.UserID != bobID || a.MessageID != "500" || a.GuildID != testGuildID || a.MessageAuthorID != nil || a.Emoji.Name != "👍" || a.Member.User.ID != bobID {
		t.Errorf("reaction %+v", a)
	}
	if b.MessageAuthorID == nil || *b.MessageAuthorID != bobID || b.Emoji.Name != "🎉" {
		t.Errorf("reaction %+v", b)
	}
}

func TestMemberAddRemove(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)
	dave := User{ID: "203", Username: "dave"}

	s.MemberAdd(testGuildID, Member{User: dave})
	var add struct {
		GuildID  string `json:"guild_id"`
		User     User   `json:"user"`
		JoinedAt string `json:"joined_at"`
		Roles    []string
	}
	_ = json.Unmarshal(c.expect("GUILD_MEMBER_ADD").D, &add)
	if add.GuildID != testGuildID || add.User != dave || add.JoinedAt != "2025-01-02T03:04:05Z" || add.Roles == nil {
		t.Errorf("GUILD_MEMBER_ADD %+v", add)
	}
	has := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return findMember(s.guilds[testGuildID], dave.ID) != nil
	}
	if !has() {
		t.Error("member not stored")
	}

	s.MemberRemove(testGuildID, dave)
	var rm struct {
		GuildID string `json:"guild_id"`
		User    User   `json:"user"`
	}
	_ = json.Unmarshal(c.expect("GUILD_MEMBER_REMOVE").D, &rm)
	if rm.GuildID != testGuildID || rm.User != dave || has() {
		t.Errorf("GUILD_MEMBER_REMOVE %+v, still stored: %v", rm, has())
	}
}

func TestInteractionCreate(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)

	in := s.InteractionCreate(Interaction{ChannelID: testChannelID, User: bob, Name: "give",
		Options: []Option{{Name: "who", Type: 6, Value: carolID}, {Name: "stranger", Type: 6, Value: "999"}, {Name: "sub", Type: 1}}})
	if in.ID == "" || in.Token != "itoken-"+in.ID || in.GuildID != testGuildID || in.Type != 2 {
		t.Errorf("filled interaction %+v", in)
	}
	var got struct {
		ID             string `json:"id"`
		ApplicationID  string `json:"application_id"`
		Type           int    `json:"type"`
		Token          string `json:"token"`
		GuildID        string `json:"guild_id"`
		ChannelID      string `json:"channel_id"`
		AppPermissions string `json:"app_permissions"`
		Member         struct {
			User        User   `json:"user"`
			Permissions string `json:"permissions"`
		} `json:"member"`
		User *User `json:"user"`
		Data struct {
			Name    string `json:"name"`
			Options []struct {
				Name    string `json:"name"`
				Type    int    `json:"type"`
				Value   any    `json:"value"`
				Options []any  `json:"options"`
			} `json:"options"`
			Resolved struct {
				Users   map[string]User `json:"users"`
				Members map[string]any  `json:"members"`
			} `json:"resolved"`
		} `json:"data"`
	}
	if err := json.Unmarshal(c.expect("INTERACTION_CREATE").D, &got); err != nil {
		t.Fatal(err)
	}
	perm := strconv.FormatInt(everyonePerms|PermManageRoles, 10)
	if got.ID != in.ID || got.ApplicationID != s.AppID || got.Type != 2 || got.Token != in.Token || got.GuildID != testGuildID ||
		got.Member.User != bob || got.Member.Permissions != perm || got.AppPermissions != strconv.FormatInt(everyonePerms, 10) || got.User != nil {
		t.Errorf("INTERACTION_CREATE %+v", got)
	}
	d := got.Data
	if d.Name != "give" || len(d.Options) != 3 || d.Options[0].Value != carolID || d.Options[2].Options == nil || d.Options[2].Value != nil {
		t.Errorf("data %+v", d)
	}
	// User options resolve from the members; strangers get a user only.
	if d.Resolved.Users[carolID] != carol || d.Resolved.Members[carolID] == nil || d.Resolved.Users["999"].ID != "999" || d.Resolved.Members["999"] != nil {
		t.Errorf("resolved %+v", d.Resolved)
	}

	// Outside a server (a DM) the user comes on its own.
	s.InteractionCreate(Interaction{ChannelID: "dm", User: bob, Name: "me"})
	var dm map[string]any
	_ = json.Unmarshal(c.expect("INTERACTION_CREATE").D, &dm)
	if dm["member"] != nil || dm["guild_id"] != nil || dm["user"] == nil {
		t.Errorf("DM interaction %v", dm)
	}
}
