package wechattest_test

import (
	"testing"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

func TestSendTextIsRecordedAndEchoed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		to     func(s *wechattest.Server) string
		toKey  string
		echoed bool
	}{
		{"group", func(s *wechattest.Server) string { return s.UserName("book") }, "book", true},
		{"friend", func(s *wechattest.Server) string { return s.UserName("carol") }, "carol", false},
		{"unknown", func(*wechattest.Server) string { return "@nobody" }, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.AddGroup("book", "Book Club", "", wechattest.Member{Key: "alice", Nick: "Alice"})
			s.AddFriend("carol", "Carol")
			c := newClient(t, s)
			c.login()
			to := tc.to(s)

			a := c.sendText(to, "hello <all>")
			if a.BaseResponse.Ret != 0 || a.MsgID == "" || a.LocalID != "17000001" {
				t.Fatalf("webwxsendmsg = %+v, want ret 0, a MsgID and LocalID echoed", a)
			}
			want := wechattest.Sent{Type: 1, From: s.UserName("self"), To: to, ToKey: tc.toKey, Content: "hello <all>"}
			if got := s.Sent(); len(got) != 1 || got[0] != want {
				t.Fatalf("Sent = %+v, want [%+v]", got, want)
			}

			msgs := c.sync().AddMsgList
			if !tc.echoed {
				if len(msgs) != 0 {
					t.Fatalf("echoed a message to a non-group: %+v", msgs)
				}
				return
			}
			if len(msgs) != 1 {
				t.Fatalf("stream after sending = %+v, want the echo", msgs)
			}
			m := msgs[0]
			if m.MsgId != a.MsgID || m.MsgType != 1 || m.FromUserName != s.UserName("self") || m.ToUserName != to ||
				m.Content != "hello &lt;all&gt;" {
				t.Errorf("echo = %+v, want MsgId %s from self to %s", m, a.MsgID, to)
			}
		})
	}
}

func TestSendEchoOff(t *testing.T) {
	s, c := bookServer(t)
	s.SetEcho(false)
	if a := c.sendText(s.UserName("book"), "quiet"); a.BaseResponse.Ret != 0 {
		t.Fatalf("ret = %d", a.BaseResponse.Ret)
	}
	if len(s.Sent()) != 1 {
		t.Fatalf("Sent = %+v, want one", s.Sent())
	}
	if ret, sel := c.synccheck(); ret != "0" || sel != "0" {
		t.Errorf("synccheck = %s/%s, want 0/0 (no echo)", ret, sel)
	}
}

func TestSendImageIsRecordedNotEchoed(t *testing.T) {
	s, c := bookServer(t)
	a := c.send("webwxsendmsgimg", map[string]any{"Type": 3, "MediaId": "@media_9", "Content": "",
		"FromUserName": s.UserName("self"), "ToUserName": s.UserName("book"), "LocalID": "2", "ClientMsgId": "2"})
	if a.BaseResponse.Ret != 0 || a.MsgID == "" {
		t.Fatalf("webwxsendmsgimg = %+v", a)
	}
	want := wechattest.Sent{Type: 3, From: s.UserName("self"), To: s.UserName("book"), ToKey: "book", MediaID: "@media_9"}
	if got := s.Sent(); len(got) != 1 || got[0] != want {
		t.Fatalf("Sent = %+v, want [%+v]", got, want)
	}
	if msgs := c.sync().AddMsgList; len(msgs) != 0 {
		t.Errorf("image echoed: %+v", msgs)
	}
}

func TestSendRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ep    string
		ret   int
		times int // <0: until cleared
		tries int // refused tries before the test clears or the failure runs out
	}{
		{"text 1205 once", "webwxsendmsg", 1205, 1, 1},
		{"text 1205 twice", "webwxsendmsg", 1205, 2, 2},
		{"text 1205 until cleared", "webwxsendmsg", 1205, -1, 3},
		{"image 1205 once", "webwxsendmsgimg", 1205, 1, 1},
		{"text other ret", "webwxsendmsg", 1, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := bookServer(t)
			send := func() sendAnswer {
				return c.send(tc.ep, map[string]any{"Type": 1, "Content": "hi", "FromUserName": s.UserName("self"),
					"ToUserName": s.UserName("book"), "LocalID": "1", "ClientMsgId": "1"})
			}
			s.Fail(tc.ep, tc.ret, tc.times)
			for i := 0; i < tc.tries; i++ {
				if a := send(); a.BaseResponse.Ret != tc.ret || a.MsgID != "" {
					t.Fatalf("try %d: %+v, want ret %d and no MsgID", i+1, a, tc.ret)
				}
			}
			if len(s.Sent()) != 0 {
				t.Fatalf("refused sends recorded: %+v", s.Sent())
			}
			if tc.times < 0 {
				s.Fail(tc.ep, 0, 0)
			}
			if a := send(); a.BaseResponse.Ret != 0 {
				t.Fatalf("after the refusals: ret %d, want 0", a.BaseResponse.Ret)
			}
			if len(s.Sent()) != 1 {
				t.Fatalf("Sent = %+v, want the one accepted", s.Sent())
			}
			if !s.LoggedIn() {
				t.Error("a refusal ended the session")
			}
		})
	}
}

func TestSendNeedsSession(t *testing.T) {
	s, c := bookServer(t)
	c.skey = "@crypt_wrong"
	if a := c.sendText(s.UserName("book"), "hi"); a.BaseResponse.Ret != 1101 {
		t.Fatalf("ret = %d, want 1101", a.BaseResponse.Ret)
	}
	if len(s.Sent()) != 0 {
		t.Fatalf("Sent = %+v, want none", s.Sent())
	}
}
