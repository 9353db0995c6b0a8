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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OriginalHostHeader carries the host a rewritten request was meant for.
const OriginalHostHeader = "X-Original-Host"

// Member is a person in a group.
type Member struct {
	Key     string // the test's name for the person
	Nick    string // nickname (used if the person is new to the server)
	Display string // display name in this group (群昵称), "" for none
	Avatar  string // avatar seq, "" for none
	Attr    int64  // AttrStatus
}

// Sent is a message the client sent.
type Sent struct {
	Type    int    // 1 text, 3 image
	From    string // UserName
	To      string // UserName
	ToKey   string // the recipient's key ("" if unknown)
	Content string // text
	MediaID string // images
}

// Upload is a file the client uploaded.
type Upload struct {
	To        string
	ToKey     string
	Name      string
	MediaType string
	Data      []byte
	MediaID   string
}

type person struct {
	key, nick, avatar string
	attr              int64
}

type membership struct {
	key, display string
}

type group struct {
	key, name, owner string
	members          []membership
	saved            bool
}

type wireMsg struct {
	kind          int
	group, member string // keys
	text          string
	id            string
	created       int64
	self          bool
	raw           string // system text
}

type login struct {
	push      bool
	confirmed bool
	scanned   bool // 201 told
}

type failure struct{ ret, times int }

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

// SetHold sets how long long polls (synccheck, login) wait for news before
// answering "nothing" (default 50ms).
func (s *Server) SetHold(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = d
}

// SetClock sets the clock of message times (default time.Now).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetSelf names the bot's account.
func (s *Server) SetSelf(nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.self.nick = nick
}

// SetAutoConfirm makes logins succeed at the first poll (true, the
// default) or wait for Confirm.
func (s *Server) SetAutoConfirm(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auto = on
}

// SetRefusePush makes webwxpushloginurl refuse, so logins fall back to a
// QR code.
func (s *Server) SetRefusePush(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noPush = on
}

// SetEcho turns the echo of sent messages into the stream on or off.
func (s *Server) SetEcho(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo = on
}

// Confirm scans and confirms every login waiting (QR or push): the next
// poll says "scanned" (201), the one after "confirmed" (200).
func (s *Server) Confirm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.uuids {
		l.confirmed = true
	}
	s.wake()
}

// Pending reports whether a login is waiting for Confirm.
func (s *Server) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.uuids {
		if !l.confirmed {
			return true
		}
	}
	return false
}

// AddFriend adds a contact of the bot's account.
func (s *Server) AddFriend(key, nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.personLocked(key, nick)
	s.friends = append(s.friends, key)
	s.rename()
}

// AddGroup adds a group the bot is in, saved to its contacts.
func (s *Server) AddGroup(key, name, owner string, members ...Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &group{key: key, name: name, owner: owner, saved: true}
	for _, m := range members {
		p := s.personLocked(m.Key, m.Nick)
		if m.Avatar != "" {
			p.avatar = m.Avatar
		}
		if m.Attr != 0 {
			p.attr = m.Attr
		}
		g.members = append(g.members, membership{m.Key, m.Display})
	}
	s.groups = append(s.groups, g)
	s.rename()
}

// SetSaved sets whether a group is saved to the contacts (webwxgetcontact
// lists only those).
func (s *Server) SetSaved(groupKey string, saved bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groupLocked(groupKey).saved = saved
}

// AddMember puts a person into a group (no system message: see System).
func (s *Server) AddMember(groupKey string, m Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.personLocked(m.Key, m.Nick)
	if m.Avatar != "" {
		p.avatar = m.Avatar
	}
	g := s.groupLocked(groupKey)
	g.members = append(g.members, membership{m.Key, m.Display})
	s.rename()
}

// RemoveMember takes a person out of a group silently, as a voluntary
// leave is on WeChat.
func (s *Server) RemoveMember(groupKey, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupLocked(groupKey)
	for i, m := range g.members {
		if m.key == key {
			g.members = append(g.members[:i], g.members[i+1:]...)
			return
		}
	}
}

// RenamePerson changes a person's nickname.
func (s *Server) RenamePerson(key, nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.personLocked(key, nick).nick = nick
}

// SetDisplay sets a person's display name in a group.
func (s *Server) SetDisplay(groupKey, key, display string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupLocked(groupKey)
	for i := range g.members {
		if g.members[i].key == key {
			g.members[i].display = display
		}
	}
}

