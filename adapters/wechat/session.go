package wechat

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eatmoreapple/openwechat"
)

// session is one login: from a successful login until WeChat or ctx ends
// it. Its maps are guarded by mu; a group's member list and identities by
// the group's own listMu (taken before mu).
type session struct {
	a  *Adapter
	wb *openwechat.Bot
	// ctx ends with the openwechat bot; requests made with it are marked
	// as the adapter's own (see transport).
	ctx context.Context

	// Fixed after login.
	self     string // the bot's UserName
	selfNick string
	info     *openwechat.LoginInfo
	req      *openwechat.BaseRequest

	in      chan inMsg // from openwechat's handler
	replay  chan inMsg // parked messages whose sender is now known
	cookies cookieBox
	qr      atomic.Bool // a QR code was shown during login
	pushed  bool        // login went past the saved session (login goroutine)
	storage *fileStorage

	// Consecutive failures of the sync loop (its goroutine only, but
	// reset by the transport on other goroutines).
	syncFails, rateFails atomic.Int64

	mu       sync.Mutex
	groups   map[string]*liveGroup // by UserName
	byID     map[string]*liveGroup // by stable id
	friends  []*openwechat.User    // contacts that are people
	fetching map[string]chan struct{}
	queue    refreshQueue
	linkMu   sync.Mutex // one group linked at a time

	wg sync.WaitGroup
}

type sessionResult struct {
	loggedIn bool
	err      error // why it ended, or why login failed
	lasted   time.Duration
}

func newSession(a *Adapter) *session {
	return &session{
		a: a, in: make(chan inMsg, a.o.queue), replay: make(chan inMsg, 1024),
		groups: map[string]*liveGroup{}, byID: map[string]*liveGroup{}, fetching: map[string]chan struct{}{},
		queue: refreshQueue{wake: make(chan struct{}, 1), pending: map[string]*refresh{}},
	}
}

// session logs in, serves until the session ends, and says why it ended.
func (a *Adapter) session(ctx context.Context, tryHot bool) sessionResult {
	s := newSession(a)
	wb, err := a.login(ctx, s, tryHot)
	if err != nil {
		return sessionResult{err: err}
	}
	start := time.Now() // the session's real length, for the login back-off
	s.wb = wb
	s.ctx = mine(wb.Context())
	// The login ran on this goroutine; these fields are not written again.
	s.info, s.req = wb.Storage.LoginInfo, wb.Storage.Request
	if u := wb.Storage.Response.User; u != nil {
		s.self, s.selfNick = u.UserName, cleanName(u.NickName)
	}
	a.st.sessions.Add(1)
	how := "push"
	switch {
	case s.qr.Load():
		how = "qr"
	case !s.pushed:
		how = "hot"
	}
	a.log.Info("logged in", "account", s.selfNick, "how", how)
	if err := os.Remove(a.cfg.QRFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		a.log.Warn("cannot remove the used QR code", "file", a.cfg.QRFile, "err", err)
	}

	a.setLive(s)
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.process() }()
	go func() { defer s.wg.Done(); s.lister() }()

	select {
	case <-ctx.Done():
	case <-wb.Context().Done():
	}
	a.setLive(nil)
	s.storage.close()
	var reason error
	if ctx.Err() == nil {
		// openwechat writes the reason before it cancels the context.
		reason = wb.CrashReason()
	}
	s.wg.Wait()
	return sessionResult{loggedIn: true, err: reason, lasted: time.Since(start)}
}

