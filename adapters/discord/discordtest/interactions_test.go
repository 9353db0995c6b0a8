package discordtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

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
