package wechattest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

// The hosts and paths openwechat v1.4.8 calls; the fake's Transport
// sends them all to loopback.
const (
	loginHost = "https://login.wx.qq.com"
	webHost   = "https://wx.qq.com"
	pushHost  = "https://webpush.wx.qq.com"
	fileHost  = "https://file.wx.qq.com"
	cgi       = "/cgi-bin/mmwebwx-bin/"
)

// requestTimeout only keeps a broken long poll from hanging the test; no
// test asserts on time.
const requestTimeout = 10 * time.Second

// client speaks the web protocol to the fake over plain net/http with a
// cookie jar, as a browser (or openwechat) would.
type client struct {
	t  *testing.T
	s  *wechattest.Server
	hc *http.Client

	// from webwxnewloginpage
	skey, sid, uin, passTicket string
}

// newServer starts a fake whose long polls answer "nothing" quickly, so
// tests that expect nothing do not wait the default hold.
func newServer(t *testing.T) *wechattest.Server {
	t.Helper()
	s := wechattest.NewServer()
	s.SetHold(time.Millisecond)
	t.Cleanup(s.Close)
	return s
}

func newClient(t *testing.T, s *wechattest.Server) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, s: s, hc: &http.Client{Transport: s.Transport(), Jar: jar}}
}

func (c *client) do(method, u, contentType string, body []byte) (*http.Response, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading body: %v", method, u, err)
	}
	return resp, string(b)
}

func (c *client) get(u string) string {
	c.t.Helper()
	resp, body := c.do(http.MethodGet, u, "", nil)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %s: %s", u, resp.Status, body)
	}
	return body
}

// post sends v as JSON and decodes the JSON answer into out.
func (c *client) post(u string, v, out any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, body := c.do(http.MethodPost, u, "application/json; charset=UTF-8", b)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("POST %s: %s: %s", u, resp.Status, body)
	}
	if err := json.Unmarshal([]byte(body), out); err != nil {
		c.t.Fatalf("POST %s: decoding %q: %v", u, body, err)
	}
}

type baseRequest struct {
	Uin      int64
	Sid      string
	Skey     string
	DeviceID string
}

type baseResponse struct {
	Ret    int
	ErrMsg string
}

func (c *client) baseRequest() baseRequest {
	uin, _ := strconv.ParseInt(c.uin, 10, 64)
	return baseRequest{Uin: uin, Sid: c.sid, Skey: c.skey, DeviceID: "e123456789012345"}
}

var (
	uuidRE     = regexp.MustCompile(`window\.QRLogin\.code = (\d+); window\.QRLogin\.uuid = "([^"]*)";`)
	codeRE     = regexp.MustCompile(`window\.code=(\d+);`)
	redirectRE = regexp.MustCompile(`window\.redirect_uri="([^"]*)";`)
	syncRE     = regexp.MustCompile(`^window\.synccheck=\{retcode:"(\d+)",selector:"(\d+)"\}$`)
)

// jslogin asks for a QR code's uuid.
func (c *client) jslogin(redirect string) string {
	c.t.Helper()
	q := url.Values{"appid": {"wx782c26e4c19acffb"}, "redirect_uri": {redirect}, "fun": {"new"}, "lang": {"zh_CN"}}
	body := c.get(loginHost + "/jslogin?" + q.Encode())
	m := uuidRE.FindStringSubmatch(body)
	if m == nil || m[1] != "200" || m[2] == "" {
		c.t.Fatalf("jslogin: %q", body)
	}
	return m[2]
}

// poll is one login poll: the window.code, and the redirect on 200.
func (c *client) poll(uuid string) (code int, redirect string) {
	c.t.Helper()
	body := c.get(loginHost + cgi + "login?" + url.Values{"uuid": {uuid}, "tip": {"1"}}.Encode())
	m := codeRE.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("login poll: %q", body)
	}
	code, _ = strconv.Atoi(m[1])
	if r := redirectRE.FindStringSubmatch(body); r != nil {
		redirect = r[1]
	}
	return code, redirect
}

type loginPage struct {
	Ret        int    `xml:"ret"`
	Message    string `xml:"message"`
	Skey       string `xml:"skey"`
	Wxsid      string `xml:"wxsid"`
	Wxuin      string `xml:"wxuin"`
	PassTicket string `xml:"pass_ticket"`
}

