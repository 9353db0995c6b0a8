package discordtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"
)

// apiErr is Discord's error body.
type apiErr struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func wantError(t *testing.T, resp *http.Response, body []byte, status, code int) {
	t.Helper()
	var e apiErr
	if resp.StatusCode != status || json.Unmarshal(body, &e) != nil || e.Code != code || e.Message == "" {
		t.Errorf("got %d %s, want %d with code %d", resp.StatusCode, body, status, code)
	}
}

func TestRESTAuthorization(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tc := range []struct {
		name, auth string
		status     int
	}{
		{"bot token", botAuth, 200},
		{"missing", "", 401},
		{"without Bot prefix", "test-token", 401},
		{"bearer", "Bearer test-token", 401},
		{"wrong token", "Bot other", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, s, "GET", "/api/v9/users/@me", nil, tc.auth)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tc.status)
			}
			if tc.status == 200 {
				var u User
				if json.Unmarshal(body, &u) != nil || u != s.Bot {
					t.Errorf("@me = %s", body)
				}
			}
		})
	}
	if n := len(s.Find("GET", "/api/v9/users/@me")); n != 5 {
		t.Errorf("%d requests recorded, want 5 (refusals too)", n)
	}
}

func TestRESTGateway(t *testing.T) {
	s := newTestServer(t, Options{})
	_, body := call(t, s, "GET", "/api/v9/gateway", nil, botAuth)
	if m := decode(t, body); m["url"] != s.GatewayURL() {
		t.Errorf("gateway %v", m)
	}
	_, body = call(t, s, "GET", "/api/v9/gateway/bot", nil, botAuth)
	if m := decode(t, body); m["url"] != s.GatewayURL() || m["shards"] != 1.0 || m["session_start_limit"] == nil {
		t.Errorf("gateway/bot %v", m)
	}
}

func TestRESTNotFound(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, p := range []string{"/api/v9/nothing", "/api/v8/users/@me", "/api/v9/channels/110/messages/1/reactions"} {
		resp, body := call(t, s, "GET", p, nil, botAuth)
		wantError(t, resp, body, 404, 0)
	}
}

