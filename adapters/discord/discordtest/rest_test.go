package discordtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
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