// loginPage follows the redirect of a confirmed login.
func (c *client) loginPage(redirect string) loginPage {
	c.t.Helper()
	body := c.get(redirect)
	var p loginPage
	if err := xml.Unmarshal([]byte(body), &p); err != nil {
		c.t.Fatalf("webwxnewloginpage: %q: %v", body, err)
	}
	return p
}

// login logs in by QR code with the fake confirming at once (its default)
// and keeps the session's keys.
func (c *client) login() {
	c.t.Helper()
	uuid := c.jslogin(webHost + cgi + "webwxnewloginpage")
	code, redirect := c.poll(uuid)
	if code != 200 || redirect == "" {
		c.t.Fatalf("login poll: code %d, redirect %q", code, redirect)
	}
	c.follow(redirect)
}

func (c *client) follow(redirect string) {
	c.t.Helper()
	p := c.loginPage(redirect)
	if p.Ret != 0 || p.Skey == "" {
		c.t.Fatalf("webwxnewloginpage: %+v", p)
	}
	c.skey, c.sid, c.uin, c.passTicket = p.Skey, p.Wxsid, p.Wxuin, p.PassTicket
}

// synccheck is one synccheck poll.
func (c *client) synccheck() (retcode, selector string) {
	c.t.Helper()
	q := url.Values{"r": {"1"}, "skey": {c.skey}, "sid": {c.sid}, "uin": {c.uin}, "deviceid": {"e1"}, "synckey": {"1_1"}}
	body := c.get(pushHost + cgi + "synccheck?" + q.Encode())
	m := syncRE.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("synccheck: %q", body)
	}
	return m[1], m[2]
}

type wireMessage struct {
	MsgId        string
	NewMsgId     int64
	MsgType      int
	FromUserName string
	ToUserName   string
	Content      string
	CreateTime   int64
}

type syncAnswer struct {
	BaseResponse baseResponse
	AddMsgCount  int
	AddMsgList   []wireMessage
	SyncKey      struct {
		Count int
		List  []struct{ Key, Val int64 }
	}
}

// sync is one webwxsync.
func (c *client) sync() syncAnswer {
	c.t.Helper()
	var a syncAnswer
	c.post(webHost+cgi+"webwxsync?"+url.Values{"sid": {c.sid}, "skey": {c.skey}, "pass_ticket": {c.passTicket}}.Encode(),
		map[string]any{"BaseRequest": c.baseRequest(), "rr": -1}, &a)
	return a
}

type sendAnswer struct {
	BaseResponse baseResponse
	MsgID        string
	LocalID      string
}

// send is one webwxsendmsg (or webwxsendmsgimg, ep) of a message.
func (c *client) send(ep string, msg map[string]any) sendAnswer {
	c.t.Helper()
	var a sendAnswer
	c.post(webHost+cgi+ep+"?"+url.Values{"fun": {"async"}, "f": {"json"}, "pass_ticket": {c.passTicket}}.Encode(),
		map[string]any{"BaseRequest": c.baseRequest(), "Msg": msg, "Scene": 0}, &a)
	return a
}

func (c *client) sendText(to, text string) sendAnswer {
	c.t.Helper()
	return c.send("webwxsendmsg", map[string]any{"Type": 1, "Content": text,
		"FromUserName": c.s.UserName("self"), "ToUserName": to, "LocalID": "17000001", "ClientMsgId": "17000001"})
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// rawGet is a GET for a goroutine other than the test's: it reports
// failures in the body it returns instead of through t.
func rawGet(c *client, u string) string {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "error: " + err.Error()
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// waitForRequest returns once the fake has counted a request to endpoint.
// serve counts under the lock and keeps it until a long poll waits, so
// after this whatever the test changes reaches the poll while it waits. A
// poll that answers first is reported.
func waitForRequest(t *testing.T, s *wechattest.Server, endpoint string, done <-chan string) {
	t.Helper()
	for s.Count(endpoint) == 0 {
		select {
		case body := <-done:
			t.Fatalf("%s answered before the change: %q", endpoint, body)
		default:
			runtime.Gosched()
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
