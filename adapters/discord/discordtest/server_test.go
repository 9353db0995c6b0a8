package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests speak to the fake over loopback with plain net/http and
// gorilla/websocket clients, so they pin down its wire behaviour without
// depending on the adapter or discordgo.

var testClock = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

const (
	botAuth            = "Bot test-token"
	everyonePerms      = PermViewChannel | PermSendMessages
	testGuildID        = "100"
	testChannelID      = "110"
	otherGuildID       = "300"
	ownerID, bobID     = "200", "201"
	carolID            = "202"
	modRole, adminRole = "101", "102"
)

var (
	owner = User{ID: ownerID, Username: "alice"}
	bob   = User{ID: bobID, Username: "bob", GlobalName: "Bob"}
	carol = User{ID: carolID, Username: "carol"}
)

// testGuilds are two servers: one fully described, one "large" whose
// GUILD_CREATE carries only its first member.
func testGuilds() []Guild {
	return []Guild{{
		ID: testGuildID, Name: "Test", OwnerID: ownerID, SystemChannelID: testChannelID,
		Roles: []Role{
			{ID: testGuildID, Name: "@everyone", Permissions: everyonePerms},
			{ID: modRole, Name: "Mod", Permissions: PermManageRoles, Position: 1},
			{ID: adminRole, Name: "Admin", Permissions: PermAdministrator, Position: 2},
		},
		Channels: []Channel{{ID: testChannelID, Name: "general"}, {ID: "111", Name: "thread", Type: 11, ParentID: testChannelID}},
		Members: []Member{
			{User: owner, Roles: []string{}, JoinedAt: testClock},
			{User: bob, Roles: []string{modRole}, Nick: "bobby", JoinedAt: testClock},
			{User: carol, Roles: []string{}, JoinedAt: testClock},
		},
	}, {
		ID: otherGuildID, Name: "Other", OwnerID: ownerID,
		Channels:       []Channel{{ID: "310", Name: "lobby"}},
		Members:        []Member{{User: owner, JoinedAt: testClock}, {User: carol, JoinedAt: testClock}},
		InitialMembers: 1,
	}}
}

func newTestServer(t *testing.T, o Options) *Server {
	t.Helper()
	if o.Guilds == nil {
		o.Guilds = testGuilds()
	}
	if o.Clock == nil {
		o.Clock = func() time.Time { return testClock }
	}
	s := NewServer(o)
	t.Cleanup(s.Close)
	return s
}

// call sends a REST request to the fake: body is nil, []byte (sent as
// is) or a value encoded as JSON; auth "" sends no Authorization.
func call(t *testing.T, s *Server, method, path string, body any, auth string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return m
}

func TestNewServerDefaults(t *testing.T) {
	s := newTestServer(t, Options{})
	if s.Token != "test-token" || s.AppID != "900000000000000002" || s.Bot.ID != "900000000000000001" || !s.Bot.Bot {
		t.Errorf("defaults: token %q app %q bot %+v", s.Token, s.AppID, s.Bot)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL %q is not loopback", s.URL)
	}
	if want := "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway"; s.GatewayURL() != want {
		t.Errorf("GatewayURL %q, want %q", s.GatewayURL(), want)
	}

	c := NewServer(Options{Token: "tok", AppID: "7", Bot: User{ID: "8", Username: "B"}})
	defer c.Close()
	if c.Token != "tok" || c.AppID != "7" || c.Bot.ID != "8" {
		t.Errorf("options not kept: %q %q %+v", c.Token, c.AppID, c.Bot)
	}
}

func TestNewIDSnowflakes(t *testing.T) {
	s := newTestServer(t, Options{})
	want := uint64(testClock.UnixMilli()-1420070400000) << 22
	prev := uint64(0)
	for i := range 3 {
		id, err := strconv.ParseUint(s.NewID(), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		// A fixed clock still gives distinct, increasing ids.
		if id != want+uint64(i) || id <= prev {
			t.Errorf("id %d = %d, want %d", i, id, want+uint64(i))
		}
		prev = id
	}
}

func TestPermissions(t *testing.T) {
	s := newTestServer(t, Options{})
	s.mu.Lock()
	g := s.guilds[testGuildID]
	g.Members = append(g.Members, Member{User: User{ID: "203"}, Roles: []string{adminRole}})
	s.mu.Unlock()
	for _, tc := range []struct {
		name, guild, user string
		want              int64
	}{
		{"owner has all", testGuildID, ownerID, permAll},
		{"administrator has all", testGuildID, "203", permAll},
		{"roles add to @everyone", testGuildID, bobID, everyonePerms | PermManageRoles},
		{"member without roles", testGuildID, carolID, everyonePerms},
		{"non-member gets @everyone", testGuildID, "999", everyonePerms},
		{"unknown server", "999", bobID, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Permissions(tc.guild, tc.user); got != tc.want {
				t.Errorf("Permissions(%s, %s) = %b, want %b", tc.guild, tc.user, got, tc.want)
			}
		})
	}
}

func TestRequestMatch(t *testing.T) {
	r := Request{Method: "PUT", Path: "/api/v9/guilds/1/members/2/roles/3"}
	for _, tc := range []struct {
		method, pattern string
		want            bool
	}{
		{"PUT", "/api/v9/guilds/1/members/2/roles/3", true},
		{"", "/api/v9/guilds/*/members/*/roles/*", true},
		{"DELETE", "/api/v9/guilds/*/members/*/roles/*", false},
		{"PUT", "/api/v9/guilds/*/members/*/roles", false},
		{"PUT", "/api/v9/guilds/9/members/*/roles/*", false},
		{"PUT", "/api/v9/*", false},
	} {
		if got := r.Match(tc.method, tc.pattern); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.method, tc.pattern, got, tc.want)
		}
	}
}

func TestRequestsRecorded(t *testing.T) {
	s := newTestServer(t, Options{})
	call(t, s, "GET", "/api/v9/users/@me", nil, botAuth)
	call(t, s, "POST", "/api/v9/channels/110/messages", map[string]any{"content": "hi"}, botAuth)
	call(t, s, "POST", "/api/v9/channels/110/messages", map[string]any{"content": ""}, botAuth)

	reqs := s.Requests()
	if len(reqs) != 3 || reqs[0].Path != "/api/v9/users/@me" || reqs[0].Status != 200 {
		t.Fatalf("requests: %+v", reqs)
	}
	if got := reqs[1].Header.Get("Authorization"); got != botAuth {
		t.Errorf("recorded Authorization %q", got)
	}
	posts := s.Find("POST", "/api/v9/channels/*/messages")
	if len(posts) != 2 || posts[0].Status != 200 || posts[1].Status != http.StatusBadRequest {
		t.Fatalf("Find: %+v", posts)
	}
	var body struct{ Content string }
	if err := posts[0].Decode(&body); err != nil || body.Content != "hi" || posts[0].JSON()["content"] != "hi" {
		t.Errorf("Decode %+v %v, JSON %v", body, err, posts[0].JSON())
	}
	if (Request{Body: []byte("[1]")}).JSON() != nil {
		t.Error("JSON of a non-object body is not nil")
	}

	// WaitRequest finds past successes only; the failed post never matches.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := s.WaitRequest(ctx, func(r Request) bool { return r.Match("POST", "/api/v9/channels/*/messages") })
	if err != nil || got.JSON()["content"] != "hi" {
		t.Errorf("WaitRequest = %+v, %v", got, err)
	}
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := s.WaitRequest(done, func(r Request) bool { return r.Status >= 300 }); err == nil {
		t.Error("WaitRequest for a failed request succeeded")
	}
}
