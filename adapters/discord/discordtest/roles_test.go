package discordtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

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