// RenameGroup changes a group's name (no system message: see System).
func (s *Server) RenameGroup(groupKey, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groupLocked(groupKey).name = name
}

// Say queues a text message from a member to a group and returns its
// MsgId.
func (s *Server) Say(groupKey, member, text string) string {
	return s.SayID(groupKey, member, text, "")
}

// SayID queues a text message with a given MsgId ("" for a new one); the
// same id again is a replay.
func (s *Server) SayID(groupKey, member, text, id string) string {
	return s.push(wireMsg{kind: 1, group: groupKey, member: member, text: text, id: id})
}

// Picture queues an image message from a member.
func (s *Server) Picture(groupKey, member string) string {
	return s.push(wireMsg{kind: 3, group: groupKey, member: member, text: "<msg><img/></msg>"})
}

// System queues a system message (type 10000) in a group, such as
// `"A"邀请"B、C"加入了群聊`, and returns its MsgId.
func (s *Server) System(groupKey, text string) string {
	return s.SystemID(groupKey, text, "")
}

// SystemID queues a system message with a given MsgId.
func (s *Server) SystemID(groupKey, text, id string) string {
	return s.push(wireMsg{kind: 10000, group: groupKey, raw: text, id: id})
}

// SelfSay queues a message the bot's account sent from the phone.
func (s *Server) SelfSay(groupKey, text string) string {
	return s.push(wireMsg{kind: 1, group: groupKey, text: text, self: true})
}

func (s *Server) push(m wireMsg) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.id == "" {
		s.seq++
		m.id = strconv.FormatInt(4_000_000_000+s.seq, 10)
	}
	m.created = s.now().Unix()
	s.queue = append(s.queue, m)
	s.wake()
	return m.id
}

// SetSyncRetcode makes synccheck answer retcode code (0 clears): 1100,
// 1101 and 1102 also end the session, once; other codes (1205) repeat
// until cleared.
func (s *Server) SetSyncRetcode(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncRet, s.syncN = code, -1
	if code == 1100 || code == 1101 || code == 1102 {
		s.syncN = 1
	}
	s.wake()
}

// Fail makes the next times calls of an endpoint ("webwxsync",
// "webwxsendmsg", "webwxbatchgetcontact", "webwxnewloginpage", ...)
// answer with BaseResponse.Ret (or <ret>) ret; times < 0: until Fail(ep,
// 0, 0).
func (s *Server) Fail(endpoint string, ret, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times == 0 {
		delete(s.fail, endpoint)
		return
	}
	s.fail[endpoint] = &failure{ret, times}
	s.wake()
}

// ExpireSessions ends the current session on the server's side without
// telling the client: reusing its cookies fails (1101).
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skey = ""
	s.wake()
}

// Count returns how many requests an endpoint received ("synccheck",
// "webwxsync", "jslogin", "login", "webwxpushloginurl", "webwxinit", ...).
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// Sent returns the messages sent so far.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Uploads returns the files uploaded so far.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// Logins returns how many logins completed (QR or push; not reused
// sessions).
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Desktop reports whether the last QR login asked for desktop mode.
func (s *Server) Desktop() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.desktop
}

// UserName returns the current UserName of a person or group key.
func (s *Server) UserName(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.groups {
		if g.key == key {
			return s.groupUser(g.key)
		}
	}
	return s.user(key)
}

// LoggedIn reports whether a session is valid.
func (s *Server) LoggedIn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skey != ""
}

// ---- state (s.mu held) ----

