package wechattest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

func TestQRLoginFlowSetsSessionAndCookies(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)

	uuid := c.jslogin(webHost + cgi + "webwxnewloginpage")
	code, redirect := c.poll(uuid)
	if code != 200 {
		t.Fatalf("poll code = %d, want 200 (auto-confirm)", code)
	}
	u, err := url.Parse(redirect)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "wx.qq.com" || !strings.HasSuffix(u.Path, "/webwxnewloginpage") ||
		u.Query().Get("ticket") == "" || u.Query().Get("uuid") != uuid {
		t.Fatalf("redirect = %q", redirect)
	}
	if s.LoggedIn() || s.Logins() != 0 {
		t.Fatalf("logged in before the redirect was followed")
	}

	p := c.loginPage(redirect)
	if p.Ret != 0 || p.Skey == "" || p.Wxsid == "" || p.Wxuin != "1234567" || p.PassTicket == "" {
		t.Fatalf("webwxnewloginpage = %+v", p)
	}
	if !s.LoggedIn() || s.Logins() != 1 {
		t.Fatalf("LoggedIn = %v, Logins = %d; want true, 1", s.LoggedIn(), s.Logins())
	}

	// The cookies are for wx.qq.com and its subdomains, so the upload
	// host gets the data ticket too.
	for _, host := range []string{webHost, fileHost} {
		hu, _ := url.Parse(host)
		got := map[string]string{}
		for _, ck := range c.hc.Jar.Cookies(hu) {
			got[ck.Name] = ck.Value
		}
		if got["webwx_data_ticket"] == "" || got["wxuin"] != "1234567" || got["wxsid"] != p.Wxsid {
			t.Errorf("cookies for %s = %v", host, got)
		}
	}

	// A ticket is good once.
	if again := c.loginPage(redirect); again.Ret == 0 {
		t.Errorf("reused ticket accepted: %+v", again)
	}
	if n := s.Count("jslogin"); n != 1 {
		t.Errorf("Count(jslogin) = %d, want 1", n)
	}
}

func TestQRLoginWaitsForConfirm(t *testing.T) {
	s := newServer(t)
	s.SetAutoConfirm(false)
	c := newClient(t, s)

	uuid := c.jslogin(webHost + cgi + "webwxnewloginpage")
	if !s.Pending() {
		t.Fatal("Pending = false with a QR code shown")
	}
	if code, _ := c.poll(uuid); code != 408 {
		t.Fatalf("poll before Confirm = %d, want 408", code)
	}
	s.Confirm()
	if s.Pending() {
		t.Fatal("Pending = true after Confirm")
	}
	if code, _ := c.poll(uuid); code != 201 {
		t.Fatalf("first poll after Confirm = %d, want 201 (scanned)", code)
	}
	code, redirect := c.poll(uuid)
	if code != 200 || redirect == "" {
		t.Fatalf("second poll after Confirm = %d %q, want 200 and a redirect", code, redirect)
	}
	c.follow(redirect)
	if !s.LoggedIn() {
		t.Fatal("not logged in")
	}
	// The uuid is spent.
	if code, _ := c.poll(uuid); code != 400 {
		t.Errorf("poll of a spent uuid = %d, want 400", code)
	}
}

func TestLoginPollWakesOnConfirm(t *testing.T) {
	s := newServer(t)
	s.SetAutoConfirm(false)
	s.SetHold(requestTimeout * 10) // only Confirm can end the poll in time
	c := newClient(t, s)
	uuid := c.jslogin(webHost + cgi + "webwxnewloginpage")

	done := make(chan string, 1)
	go func() { done <- rawGet(c, loginHost+cgi+"login?uuid="+url.QueryEscape(uuid)) }()
	waitForRequest(t, s, "login", done)
	s.Confirm()
	if body := <-done; !strings.Contains(body, "window.code=201;") {
		t.Fatalf("woken poll = %q, want code 201", body)
	}
}