func TestRESTCreateMessage(t *testing.T) {
	s := newTestServer(t, Options{})
	resp, body := call(t, s, "POST", "/api/v9/channels/110/messages",
		map[string]any{"content": "hello", "embeds": []map[string]string{{"title": "T"}}}, botAuth)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d %s", resp.StatusCode, body)
	}
	var m struct {
		ID          string           `json:"id"`
		ChannelID   string           `json:"channel_id"`
		GuildID     string           `json:"guild_id"`
		Author      User             `json:"author"`
		Content     string           `json:"content"`
		Timestamp   string           `json:"timestamp"`
		Embeds      []map[string]any `json:"embeds"`
		Attachments []any            `json:"attachments"`
		Mentions    []any            `json:"mentions"`
		Type        int              `json:"type"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || m.ChannelID != testChannelID || m.GuildID != testGuildID || m.Author != s.Bot || m.Content != "hello" ||
		m.Timestamp != "2025-01-02T03:04:05Z" || len(m.Embeds) != 1 || m.Embeds[0]["title"] != "T" || m.Attachments == nil || m.Mentions == nil || m.Type != 0 {
		t.Errorf("message %+v", m)
	}
	// Ordinary answers carry a route's bucket.
	h := resp.Header
	if h.Get("X-RateLimit-Bucket") != "channels:110" || h.Get("X-RateLimit-Remaining") != "49" || h.Get("X-RateLimit-Limit") != "50" {
		t.Errorf("rate limit headers %v", h)
	}
	reqs := s.Find("POST", "/api/v9/channels/110/messages")
	if len(reqs) != 1 || reqs[0].Status != 200 || reqs[0].JSON()["content"] != "hello" {
		t.Errorf("recorded %+v", reqs)
	}

	// A reply is type 19 and keeps its reference.
	_, body = call(t, s, "POST", "/api/v9/channels/110/messages",
		map[string]any{"content": "re", "message_reference": map[string]string{"message_id": m.ID}}, botAuth)
	if r := decode(t, body); r["type"] != 19.0 || r["message_reference"].(map[string]any)["message_id"] != m.ID {
		t.Errorf("reply %v", r)
	}
}

func TestRESTMessageLimits(t *testing.T) {
	s := newTestServer(t, Options{})
	many := make([]map[string]string, 11)
	for i := range many {
		many[i] = map[string]string{"title": "t"}
	}
	for _, tc := range []struct {
		name    string
		channel string
		body    any
		status  int
		code    int
	}{
		{"2000 characters", "110", map[string]any{"content": strings.Repeat("a", 2000)}, 200, 0},
		// Length is counted in UTF-16 units: an emoji is two.
		{"1000 emoji", "110", map[string]any{"content": strings.Repeat("😀", 1000)}, 200, 0},
		{"2001 characters", "110", map[string]any{"content": strings.Repeat("a", 2001)}, 400, CodeInvalidFormBody},
		{"1001 emoji", "110", map[string]any{"content": strings.Repeat("😀", 1001)}, 400, CodeInvalidFormBody},
		{"empty", "110", map[string]any{"content": ""}, 400, CodeInvalidFormBody},
		{"not an object", "110", []byte(`"hi"`), 400, CodeInvalidFormBody},
		{"11 embeds", "110", map[string]any{"embeds": many}, 400, CodeInvalidFormBody},
		{"long embed description", "110", map[string]any{"embeds": []map[string]string{{"description": strings.Repeat("d", 4097)}}}, 400, CodeInvalidFormBody},
		{"embeds over 6000", "110", map[string]any{"embeds": []map[string]string{{"description": strings.Repeat("d", 4000)}, {"description": strings.Repeat("d", 2001)}}}, 400, CodeInvalidFormBody},
		{"no pings", "110", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []string{}}}, 200, 0},
		{"bad parse type", "110", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []string{"all"}}}, 400, CodeInvalidFormBody},
		{"parse and list", "110", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []string{"users"}, "users": []string{"1"}}}, 400, CodeInvalidFormBody},
		{"unknown channel", "999", map[string]any{"content": "x"}, 404, CodeUnknownChannel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, s, "POST", "/api/v9/channels/"+tc.channel+"/messages", tc.body, botAuth)
			if tc.status == 200 {
				if resp.StatusCode != 200 {
					t.Errorf("status %d %s", resp.StatusCode, body)
				}
				return
			}
			wantError(t, resp, body, tc.status, tc.code)
		})
	}
}

func TestRESTMessageFiles(t *testing.T) {
	s := newTestServer(t, Options{})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("payload_json", `{"content":"chart"}`)
	for _, f := range []struct{ field, name string }{{"files[1]", "b.txt"}, {"files[0]", "a.png"}} {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f.field+`"; filename="`+f.name+`"`)
		h.Set("Content-Type", "image/png")
		w, _ := mw.CreatePart(h)
		_, _ = w.Write([]byte("data-" + f.name))
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/api/v9/channels/110/messages", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", botAuth)
	resp, body := send(t, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d %s", resp.StatusCode, body)
	}
	m := decode(t, body)
	atts, _ := m["attachments"].([]any)
	if m["content"] != "chart" || len(atts) != 2 || atts[0].(map[string]any)["filename"] != "a.png" || atts[0].(map[string]any)["size"] != 10.0 {
		t.Errorf("message %v", m)
	}
	// The recorded body is payload_json; files are sorted by field.
	r := s.Find("POST", "/api/v9/channels/110/messages")[0]
	if string(r.Body) != `{"content":"chart"}` || len(r.Files) != 2 || r.Files[0].Field != "files[0]" || r.Files[0].Name != "a.png" ||
		r.Files[0].ContentType != "image/png" || string(r.Files[1].Data) != "data-b.txt" {
		t.Errorf("recorded %+v", r)
	}

	// A broken multipart body is refused.
	req, _ = http.NewRequest("POST", s.URL+"/api/v9/channels/110/messages", strings.NewReader("--x\r\nbroken"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", botAuth)
	resp, body = send(t, req)
	wantError(t, resp, body, 400, CodeInvalidFormBody)
}

func TestRESTRateLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fail    Failure
		retry   string
		reset   string
		scope   string
		global  bool
		seconds float64
	}{
		{"route", Failure{Method: "POST", Path: "/api/v9/channels/*/messages", Status: 429, RetryAfter: 1500 * time.Millisecond}, "2", "1.500", "user", false, 1.5},
		{"global", Failure{Path: "/api/v9/channels/110/messages", Status: 429, RetryAfter: 250 * time.Millisecond, Global: true}, "1", "0.250", "global", true, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Options{})
			s.Fail(tc.fail)
			post := func() (*http.Response, []byte) {
				return call(t, s, "POST", "/api/v9/channels/110/messages", map[string]any{"content": "x"}, botAuth)
			}
			resp, body := post()
			if resp.StatusCode != 429 {
				t.Fatalf("status %d %s, want 429", resp.StatusCode, body)
			}
			h := resp.Header
			if h.Get("Retry-After") != tc.retry || h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Reset-After") != tc.reset ||
				h.Get("X-RateLimit-Scope") != tc.scope || (h.Get("X-RateLimit-Global") == "true") != tc.global || h.Get("X-RateLimit-Bucket") == "" {
				t.Errorf("headers %v", h)
			}
			var rl struct {
				Message    string  `json:"message"`
				RetryAfter float64 `json:"retry_after"`
				Global     bool    `json:"global"`
			}
			if json.Unmarshal(body, &rl) != nil || rl.RetryAfter != tc.seconds || rl.Global != tc.global || rl.Message != "You are being rate limited." {
				t.Errorf("body %s", body)
			}
			// One failure was injected: the retry succeeds.
			if resp, body := post(); resp.StatusCode != 200 {
				t.Errorf("retry: %d %s", resp.StatusCode, body)
			}
			var statuses []int
			for _, r := range s.Requests() {
				statuses = append(statuses, r.Status)
			}
			if !slices.Equal(statuses, []int{429, 200}) {
				t.Errorf("recorded statuses %v", statuses)
			}
		})
	}

	t.Run("RateLimit", func(t *testing.T) {
		s := newTestServer(t, Options{})
		s.RateLimit("GET", "/api/v9/users/@me", 3*time.Second)
		// Another method or route is not limited.
		if resp, _ := call(t, s, "POST", "/api/v9/channels/110/messages", map[string]any{"content": "x"}, botAuth); resp.StatusCode != 200 {
			t.Errorf("other route: %d", resp.StatusCode)
		}
		resp, body := call(t, s, "GET", "/api/v9/users/@me", nil, botAuth)
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" || decode(t, body)["retry_after"] != 3.0 {
			t.Errorf("got %d %v %s", resp.StatusCode, resp.Header, body)
		}
		if resp, _ := call(t, s, "GET", "/api/v9/users/@me", nil, botAuth); resp.StatusCode != 200 {
			t.Errorf("after the limit: %d", resp.StatusCode)
		}
	})
}

