package wechattest_test

import (
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

// bookServer is a fake with a group "book" of alice and bob, logged in.
func bookServer(t *testing.T) (*wechattest.Server, *client) {
	t.Helper()
	s := newServer(t)
	s.AddGroup("book", "Book Club", "alice",
		wechattest.Member{Key: "alice", Nick: "Alice", Avatar: "11"},
		wechattest.Member{Key: "bob", Nick: "Bob", Display: "小鲍"})
	c := newClient(t, s)
	c.login()
	return s, c
}

func TestSyncDeliversEachMessageOnce(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		queue func(s *wechattest.Server) string
		want  func(s *wechattest.Server) wireMessage // MsgId, NewMsgId and CreateTime are checked apart
	}{
		{"text escaped", func(s *wechattest.Server) string { return s.Say("book", "alice", "a <b> & c\nline two") },
			func(s *wechattest.Server) wireMessage {
				return wireMessage{MsgType: 1, FromUserName: s.UserName("book"), ToUserName: s.UserName("self"),
					Content: s.UserName("alice") + ":<br/>a &lt;b&gt; &amp; c<br/>line two"}
			}},
		{"picture", func(s *wechattest.Server) string { return s.Picture("book", "bob") },
			func(s *wechattest.Server) wireMessage {
				return wireMessage{MsgType: 3, FromUserName: s.UserName("book"), ToUserName: s.UserName("self"),
					Content: s.UserName("bob") + ":<br/>&lt;msg&gt;&lt;img/&gt;&lt;/msg&gt;"}
			}},
		{"system", func(s *wechattest.Server) string { return s.System("book", `"Alice"邀请"Carol"加入了群聊`) },
			func(s *wechattest.Server) wireMessage {
				return wireMessage{MsgType: 10000, FromUserName: s.UserName("book"), ToUserName: s.UserName("self"),
					Content: `&#34;Alice&#34;邀请&#34;Carol&#34;加入了群聊`}
			}},
		{"sent from the phone", func(s *wechattest.Server) string { return s.SelfSay("book", "from the phone") },
			func(s *wechattest.Server) wireMessage {
				return wireMessage{MsgType: 1, FromUserName: s.UserName("self"), ToUserName: s.UserName("book"),
					Content: "from the phone"}
			}},
		{"given id", func(s *wechattest.Server) string { return s.SayID("book", "bob", "again", "4999") },
			func(s *wechattest.Server) wireMessage {
				return wireMessage{MsgId: "4999", MsgType: 1, FromUserName: s.UserName("book"), ToUserName: s.UserName("self"),
					Content: s.UserName("bob") + ":<br/>again"}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := bookServer(t)
			s.SetClock(func() time.Time { return at })
			if ret, sel := c.synccheck(); ret != "0" || sel != "0" {
				t.Fatalf("synccheck with nothing queued = %s/%s, want 0/0", ret, sel)
			}
			id := tc.queue(s)
			if ret, sel := c.synccheck(); ret != "0" || sel != "2" {
				t.Fatalf("synccheck with a message queued = %s/%s, want 0/2", ret, sel)
			}
			a := c.sync()
			if a.BaseResponse.Ret != 0 || a.AddMsgCount != 1 || len(a.AddMsgList) != 1 {
				t.Fatalf("webwxsync = %+v, want one message", a)
			}
			got, want := a.AddMsgList[0], tc.want(s)
			if id == "" || got.MsgId != id || got.NewMsgId == 0 || got.CreateTime != at.Unix() {
				t.Errorf("MsgId %q (queued %q), NewMsgId %d, CreateTime %d", got.MsgId, id, got.NewMsgId, got.CreateTime)
			}
			if want.MsgId == "" {
				want.MsgId = id
			}
			got.NewMsgId, got.CreateTime = 0, 0
			if got != want {
				t.Errorf("message\n got %+v\nwant %+v", got, want)
			}
			key := a.SyncKey.List[0].Val

			again := c.sync()
			if again.AddMsgCount != 0 || len(again.AddMsgList) != 0 {
				t.Errorf("second webwxsync redelivered: %+v", again.AddMsgList)
			}
			if again.SyncKey.List[0].Val <= key {
				t.Errorf("SyncKey %d after %d: want it to advance", again.SyncKey.List[0].Val, key)
			}
			if ret, sel := c.synccheck(); ret != "0" || sel != "0" {
				t.Errorf("synccheck after delivery = %s/%s, want 0/0", ret, sel)
			}
		})
	}
}

func TestSyncCheckWakesOnMessage(t *testing.T) {
	s, c := bookServer(t)
	s.SetHold(requestTimeout * 10) // only the message can end the poll in time
	done := make(chan string, 1)
	go func() { done <- rawGet(c, pushHost+cgi+"synccheck?skey="+c.skey) }()
	waitForRequest(t, s, "synccheck", done)
	s.Say("book", "alice", "hi")
	if body := <-done; body != `window.synccheck={retcode:"0",selector:"2"}` {
		t.Fatalf("woken synccheck = %q, want retcode 0 selector 2", body)
	}
}

func TestSyncCheckRetcodes(t *testing.T) {
	for _, tc := range []struct {
		code        int
		endsSession bool
	}{
		{1100, true},
		{1101, true},
		{1102, true},
		{1205, false},
	} {
		t.Run(itoa(tc.code), func(t *testing.T) {
			s, c := bookServer(t)
			s.SetSyncRetcode(tc.code)
			if ret, _ := c.synccheck(); ret != itoa(tc.code) {
				t.Fatalf("synccheck = %s, want %d", ret, tc.code)
			}
			if s.LoggedIn() == tc.endsSession {
				t.Fatalf("LoggedIn = %v after %d", s.LoggedIn(), tc.code)
			}
			if tc.endsSession {
				// Told once; after that the session is simply gone.
				if ret, _ := c.synccheck(); ret != "1101" {
					t.Errorf("second synccheck = %s, want 1101", ret)
				}
				if a := c.sync(); a.BaseResponse.Ret != 1101 {
					t.Errorf("webwxsync ret = %d, want 1101", a.BaseResponse.Ret)
				}
				return
			}
			// Repeats until cleared.
			if ret, _ := c.synccheck(); ret != itoa(tc.code) {
				t.Errorf("second synccheck = %s, want %d again", ret, tc.code)
			}
			s.SetSyncRetcode(0)
			if ret, sel := c.synccheck(); ret != "0" || sel != "0" {
				t.Errorf("synccheck after clearing = %s/%s, want 0/0", ret, sel)
			}
		})
	}
}

func TestSyncFailInjected(t *testing.T) {
	s, c := bookServer(t)
	s.Fail("webwxsync", 1205, 1)
	// synccheck announces news so that the client calls the failing sync.
	if ret, sel := c.synccheck(); ret != "0" || sel != "2" {
		t.Fatalf("synccheck = %s/%s, want 0/2", ret, sel)
	}
	if a := c.sync(); a.BaseResponse.Ret != 1205 {
		t.Fatalf("webwxsync ret = %d, want 1205", a.BaseResponse.Ret)
	}
	if a := c.sync(); a.BaseResponse.Ret != 0 {
		t.Fatalf("webwxsync after the failure ran out: ret = %d", a.BaseResponse.Ret)
	}
	if ret, sel := c.synccheck(); ret != "0" || sel != "0" {
		t.Errorf("synccheck = %s/%s, want 0/0", ret, sel)
	}
	if !s.LoggedIn() {
		t.Error("a sync failure ended the session")
	}
}