func TestUnknownUUID(t *testing.T) {
	c := newClient(t, newServer(t))
	if code, _ := c.poll("nosuchuuid=="); code != 400 {
		t.Fatalf("poll = %d, want 400", code)
	}
}

func TestDesktopMode(t *testing.T) {
	for _, tc := range []struct {
		redirect string
		want     bool
	}{
		{webHost + cgi + "webwxnewloginpage?mod=desktop", true},
		{webHost + cgi + "webwxnewloginpage", false},
	} {
		s := newServer(t)
		newClient(t, s).jslogin(tc.redirect)
		if got := s.Desktop(); got != tc.want {
			t.Errorf("redirect_uri %q: Desktop = %v, want %v", tc.redirect, got, tc.want)
		}
	}
}

func TestNewLoginPageRefusals(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	uuid := c.jslogin(webHost + cgi + "webwxnewloginpage")
	_, redirect := c.poll(uuid)

	// An injected refusal leaves the ticket unspent.
	s.Fail("webwxnewloginpage", 1203, 1)
	if p := c.loginPage(redirect); p.Ret != 1203 {
		t.Fatalf("with Fail: ret = %d, want 1203", p.Ret)
	}
	if s.LoggedIn() {
		t.Fatal("logged in despite the refusal")
	}
	if p := c.loginPage(webHost + cgi + "webwxnewloginpage?ticket=bogus"); p.Ret != 1 {
		t.Fatalf("bogus ticket: ret = %d, want 1", p.Ret)
	}
	c.follow(redirect)
	if !s.LoggedIn() {
		t.Fatal("not logged in after the refusal ran out")
	}
}

func TestNewLoginChangesUserNamesAndSession(t *testing.T) {
	s := newServer(t)
	s.AddGroup("book", "Book Club", "", wechattest.Member{Key: "alice", Nick: "Alice"})
	c := newClient(t, s)
	c.login()
	first, firstAlice, firstSkey := s.UserName("book"), s.UserName("alice"), c.skey

	c2 := newClient(t, s)
	c2.login()
	if s.UserName("book") == first || s.UserName("alice") == firstAlice {
		t.Error("UserNames unchanged by a new login")
	}
	if !strings.HasPrefix(s.UserName("book"), "@@") || !strings.HasPrefix(s.UserName("alice"), "@") ||
		strings.HasPrefix(s.UserName("alice"), "@@") {
		t.Errorf("UserNames %q, %q: want @@group and @person", s.UserName("book"), s.UserName("alice"))
	}
	if c2.skey == firstSkey {
		t.Error("same skey for a new session")
	}
	if ret, _ := c.synccheck(); ret != "1101" {
		t.Errorf("old session's synccheck = %s, want 1101", ret)
	}
	if s.Logins() != 2 {
		t.Errorf("Logins = %d, want 2", s.Logins())
	}
}

func TestPushLogin(t *testing.T) {
	for _, tc := range []struct {
		name   string
		uin    string
		refuse bool
		ok     bool
	}{
		{"accepted", "1234567", false, true},
		{"other account", "7654321", false, false},
		{"refused", "1234567", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.SetAutoConfirm(false)
			s.SetRefusePush(tc.refuse)
			c := newClient(t, s)
			var a struct{ Ret, Msg, UUID string }
			resp, body := c.do(http.MethodGet, webHost+cgi+"webwxpushloginurl?uin="+tc.uin, "", nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("webwxpushloginurl: %s", resp.Status)
			}
			if err := jsonUnmarshal(body, &a); err != nil {
				t.Fatalf("webwxpushloginurl: %q: %v", body, err)
			}
			if !tc.ok {
				if a.Ret == "0" || a.UUID != "" {
					t.Fatalf("answer %+v, want a refusal", a)
				}
				return
			}
			if a.Ret != "0" || a.UUID == "" {
				t.Fatalf("answer %+v, want ret 0 and a uuid", a)
			}
			if !s.Pending() {
				t.Fatal("push login not pending")
			}
			s.Confirm()
			// The phone confirms in one step: no 201.
			code, redirect := c.poll(a.UUID)
			if code != 200 || redirect == "" {
				t.Fatalf("poll = %d %q, want 200 and a redirect", code, redirect)
			}
			c.follow(redirect)
			if !s.LoggedIn() || s.Logins() != 1 {
				t.Fatalf("LoggedIn = %v, Logins = %d", s.LoggedIn(), s.Logins())
			}
		})
	}
}