func (s *Server) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait waits up to the hold for a change, with s.mu held (it is released
// while waiting).
func (s *Server) wait(r *http.Request) {
	ch, d := s.changed, s.hold
	s.mu.Unlock()
	t := time.NewTimer(d)
	select {
	case <-ch:
	case <-t.C:
	case <-r.Context().Done():
	}
	t.Stop()
	s.mu.Lock()
}

func (s *Server) personLocked(key, nick string) *person {
	if key == "self" {
		return &s.self
	}
	p := s.people[key]
	if p == nil {
		if nick == "" {
			nick = key
		}
		p = &person{key: key, nick: nick}
		s.people[key] = p
	}
	return p
}

func (s *Server) groupLocked(key string) *group {
	for _, g := range s.groups {
		if g.key == key {
			return g
		}
	}
	panic("wechattest: no group " + key)
}

func hash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

func (s *Server) user(key string) string { return "@" + hash("p", key, strconv.Itoa(s.gen)) }

func (s *Server) groupUser(key string) string { return "@@" + hash("g", key, strconv.Itoa(s.gen)) }

// rename recomputes the UserName index of this generation.
func (s *Server) rename() {
	s.byUser = map[string]string{s.user("self"): "self"}
	for k := range s.people {
		s.byUser[s.user(k)] = k
	}
	for _, g := range s.groups {
		s.byUser[s.groupUser(g.key)] = g.key
	}
}

func (s *Server) failing(ep string) int {
	f := s.fail[ep]
	if f == nil {
		return 0
	}
	if f.times > 0 {
		if f.times--; f.times == 0 {
			delete(s.fail, ep)
		}
	}
	return f.ret
}

// ---- HTTP ----

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

func (s *Server) newUUID(push bool) string {
	s.seq++
	u := "uuid" + hash("uuid", strconv.FormatInt(s.seq, 10))[:12] + "=="
	s.uuids[u] = &login{push: push}
	return u
}

func (s *Server) jslogin(w http.ResponseWriter, r *http.Request) {
	s.desktop = strings.Contains(r.URL.Query().Get("redirect_uri"), "mod=desktop")
	fmt.Fprintf(w, `window.QRLogin.code = 200; window.QRLogin.uuid = "%s";`, s.newUUID(false))
}

func (s *Server) checkLogin(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("uuid")
	for {
		l := s.uuids[u]
		if l == nil {
			fmt.Fprint(w, `window.code=400;`)
			return
		}
		if s.auto {
			l.confirmed, l.scanned = true, true
		}
		switch {
		case l.confirmed && !l.scanned && !l.push:
			l.scanned = true
			fmt.Fprint(w, `window.code=201;window.userAvatar = 'data:img/jpg;base64,AAAA';`)
			return
		case l.confirmed:
			delete(s.uuids, u)
			s.seq++
			t := "ticket" + strconv.FormatInt(s.seq, 10)
			s.tickets[t] = u
			fmt.Fprintf(w, "window.code=200;\nwindow.redirect_uri=\"https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxnewloginpage?ticket=%s&uuid=%s&lang=zh_CN&scan=%d\";", t, u, s.seq)
			return
		}
		s.wait(r)
		if r.Context().Err() != nil {
			return
		}
		if l2 := s.uuids[u]; l2 == nil || !l2.confirmed {
			if !s.auto {
				fmt.Fprint(w, `window.code=408;`)
				return
			}
		}
	}
}

func (s *Server) newLoginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	if ret := s.failing("webwxnewloginpage"); ret != 0 {
		fmt.Fprintf(w, "<error><ret>%d</ret><message>refused</message></error>", ret)
		return
	}
	t := r.URL.Query().Get("ticket")
	if _, ok := s.tickets[t]; !ok {
		fmt.Fprint(w, "<error><ret>1</ret><message>bad ticket</message></error>")
		return
	}
	delete(s.tickets, t)
	// A new login: new UserNames for everyone, a new session.
	s.gen++
	s.logins++
	s.rename()
	s.sessions++
	s.skey = "@crypt_" + hash("skey", strconv.Itoa(s.sessions))[:16]
	s.dataTkt = "tkt" + hash("ticket", strconv.Itoa(s.sessions))[:16]
	for _, c := range []*http.Cookie{
		{Name: "webwx_data_ticket", Value: s.dataTkt},
		{Name: "wxuin", Value: strconv.FormatInt(s.uin, 10)},
		{Name: "wxsid", Value: "sid" + strconv.Itoa(s.sessions)},
	} {
		c.Domain, c.Path = "wx.qq.com", "/"
		http.SetCookie(w, c)
	}
	fmt.Fprintf(w, "<error><ret>0</ret><message></message><skey>%s</skey><wxsid>sid%d</wxsid><wxuin>%d</wxuin><pass_ticket>pt%d</pass_ticket><isgrayscale>1</isgrayscale></error>",
		s.skey, s.sessions, s.uin, s.sessions)
}

