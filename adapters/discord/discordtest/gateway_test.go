package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
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