type initAnswer struct {
	BaseResponse baseResponse
	Count        int
	ContactList  []wireUser
	User         wireUser
	SKey         string
	SyncKey      struct{ Count int }
}

type wireUser struct {
	UserName      string
	NickName      string
	DisplayName   string
	HeadImgUrl    string
	AttrStatus    int64
	ContactFlag   int
	MemberCount   int
	ChatRoomOwner string
	MemberList    []wireUser
}

func TestWebInitReturnsUserAndGroups(t *testing.T) {
	s := newServer(t)
	s.SetSelf("Helper")
	s.AddGroup("book", "Book Club", "alice", wechattest.Member{Key: "alice", Nick: "Alice"}, wechattest.Member{Key: "bob", Nick: "Bob"})
	s.AddGroup("chess", "Chess", "")
	c := newClient(t, s)
	c.login()

	var a initAnswer
	c.post(webHost+cgi+"webwxinit?r=1&pass_ticket="+c.passTicket, map[string]any{"BaseRequest": c.baseRequest()}, &a)
	if a.BaseResponse.Ret != 0 {
		t.Fatalf("webwxinit ret = %d", a.BaseResponse.Ret)
	}
	if a.User.UserName != s.UserName("self") || a.User.NickName != "Helper" {
		t.Errorf("User = %+v, want %s Helper", a.User, s.UserName("self"))
	}
	if a.SKey != c.skey || a.SyncKey.Count == 0 {
		t.Errorf("SKey = %q (want %q), SyncKey.Count = %d", a.SKey, c.skey, a.SyncKey.Count)
	}
	want := map[string]struct {
		name  string
		count int
		owner string
	}{
		s.UserName("book"):  {"Book Club", 3, s.UserName("alice")},
		s.UserName("chess"): {"Chess", 1, ""},
	}
	if a.Count != len(want) || len(a.ContactList) != len(want) {
		t.Fatalf("Count = %d, ContactList = %+v; want the %d groups", a.Count, a.ContactList, len(want))
	}
	for _, g := range a.ContactList {
		w, ok := want[g.UserName]
		if !ok || g.NickName != w.name || g.MemberCount != w.count || g.ChatRoomOwner != w.owner {
			t.Errorf("group %+v, want %+v", g, w)
		}
	}

	var bad initAnswer
	c.skey = "@crypt_wrong"
	c.post(webHost+cgi+"webwxinit?r=1", map[string]any{"BaseRequest": c.baseRequest()}, &bad)
	if bad.BaseResponse.Ret != 1101 {
		t.Errorf("webwxinit with a wrong skey: ret = %d, want 1101", bad.BaseResponse.Ret)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	c.login()
	c.get(webHost + cgi + "webwxlogout?redirect=1&type=1&skey=" + url.QueryEscape("@crypt_other"))
	if !s.LoggedIn() {
		t.Fatal("logout with another skey ended the session")
	}
	c.get(webHost + cgi + "webwxlogout?redirect=1&type=1&skey=" + url.QueryEscape(c.skey))
	if s.LoggedIn() {
		t.Fatal("still logged in after webwxlogout")
	}
	if ret, _ := c.synccheck(); ret != "1101" {
		t.Errorf("synccheck after logout = %s, want 1101", ret)
	}
}