func (s *Server) pushLogin(w http.ResponseWriter, r *http.Request) {
	if s.noPush || r.URL.Query().Get("uin") != strconv.FormatInt(s.uin, 10) {
		writeJSON(w, map[string]string{"ret": "1", "msg": "push login refused"})
		return
	}
	writeJSON(w, map[string]string{"ret": "0", "msg": "all ok", "uuid": s.newUUID(true)})
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

type wireUser struct {
	UserName        string
	NickName        string
	DisplayName     string `json:",omitempty"`
	RemarkName      string `json:",omitempty"`
	HeadImgUrl      string `json:",omitempty"`
	AttrStatus      int64  `json:",omitempty"`
	VerifyFlag      int
	ContactFlag     int        `json:",omitempty"`
	MemberCount     int        `json:",omitempty"`
	ChatRoomOwner   string     `json:",omitempty"`
	EncryChatRoomId string     `json:",omitempty"`
	MemberList      []wireUser `json:",omitempty"`
}

func (s *Server) selfUser() wireUser {
	return wireUser{UserName: s.user("self"), NickName: s.self.nick, ContactFlag: 0}
}

func (s *Server) personUser(key, display string) wireUser {
	p := s.personLocked(key, "")
	u := wireUser{UserName: s.user(key), NickName: p.nick, DisplayName: display, AttrStatus: p.attr}
	if p.avatar != "" {
		u.HeadImgUrl = "/cgi-bin/mmwebwx-bin/webwxgeticon?seq=" + p.avatar + "&username=" + u.UserName
	}
	return u
}

func (s *Server) groupWire(g *group, members bool) wireUser {
	u := wireUser{UserName: s.groupUser(g.key), NickName: g.name, MemberCount: len(g.members) + 1, EncryChatRoomId: "enc" + g.key}
	if g.owner != "" {
		u.ChatRoomOwner = s.user(g.owner)
	}
	if members {
		u.MemberList = []wireUser{s.selfUser()}
		for _, m := range g.members {
			u.MemberList = append(u.MemberList, s.personUser(m.key, m.display))
		}
	}
	return u
}

func (s *Server) webInit(w http.ResponseWriter, r *http.Request) {
	if !s.decode(r, nil) {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: 1101, ErrMsg: "session expired"}})
		return
	}
	var recent []wireUser
	for _, g := range s.groups {
		recent = append(recent, s.groupWire(g, false))
	}
	writeJSON(w, map[string]any{
		"BaseResponse": baseResponse{}, "Count": len(recent), "ContactList": recent,
		"SyncKey": s.syncKeyWire(), "User": s.selfUser(), "SKey": s.skey,
	})
}

func (s *Server) syncKeyWire() map[string]any {
	return map[string]any{"Count": 1, "List": []map[string]int64{{"Key": 1, "Val": s.syncKey}}}
}

func (s *Server) synccheck(w http.ResponseWriter, r *http.Request) {
	answer := func(ret, sel string) {
		fmt.Fprintf(w, `window.synccheck={retcode:"%s",selector:"%s"}`, ret, sel)
	}
	for first := true; ; first = false {
		if s.syncRet != 0 {
			code := s.syncRet
			if s.syncN > 0 {
				if s.syncN--; s.syncN == 0 {
					s.syncRet = 0
				}
			}
			if code == 1100 || code == 1101 || code == 1102 {
				s.skey = ""
			}
			answer(strconv.Itoa(code), "0")
			return
		}
		if s.skey == "" || r.URL.Query().Get("skey") != s.skey {
			answer("1101", "0")
			return
		}
		if len(s.queue) > 0 || s.fail["webwxsync"] != nil {
			answer("0", "2")
			return
		}
		if !first {
			answer("0", "0")
			return
		}
		s.wait(r)
		if r.Context().Err() != nil {
			return
		}
	}
}

type wireMessage struct {
	MsgId        string
	NewMsgId     int64
	MsgType      int
	FromUserName string
	ToUserName   string
	Content      string
	CreateTime   int64
	Status       int
}

func (s *Server) sync(w http.ResponseWriter, r *http.Request) {
	if ret := s.failing("webwxsync"); ret != 0 {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}, "AddMsgCount": 0, "AddMsgList": []any{}})
		return
	}
	if !s.decode(r, nil) {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: 1101}})
		return
	}
	msgs := make([]wireMessage, 0, len(s.queue))
	self := s.user("self")
	for _, m := range s.queue {
		id, _ := strconv.ParseInt(m.id, 10, 64)
		wm := wireMessage{MsgId: m.id, NewMsgId: id, MsgType: m.kind, CreateTime: m.created, Status: 3,
			FromUserName: s.groupUser(m.group), ToUserName: self}
		switch {
		case m.kind == 10000:
			wm.Content = html.EscapeString(m.raw)
		case m.self:
			wm.FromUserName, wm.ToUserName = self, s.groupUser(m.group)
			wm.Content = escape(m.text)
		default:
			wm.Content = s.user(m.member) + ":<br/>" + escape(m.text)
		}
		msgs = append(msgs, wm)
	}
	s.queue = nil
	s.syncKey++
	writeJSON(w, map[string]any{
		"BaseResponse": baseResponse{}, "AddMsgCount": len(msgs), "AddMsgList": msgs,
		"SyncKey": s.syncKeyWire(), "SyncCheckKey": s.syncKeyWire(),
	})
}

