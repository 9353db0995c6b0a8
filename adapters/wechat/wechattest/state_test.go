package wechattest_test

import (
	"testing"
)

// TestExpireSessions: a session ended on the server's side is refused
// with 1101 everywhere the client could still use it.
func TestExpireSessions(t *testing.T) {
	for _, tc := range []struct {
		name string
		ret  func(c *client) int
	}{
		{"synccheck", func(c *client) int { r, _ := c.synccheck(); return atoi(c.t, r) }},
		{"webwxsync", func(c *client) int { return c.sync().BaseResponse.Ret }},
		{"webwxinit", func(c *client) int {
			var a initAnswer
			c.post(webHost+cgi+"webwxinit?r=1", map[string]any{"BaseRequest": c.baseRequest()}, &a)
			return a.BaseResponse.Ret
		}},
		{"webwxstatusnotify", func(c *client) int {
			var a struct{ BaseResponse baseResponse }
			c.post(webHost+cgi+"webwxstatusnotify", map[string]any{"BaseRequest": c.baseRequest(), "Code": 3}, &a)
			return a.BaseResponse.Ret
		}},
		{"webwxgetcontact", func(c *client) int { return c.getContact().BaseResponse.Ret }},
		{"webwxbatchgetcontact", func(c *client) int { return c.batchGet(c.s.UserName("book")).BaseResponse.Ret }},
		{"webwxsendmsg", func(c *client) int { return c.sendText(c.s.UserName("book"), "hi").BaseResponse.Ret }},
		{"webwxuploadmedia", func(c *client) int {
			return c.upload(c.s.UserName("book"), c.dataTicket(), []byte("x")).BaseResponse.Ret
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := bookServer(t)
			if ret := tc.ret(c); ret != 0 {
				t.Fatalf("before ExpireSessions: ret %d, want 0", ret)
			}
			s.ExpireSessions()
			if s.LoggedIn() {
				t.Fatal("LoggedIn after ExpireSessions")
			}
			if ret := tc.ret(c); ret != 1101 {
				t.Fatalf("after ExpireSessions: ret %d, want 1101", ret)
			}
		})
	}
}

func TestUserNamesDistinguishPeopleAndGroups(t *testing.T) {
	s, _ := bookServer(t)
	seen := map[string]string{}
	for _, key := range []string{"self", "alice", "bob", "book"} {
		u := s.UserName(key)
		if prev, ok := seen[u]; ok {
			t.Errorf("%s and %s share UserName %q", prev, key, u)
		}
		seen[u] = key
		group := len(u) > 2 && u[:2] == "@@"
		if group != (key == "book") || u[0] != '@' {
			t.Errorf("UserName(%s) = %q", key, u)
		}
	}
}