// login tries the saved session, then a confirmation on the phone, then a
// QR code.
func (a *Adapter) login(ctx context.Context, s *session, tryHot bool) (*openwechat.Bot, error) {
	_, statErr := os.Stat(a.cfg.LoginFile)
	saved := statErr == nil
	if tryHot && saved {
		bctx, cancel := context.WithCancel(ctx)
		wb := a.newBot(bctx, s)
		st := newFileStorage(a.cfg.LoginFile)
		err := wb.HotLogin(st)
		if err == nil {
			s.storage = st
			context.AfterFunc(wb.Context(), cancel)
			return wb, nil
		}
		cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		a.log.Info("the saved session is no longer valid", "reason", explain(err))
	}
	if saved {
		a.log.Warn("confirm the login on the bot account's phone (a QR code follows if that fails)")
	}
	s.pushed = true
	bctx, cancel := context.WithCancel(ctx)
	wb := a.newBot(bctx, s)
	st := newFileStorage(a.cfg.LoginFile)
	s.storage = st
	if err := wb.PushLogin(st, openwechat.NewRetryLoginOption()); err != nil {
		st.close()
		cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	context.AfterFunc(wb.Context(), cancel)
	return wb, nil
}

// newBot returns an openwechat bot in desktop mode whose traffic goes
// through the adapter's transport and whose callbacks feed s.
func (a *Adapter) newBot(ctx context.Context, s *session) *openwechat.Bot {
	wb := openwechat.NewBot(ctx)
	openwechat.Desktop.Prepare(wb)
	c := wb.Caller.Client
	// openwechat retries a failed request at once; the adapter backs off
	// instead.
	c.MaxRetryTimes = 1
	c.HTTPClient().Transport = &transport{inner: a.inner, base: a.base, s: s}
	// The default callback opens the QR URL in a browser, bypassing the
	// transport: always replace it.
	wb.UUIDCallback = func(uuid string) {
		s.qr.Store(true)
		a.showQR(uuid)
	}
	wb.ScanCallBack = func(openwechat.CheckLoginResponse) {
		a.log.Info("QR code scanned; confirm on the phone")
	}
	wb.LoginCallBack = nil
	wb.LogoutCallBack = nil
	wb.SyncCheckCallback = func(r openwechat.SyncCheckResponse) { s.onSyncCheck(wb, r) }
	wb.MessageHandler = s.onMessage
	wb.MessageErrorHandler = func(err error) error { return s.onSyncError(wb, err) }
	return wb
}

// onSyncCheck runs on openwechat's sync goroutine after every successful
// poll: it stores cookies the adapter's own requests received (the jar's
// map has no lock) and resets the back-off when all is quiet.
func (s *session) onSyncCheck(wb *openwechat.Bot, r openwechat.SyncCheckResponse) {
	if l := s.cookies.take(); len(l) > 0 {
		jar := wb.Caller.Client.Jar()
		for _, d := range l {
			jar.SetCookies(d.u, d.cs)
		}
	}
	if r.NorMal() {
		s.syncOK()
	}
}

func (s *session) syncOK() {
	s.syncFails.Store(0)
	s.rateFails.Store(0)
}

func (s *session) deferCookies(u *url.URL, cs []*http.Cookie) { s.cookies.add(u, cs) }

// onSyncError decides, on the sync goroutine, whether the session goes on
// after a failed poll: a logout ends it; 1205 and network errors wait
// (doubling) and go on, so that a persistent error never spins.
func (s *session) onSyncError(wb *openwechat.Bot, err error) error {
	if wb.Context().Err() != nil {
		return err
	}
	a := s.a
	var d time.Duration
	switch code := retOf(err); {
	case loggedOut(err):
		return err
	case code == retTooOften:
		n := s.rateFails.Add(1)
		a.st.rateLimited.Add(1)
		d = backoff(a.t.RateLimit, a.t.RateLimitMax, n)
		a.log.Warn("WeChat says operating too often (1205); waiting", "wait", d, "times", n)
		a.send.hold(d)
		a.pace.hold(d)
	default:
		n := s.syncFails.Add(1)
		d = backoff(a.t.SyncRetry, 60*a.t.SyncRetry, n)
		a.log.Warn("polling for messages failed; retrying", "err", err, "wait", d, "times", n)
	}
	if !sleep(wb.Context(), a.jitter(d)) {
		return err
	}
	return nil
}

// backoff is first doubled n-1 times, at most most.
func backoff(first, most time.Duration, n int64) time.Duration {
	d := first
	for i := int64(1); i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// cleanName turns WeChat's markup in a name into text.
func cleanName(s string) string {
	return strings.TrimSpace(unescape(openwechat.FormatEmoji(s)))
}

func unescape(s string) string { return html.UnescapeString(s) }