// escape renders text as WeChat's web protocol does: HTML entities and
// <br/> for line ends.
func escape(text string) string {
	return strings.ReplaceAll(html.EscapeString(text), "\n", "<br/>")
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("skey") != s.skey || s.skey == "" {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: 1101}})
		return
	}
	var list []wireUser
	for _, k := range s.friends {
		u := s.personUser(k, "")
		u.ContactFlag = 3
		list = append(list, u)
	}
	for _, g := range s.groups {
		if g.saved {
			list = append(list, s.groupWire(g, false))
		}
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "MemberCount": len(list), "MemberList": list, "Seq": 0})
}

func (s *Server) batchGetContact(w http.ResponseWriter, r *http.Request) {
	var req struct {
		List []struct{ UserName, EncryChatRoomId string }
	}
	ok := s.decode(r, &req)
	if ret := s.failing("webwxbatchgetcontact"); ret != 0 || !ok {
		if ret == 0 {
			ret = 1101
		}
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}})
		return
	}
	out := make([]wireUser, 0, len(req.List))
	for _, item := range req.List {
		key, known := s.byUser[item.UserName]
		switch {
		case !known:
			out = append(out, wireUser{UserName: item.UserName})
		case strings.HasPrefix(item.UserName, "@@"):
			out = append(out, s.groupWire(s.groupLocked(key), true))
		case key == "self":
			out = append(out, s.selfUser())
		default:
			out = append(out, s.personUser(key, ""))
		}
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "Count": len(out), "ContactList": out})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	fail := func(ret int, msg string) {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret, ErrMsg: msg}, "MediaId": ""})
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		fail(1, "not multipart")
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	fields := map[string]string{}
	var data []byte
	name := ""
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p)
		if p.FormName() == "filename" {
			data, name = b, p.FileName()
		} else {
			fields[p.FormName()] = string(b)
		}
	}
	var req struct {
		BaseRequest baseRequest
		ToUserName  string
	}
	_ = json.Unmarshal([]byte(fields["uploadmediarequest"]), &req)
	switch {
	case s.skey == "" || req.BaseRequest.Skey != s.skey:
		fail(1101, "session expired")
		return
	case fields["webwx_data_ticket"] != s.dataTkt:
		fail(1, "bad webwx_data_ticket")
		return
	}
	if ret := s.failing("webwxuploadmedia"); ret != 0 {
		fail(ret, "refused")
		return
	}
	s.seq++
	id := "@media_" + strconv.FormatInt(s.seq, 10)
	s.uploads = append(s.uploads, Upload{To: req.ToUserName, ToKey: s.byUser[req.ToUserName], Name: name,
		MediaType: fields["mediatype"], Data: data, MediaID: id})
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "MediaId": id, "StartPos": len(data)})
}

func (s *Server) sendMsg(w http.ResponseWriter, r *http.Request, ep string) {
	var req struct {
		Msg struct {
			Type                                       int
			Content, FromUserName, ToUserName, MediaId string
			LocalID, ClientMsgId                       string
		}
	}
	ok := s.decode(r, &req)
	ret := s.failing(ep)
	if ret == 0 && !ok {
		ret = 1101
	}
	if ret != 0 {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}})
		return
	}
	m := req.Msg
	key := s.byUser[m.ToUserName]
	s.sent = append(s.sent, Sent{Type: m.Type, From: m.FromUserName, To: m.ToUserName, ToKey: key, Content: m.Content, MediaID: m.MediaId})
	s.seq++
	id := strconv.FormatInt(5_000_000_000+s.seq, 10)
	if s.echo && strings.HasPrefix(m.ToUserName, "@@") && m.Type == 1 {
		s.queue = append(s.queue, wireMsg{kind: 1, group: key, text: m.Content, self: true, id: id, created: s.now().Unix()})
		s.wake()
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "MsgID": id, "LocalID": m.LocalID})
}

// Members returns the keys of a group's members (not the bot), sorted.
func (s *Server) Members(groupKey string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.groupLocked(groupKey).members {
		out = append(out, m.key)
	}
	sort.Strings(out)
	return out
}