func TestRESTFailureTimes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		times int
		want  []int
	}{
		{"once by default", 0, []int{503, 200, 200}},
		{"twice", 2, []int{503, 503, 200}},
		{"always", -1, []int{503, 503, 503}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Options{})
			s.Fail(Failure{Method: "GET", Path: "/api/v9/gateway", Status: 503, Times: tc.times})
			var got []int
			for range tc.want {
				resp, body := call(t, s, "GET", "/api/v9/gateway", nil, botAuth)
				got = append(got, resp.StatusCode)
				if resp.StatusCode == 503 && decode(t, body)["message"] != "Service Unavailable" {
					t.Errorf("default message %s", body)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRESTMemberRoles(t *testing.T) {
	s := newTestServer(t, Options{})
	c, _, _ := connect(t, s)
	path := "/api/v9/guilds/100/members/202/roles/101"

	resp, body := call(t, s, "PUT", path, nil, botAuth)
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("add: %d %s", resp.StatusCode, body)
	}
	if got := s.MemberRoles(testGuildID, carolID); !slices.Equal(got, []string{modRole}) {
		t.Errorf("roles after add %v", got)
	}
	var up struct {
		GuildID string   `json:"guild_id"`
		User    User     `json:"user"`
		Roles   []string `json:"roles"`
	}
	_ = json.Unmarshal(c.expect("GUILD_MEMBER_UPDATE").D, &up)
	if up.GuildID != testGuildID || up.User != carol || !slices.Equal(up.Roles, []string{modRole}) {
		t.Errorf("GUILD_MEMBER_UPDATE %+v", up)
	}

	// Adding again changes nothing and dispatches nothing: the heartbeat
	// sent after it is answered next.
	if resp, _ := call(t, s, "PUT", path, nil, botAuth); resp.StatusCode != http.StatusNoContent {
		t.Errorf("add again: %d", resp.StatusCode)
	}
	c.send(1, nil)
	if f := c.read(); f.Op != 11 {
		t.Errorf("got op %d %q after a no-op add", f.Op, f.T)
	}

	if resp, _ := call(t, s, "DELETE", path, nil, botAuth); resp.StatusCode != http.StatusNoContent {
		t.Errorf("remove: %d", resp.StatusCode)
	}
	_ = json.Unmarshal(c.expect("GUILD_MEMBER_UPDATE").D, &up)
	if got := s.MemberRoles(testGuildID, carolID); len(got) != 0 || len(up.Roles) != 0 || up.Roles == nil {
		t.Errorf("roles after remove %v, dispatched %v", got, up.Roles)
	}

	for _, tc := range []struct {
		name, path string
		code       int
	}{
		{"unknown server", "/api/v9/guilds/999/members/202/roles/101", CodeUnknownGuild},
		{"unknown member", "/api/v9/guilds/100/members/999/roles/101", CodeUnknownMember},
		{"unknown role", "/api/v9/guilds/100/members/202/roles/999", CodeUnknownRole},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, s, "PUT", tc.path, nil, botAuth)
			wantError(t, resp, body, 404, tc.code)
		})
	}
	if s.MemberRoles("999", carolID) != nil || s.MemberRoles(testGuildID, "999") != nil {
		t.Error("MemberRoles of an unknown server or member is not nil")
	}
}

