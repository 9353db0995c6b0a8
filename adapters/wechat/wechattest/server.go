// Package wechattest is a fake WeChat web server for tests, on loopback:
// it answers the endpoints github.com/eatmoreapple/openwechat (v1.4.8)
// calls, well enough for openwechat's real code to log in (by QR code, by
// a confirmation on the phone, or by reusing a session), receive group
// messages and system messages, read contacts and member lists, upload
// images and send messages, and log out.
//
// Requests reach it through a RoundTripper that rewrites their scheme and
// host to the server's and keeps the original host in OriginalHostHeader
// (Transport, or the adapter's base_url option); the server routes by that
// host and the path. It sits beside the adapter the way net/http/httptest
// sits beside net/http.
//
// Tests script it by keys of their own: people ("alice") and groups
// ("book") get UserNames that change at every new login, as WeChat's do.
package wechattest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// OriginalHostHeader carries the host a rewritten request was meant for.
const OriginalHostHeader = "X-Original-Host"

// Server is the fake. Its zero value is not usable; call NewServer.
type Server struct {
	// URL is the server's base URL (http://127.0.0.1:port).
	URL string

	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed at every change
	hold    time.Duration
	now     func() time.Time

	self     person
	uin      int64
	people   map[string]*person
	friends  []string
	groups   []*group
	gen      int
	byUser   map[string]string // UserName → key, this generation
	skey     string            // the valid session ("" none)
	sessions int
	logins   int
	uuids    map[string]*login
	tickets  map[string]string // ticket → uuid
	dataTkt  string
	syncKey  int64
	queue    []wireMsg
	seq      int64
	syncRet  int
	syncN    int // answers left with syncRet (<0: until cleared)
	fail     map[string]*failure
	auto     bool
	noPush   bool
	echo     bool
	desktop  bool
	counts   map[string]int
	sent     []Sent
	uploads  []Upload
}

// NewServer starts a fake with a bot account called "Pulse" that confirms
// logins at once (SetAutoConfirm) and echoes what the client sends back
// into the message stream, as WeChat does.
func NewServer() *Server {
	s := &Server{
		changed: make(chan struct{}), hold: 50 * time.Millisecond, now: time.Now,
		self: person{key: "self", nick: "Pulse"}, uin: 1234567, people: map[string]*person{},
		uuids: map[string]*login{}, tickets: map[string]string{}, fail: map[string]*failure{},
		counts: map[string]int{}, auto: true, echo: true, syncKey: 1, byUser: map[string]string{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	s.rename()
	return s
}

// Close shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	s.wake()
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Transport returns a RoundTripper that sends every request to the fake,
// keeping the original host in OriginalHostHeader.
func (s *Server) Transport() http.RoundTripper {
	base, _ := url.Parse(s.URL)
	inner := s.srv.Client().Transport
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		out := req.Clone(req.Context())
		out.URL.Scheme, out.URL.Host, out.Host = base.Scheme, base.Host, base.Host
		out.Header.Set(OriginalHostHeader, req.URL.Host)
		resp, err := inner.RoundTrip(out)
		if resp != nil {
			resp.Request = req
		}
		return resp, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

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

// serve routes by the original host's first label and the path's last
// element. Handlers run with s.mu held; long polls release it in wait.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	host := r.Header.Get(OriginalHostHeader)
	if host == "" {
		host = r.Host
	}
	ep := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[ep]++
	sub, _, _ := strings.Cut(host, ".")
	switch {
	case sub == "login" && ep == "jslogin":
		s.jslogin(w, r)
	case sub == "login" && ep == "login":
		s.checkLogin(w, r)
	case sub == "webpush" && ep == "synccheck":
		s.synccheck(w, r)
	case sub == "file" && ep == "webwxuploadmedia":
		s.upload(w, r)
	case ep == "webwxnewloginpage":
		s.newLoginPage(w, r)
	case ep == "webwxpushloginurl":
		s.pushLogin(w, r)
	case ep == "webwxinit":
		s.webInit(w, r)
	case ep == "webwxstatusnotify":
		s.base(w, r, nil)
	case ep == "webwxsync":
		s.sync(w, r)
	case ep == "webwxgetcontact":
		s.getContact(w, r)
	case ep == "webwxbatchgetcontact":
		s.batchGetContact(w, r)
	case ep == "webwxsendmsg", ep == "webwxsendmsgimg":
		s.sendMsg(w, r, ep)
	case ep == "webwxlogout":
		if r.URL.Query().Get("skey") == s.skey {
			s.skey = ""
		}
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{}})
	default:
		http.Error(w, "wechattest: no endpoint "+host+r.URL.Path, http.StatusNotFound)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decode reads a JSON body with a BaseRequest and reports whether its
// session is valid.
func (s *Server) decode(r *http.Request, v any) bool {
	body, _ := io.ReadAll(r.Body)
	var br struct{ BaseRequest baseRequest }
	_ = json.Unmarshal(body, &br)
	if v != nil {
		_ = json.Unmarshal(body, v)
	}
	return s.skey != "" && br.BaseRequest.Skey == s.skey
}

func (s *Server) base(w http.ResponseWriter, r *http.Request, v any) {
	ok := s.decode(r, v)
	ret := 0
	if !ok {
		ret = 1101
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}, "MsgID": ""})
}