func TestRESTForbidRoles(t *testing.T) {
	s := newTestServer(t, Options{})
	s.ForbidRoles(testGuildID, 1)
	path := "/api/v9/guilds/100/members/202/roles/101"
	resp, body := call(t, s, "PUT", path, nil, botAuth)
	wantError(t, resp, body, http.StatusForbidden, CodeMissingPermissions)
	if decode(t, body)["message"] != "Missing Permissions" || len(s.MemberRoles(testGuildID, carolID)) != 0 {
		t.Errorf("forbidden add: %s, roles %v", body, s.MemberRoles(testGuildID, carolID))
	}
	// Removing is not forbidden, and the next add goes through.
	if resp, _ := call(t, s, "DELETE", path, nil, botAuth); resp.StatusCode != http.StatusNoContent {
		t.Errorf("remove: %d", resp.StatusCode)
	}
	if resp, _ := call(t, s, "PUT", path, nil, botAuth); resp.StatusCode != http.StatusNoContent {
		t.Errorf("second add: %d", resp.StatusCode)
	}
}

func TestRESTDirectMessages(t *testing.T) {
	s := newTestServer(t, Options{})
	open := func() map[string]any {
		t.Helper()
		resp, body := call(t, s, "POST", "/api/v9/users/@me/channels", map[string]string{"recipient_id": carolID}, botAuth)
		if resp.StatusCode != 200 {
			t.Fatalf("open DM: %d %s", resp.StatusCode, body)
		}
		return decode(t, body)
	}
	dm := open()
	rec, _ := dm["recipients"].([]any)
	if dm["type"] != 1.0 || len(rec) != 1 || rec[0].(map[string]any)["username"] != "carol" {
		t.Errorf("DM channel %v", dm)
	}
	// The same user keeps the same channel.
	if again := open(); again["id"] != dm["id"] {
		t.Errorf("second DM channel %v, first %v", again["id"], dm["id"])
	}
	_, body := call(t, s, "POST", "/api/v9/channels/"+dm["id"].(string)+"/messages", map[string]string{"content": "psst"}, botAuth)
	if m := decode(t, body); m["channel_id"] != dm["id"] || m["guild_id"] != nil {
		t.Errorf("DM message %v", m)
	}
	resp, body := call(t, s, "POST", "/api/v9/users/@me/channels", map[string]string{}, botAuth)
	wantError(t, resp, body, 400, CodeInvalidFormBody)
}

func TestRESTCommands(t *testing.T) {
	s := newTestServer(t, Options{})
	cmds := []map[string]any{{"name": "rank", "description": "d"}, {"name": "top", "description": "d"}}
	for _, p := range []string{"/api/v9/applications/" + s.AppID + "/commands", "/api/v9/applications/" + s.AppID + "/guilds/100/commands"} {
		resp, body := call(t, s, "PUT", p, cmds, botAuth)
		var got []map[string]any
		if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || len(got) != 2 {
			t.Fatalf("%s: %d %s", p, resp.StatusCode, body)
		}
		guild := strings.Contains(p, "/guilds/")
		for _, c := range got {
			if c["id"] == nil || c["application_id"] != s.AppID || c["version"] != "1" || (c["guild_id"] == testGuildID) != guild {
				t.Errorf("%s: command %v", p, c)
			}
		}
	}
	for _, tc := range []struct {
		name, path string
		body       any
		status     int
		code       int
	}{
		{"another application", "/api/v9/applications/1/commands", cmds, 403, CodeMissingAccess},
		{"unknown server", "/api/v9/applications/" + s.AppID + "/guilds/999/commands", cmds, 403, CodeMissingAccess},
		{"upper case name", "/api/v9/applications/" + s.AppID + "/commands", []map[string]any{{"name": "Rank"}}, 400, CodeInvalidFormBody},
		{"long name", "/api/v9/applications/" + s.AppID + "/commands", []map[string]any{{"name": strings.Repeat("x", 33)}}, 400, CodeInvalidFormBody},
		{"not a list", "/api/v9/applications/" + s.AppID + "/commands", map[string]any{"name": "rank"}, 400, CodeInvalidFormBody},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, s, "PUT", tc.path, tc.body, botAuth)
			wantError(t, resp, body, tc.status, tc.code)
		})
	}
}

func TestRESTInteractionCallback(t *testing.T) {
	s := newTestServer(t, Options{})
	in := s.InteractionCreate(Interaction{ChannelID: testChannelID, User: bob, Name: "rank"})
	cb := "/api/v9/interactions/" + in.ID + "/" + in.Token + "/callback"
	hook := "/api/v9/webhooks/" + s.AppID + "/" + in.Token

	// Follow-ups need an acknowledged interaction.
	resp, body := call(t, s, "PATCH", hook+"/messages/@original", map[string]string{"content": "x"}, "")
	wantError(t, resp, body, 404, CodeUnknownWebhook)

	for _, tc := range []struct {
		name, path string
		body       any
		status     int
		code       int
	}{
		{"wrong token", "/api/v9/interactions/" + in.ID + "/nope/callback", map[string]any{"type": 4}, 404, CodeUnknownInteraction},
		{"unknown interaction", "/api/v9/interactions/1/" + in.Token + "/callback", map[string]any{"type": 4}, 404, CodeUnknownInteraction},
		{"bad callback type", cb, map[string]any{"type": 1}, 400, CodeInvalidFormBody},
		{"empty message", cb, map[string]any{"type": 4, "data": map[string]any{"content": ""}}, 400, CodeInvalidFormBody},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, s, "POST", tc.path, tc.body, "")
			wantError(t, resp, body, tc.status, tc.code)
		})
	}

	// The callback is authorised by the interaction's token alone.
	resp, body = call(t, s, "POST", cb, map[string]any{"type": 4, "data": map[string]any{"content": "you are #1"}}, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("callback: %d %s", resp.StatusCode, body)
	}
	rec := s.Find("POST", "/api/v9/interactions/*/*/callback")
	last := rec[len(rec)-1]
	var got struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
		} `json:"data"`
	}
	if last.Status != http.StatusNoContent || last.Decode(&got) != nil || got.Type != 4 || got.Data.Content != "you are #1" {
		t.Errorf("recorded callback %+v", last)
	}
	resp, body = call(t, s, "POST", cb, map[string]any{"type": 5}, "")
	wantError(t, resp, body, 400, CodeAlreadyAcknowledged)

	for _, tc := range []struct {
		name, method, path string
		status             int
	}{
		{"edit original", "PATCH", hook + "/messages/@original", 200},
		{"follow-up", "POST", hook, http.StatusNoContent},
		{"follow-up and wait", "POST", hook + "?wait=true", 200},
		{"delete original", "DELETE", hook + "/messages/@original", http.StatusNoContent},
		{"another application", "PATCH", "/api/v9/webhooks/1/" + in.Token + "/messages/@original", 404},
		{"unknown token", "PATCH", "/api/v9/webhooks/" + s.AppID + "/nope/messages/@original", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, s, tc.method, tc.path, map[string]string{"content": "done"}, "")
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tc.status)
			}
			if tc.status == 200 {
				if m := decode(t, body); m["content"] != "done" || m["author"] == nil {
					t.Errorf("webhook message %v", m)
				}
			}
			if tc.status == 404 {
				wantError(t, resp, body, 404, CodeUnknownWebhook)
			}
		})
	}
}

func TestRESTInteractionDeadline(t *testing.T) {
	// A deadline of a nanosecond has passed by the time any callback
	// arrives, as three seconds have on Discord for a slow bot.
	s := newTestServer(t, Options{InteractionDeadline: time.Nanosecond})
	in := s.InteractionCreate(Interaction{ChannelID: testChannelID, User: bob, Name: "rank"})
	resp, body := call(t, s, "POST", "/api/v9/interactions/"+in.ID+"/"+in.Token+"/callback", map[string]any{"type": 5}, "")
	wantError(t, resp, body, 404, CodeUnknownInteraction)
}
