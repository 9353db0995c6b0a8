// Package wechat is Pulse's WeChat adapter. It speaks the WeChat web
// protocol through github.com/eatmoreapple/openwechat (v1.4.8) in its
// desktop ("UOS") mode, which more accounts may use than the plain web
// mode.
//
// The web protocol is fragile: many accounts are refused web login, a
// session lasts hours to a day, and early 2025 saw waves of forced logouts
// and bans. The adapter therefore runs a supervisor (Run) that logs in
// again after every logout, first reusing the saved session, then asking
// the phone to confirm, then showing a QR code (in the terminal and as a
// PNG file), and backs off when WeChat says it is operating too often
// (retcode 1205).
//
// openwechat's message handler runs inside its polling loop, so the
// adapter only copies each message into a bounded queue there; everything
// else (member lists, identities, the core, sending) happens on the
// adapter's own goroutines. Sending goes through one paced queue.
//
// WeChat's UserNames change at every login, so groups and members get
// stable ids of Pulse's own, kept in the store (see identity.go). A group's
// key is "wechat/<stable id>"; a member's id is "u<number>".
package wechat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/config"
	"github.com/pulsebot/pulse/store"
)

// Platform is the first part of every group key this adapter uses.
const Platform = "wechat"

// Core is what the adapter needs of the bot (*bot.Bot).
type Core interface {
	// Submit hands an event to the core without waiting for its commit.
	Submit(bot.Event) (*bot.Pending, error)
	// Group returns a group's settings (the adapter's own answers use its
	// locale).
	Group(key string) bot.GroupSettings
}

// Errors of Send.
var (
	ErrStopped       = errors.New("wechat: adapter stopped")
	ErrQueueFull     = errors.New("wechat: send queue full")
	ErrUnknownGroup  = errors.New("wechat: group not found in this WeChat session")
	ErrUnknownMember = errors.New("wechat: member not found in this WeChat session")
)

// Timing holds the adapter's waits. Zero fields keep their defaults;
// SendInterval and MemberPoll, if set, override the configuration (tests
// use much shorter ones than the configuration allows).
type Timing struct {
	SendInterval time.Duration // default: config send_interval (1s)
	MemberPoll   time.Duration // default: config member_poll (10m)
	// ListSpacing is the least time between two member-list requests.
	// Default 3s.
	ListSpacing time.Duration
	// LoginRetry is the first wait before logging in again after a
	// session ended or a login failed; it doubles up to LoginRetryMax.
	// Defaults 10s and 10m.
	LoginRetry, LoginRetryMax time.Duration
	// SyncRetry is the first wait after a failed poll for messages
	// (network errors); it doubles up to 60 times itself. Default 2s.
	SyncRetry time.Duration
	// RateLimit is the first wait after WeChat answered 1205 (operating
	// too often); it doubles up to RateLimitMax. Defaults 30s and 15m.
	RateLimit, RateLimitMax time.Duration
	// OfflineLeave: a member missing from their group's list for this long
	// (at the start of a session: they may have left while Pulse was away,
	// or renamed) is recorded as left. Default 48h.
	OfflineLeave time.Duration
	// StableSession: a session that lasted this long resets the login
	// back-off. Default 10m.
	StableSession time.Duration
}

func (t Timing) withDefaults(cfg Config) Timing {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&t.SendInterval, cfg.SendInterval)
	def(&t.SendInterval, DefaultSendInterval)
	def(&t.MemberPoll, cfg.MemberPoll)
	def(&t.MemberPoll, DefaultMemberPoll)
	def(&t.ListSpacing, 3*time.Second)
	def(&t.LoginRetry, 10*time.Second)
	def(&t.LoginRetryMax, 10*time.Minute)
	def(&t.SyncRetry, 2*time.Second)
	def(&t.RateLimit, 30*time.Second)
	def(&t.RateLimitMax, 15*time.Minute)
	def(&t.OfflineLeave, 48*time.Hour)
	def(&t.StableSession, 10*time.Minute)
	t.LoginRetryMax = max(t.LoginRetryMax, t.LoginRetry)
	t.RateLimitMax = max(t.RateLimitMax, t.RateLimit)
	return t
}

type options struct {
	qrOut     io.Writer
	clock     calendar.Clock
	timing    Timing
	roles     func(group string) (admins, owners []string)
	transport http.RoundTripper
	queue     int
	seed      uint64
}

// Option configures an Adapter.
type Option func(*options)

// WithQRWriter sets where the login QR code is drawn (default os.Stderr).
func WithQRWriter(w io.Writer) Option { return func(o *options) { o.qrOut = w } }

// WithClock sets the clock for events WeChat gives no time for (member
// lists) and for the adapter's records (default the system clock).
func WithClock(c calendar.Clock) Option { return func(o *options) { o.clock = c } }

// WithTiming overrides the adapter's waits (zero fields keep defaults).
func WithTiming(t Timing) Option { return func(o *options) { o.timing = t } }

// WithRoles adds admins and owners per group key from elsewhere (the
// shared groups: section's admins and owners); names match nicknames,
// group display names or stable member ids.
func WithRoles(f func(group string) (admins, owners []string)) Option {
	return func(o *options) { o.roles = f }
}

// WithTransport sets the HTTP transport under the adapter's own (default a
// clone of http.DefaultTransport).
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.transport = rt } }

// WithQueueSize bounds the queue between openwechat's handler and the
// adapter (default 4096); messages beyond it are dropped and counted.
func WithQueueSize(n int) Option { return func(o *options) { o.queue = n } }

// WithSeed makes the send jitter repeatable.
func WithSeed(seed uint64) Option { return func(o *options) { o.seed = seed } }

// Stats count what the adapter did since New.
type Stats struct {
	Sessions    int64 // successful logins
	Received    int64 // messages openwechat handed over
	Dropped     int64 // messages dropped because the queue was full
	Duplicates  int64 // messages dropped as already seen (same MsgId)
	Unresolved  int64 // messages whose sender was not in the member list
	Events      int64 // events given to the core
	Sent        int64 // messages sent (text parts and images)
	SendFailed  int64 // messages that could not be sent
	RateLimited int64 // 1205 answers (operating too often)
	Ambiguous   int64 // members that could not be told apart from another
}

type counters struct {
	sessions, received, dropped, duplicates, unresolved, events,
	sent, sendFailed, rateLimited, ambiguous atomic.Int64
}

// Adapter connects one WeChat account to the core.
type Adapter struct {
	cfg   Config
	core  Core
	db    *store.DB
	log   *slog.Logger
	o     options
	t     Timing
	ids   *identities
	base  *url.URL
	inner http.RoundTripper
	st    counters
	seen  *recent
	out   *outbox
	pace  pacer // member-list requests
	send  pacer // messages

	pending chan *bot.Pending

	rngMu sync.Mutex
	rng   *rand.Rand

	mu       sync.Mutex
	running  bool
	runDone  <-chan struct{} // closed when Run ends
	live     *session
	liveCh   chan struct{} // closed when live changes
	lastEnd  *ended        // why the previous session ended, until owners are told
	dropNote time.Time     // last time dropped messages were logged
}

// ended says why and when a session ended.
type ended struct {
	at     time.Time
	reason string
}

// New prepares an adapter; Run logs in and serves. cfg is checked with
// Validate; its zero options take their defaults.
func New(cfg Config, core Core, db *store.DB, log *slog.Logger, opts ...Option) (*Adapter, error) {
	if core == nil || db == nil {
		return nil, errors.New("wechat: New needs a core and a store")
	}
	if err := config.Check(Platform, cfg); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := options{qrOut: os.Stderr, clock: calendar.System{}, queue: 4096}
	for _, opt := range opts {
		opt(&o)
	}
	if o.qrOut == nil {
		o.qrOut = io.Discard
	}
	if o.queue <= 0 {
		o.queue = 4096
	}
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano())
	}
	if o.transport == nil {
		o.transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if cfg.LoginFile == "" {
		cfg.LoginFile = db.Path() + ".wechat-login.json"
	}
	if cfg.QRFile == "" {
		cfg.QRFile = db.Path() + ".wechat-qr.png"
	}
	if cfg.SplitLength == 0 {
		cfg.SplitLength = DefaultSplitLength
	}
	a := &Adapter{
		cfg: cfg, core: core, db: db, log: log.With("adapter", Platform), o: o,
		t: o.timing.withDefaults(cfg), inner: o.transport,
		seen: newRecent(8192), out: newOutbox(2048),
		pending: make(chan *bot.Pending, 4096),
		rng:     rand.New(rand.NewPCG(o.seed, o.seed^0x5bd1e995)),
		liveCh:  make(chan struct{}),
	}
	a.pace.every = a.t.ListSpacing
	a.send.every = a.t.SendInterval
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("wechat: base_url: %w", err)
		}
		a.base = u
	}
	ids, err := loadIdentities(db)
	if err != nil {
		return nil, err
	}
	a.ids = ids
	return a, nil
}

// Stats returns the adapter's counters.
func (a *Adapter) Stats() Stats {
	s := &a.st
	return Stats{
		Sessions: s.sessions.Load(), Received: s.received.Load(), Dropped: s.dropped.Load(),
		Duplicates: s.duplicates.Load(), Unresolved: s.unresolved.Load(), Events: s.events.Load(),
		Sent: s.sent.Load(), SendFailed: s.sendFailed.Load(), RateLimited: s.rateLimited.Load(),
		Ambiguous: s.ambiguous.Load(),
	}
}

// LoggedIn reports whether a WeChat session is live.
func (a *Adapter) LoggedIn() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.live != nil
}

// Run logs in and serves until ctx ends, logging in again whenever the
// session ends (with a growing wait between attempts). It returns nil when
// ctx ends; every event already handed to the core is committed by then,
// and replies not yet sent are dropped.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return errors.New("wechat: Run is already running")
	}
	a.running = true
	ctx, cancel := context.WithCancel(ctx)
	a.runDone = ctx.Done()
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.running = false
		a.mu.Unlock()
	}()
	if err := os.MkdirAll(dirOf(a.cfg.LoginFile), 0o700); err != nil {
		cancel()
		return fmt.Errorf("wechat: login_file: %w", err)
	}

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.sender(ctx) }()
	go func() { defer wg.Done(); a.waiter(ctx) }()
	a.out.open()
	defer func() {
		cancel()
		wg.Wait()
		a.out.close(ErrStopped)
		if t, ok := a.inner.(interface{ CloseIdleConnections() }); ok {
			t.CloseIdleConnections()
		}
	}()

	wait := a.t.LoginRetry
	tryHot := true
	for ctx.Err() == nil {
		res := a.session(ctx, tryHot)
		if ctx.Err() != nil {
			break
		}
		reason := explain(res.err)
		if res.loggedIn {
			a.log.Warn("wechat: session ended / 微信会话已结束", "reason", reason, "lasted", res.lasted.Round(time.Second))
			a.mu.Lock()
			a.lastEnd = &ended{at: a.o.clock.Now(), reason: reason}
			a.mu.Unlock()
			if res.lasted >= a.t.StableSession {
				wait = a.t.LoginRetry
			}
		} else {
			a.log.Error("wechat: login failed / 微信登录失败", "reason", reason)
		}
		// Cookies of a session WeChat ended are dead: ask the phone.
		tryHot = res.loggedIn && !loggedOut(res.err)
		d := a.jitter(wait)
		a.log.Info("wechat: logging in again / 即将重新登录", "in", d.Round(time.Millisecond))
		if !sleep(ctx, d) {
			break
		}
		wait = min(2*wait, a.t.LoginRetryMax)
	}
	return nil
}

// setLive publishes the live session (nil: none).
func (a *Adapter) setLive(s *session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.live = s
	close(a.liveCh)
	a.liveCh = make(chan struct{})
}

// waitLive returns the live session, waiting for one while both contexts
// last.
func (a *Adapter) waitLive(ctx, item context.Context) *session {
	for {
		a.mu.Lock()
		s, ch := a.live, a.liveCh
		a.mu.Unlock()
		if s != nil && s.ctx.Err() == nil {
			return s
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		case <-item.Done():
			return nil
		}
	}
}

// jitter adds a random 0–50% to d.
func (a *Adapter) jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	a.rngMu.Lock()
	defer a.rngMu.Unlock()
	return d + time.Duration(a.rng.Int64N(int64(d)/2+1))
}

// waiter hands the replies of committed events to the send queue, in the
// order the events were given to the core.
func (a *Adapter) waiter(ctx context.Context) {
	for {
		select {
		case p := <-a.pending:
			replies, err := p.Wait(ctx)
			if err != nil {
				if ctx.Err() == nil {
					a.log.Error("wechat: event not recorded", "err", err)
				}
				continue
			}
			for _, r := range replies {
				a.reply(r)
			}
		case <-ctx.Done():
			return
		}
	}
}

// replyTTL bounds how long an answer waits for a login: an answer to a
// check-in posted hours later would only confuse.
const replyTTL = 10 * time.Minute

// reply queues something the core said, without waiting.
func (a *Adapter) reply(r bot.Reply) {
	if r.Text == "" && r.Image == nil {
		return // a level-up nobody announces
	}
	if !a.out.push(&outItem{reply: r, ctx: context.Background(), stale: time.Now().Add(replyTTL)}) {
		a.st.sendFailed.Add(1)
		a.log.Warn("wechat: send queue full, reply dropped / 发送队列已满，回复被丢弃", "group", r.Group)
	}
}

// sleep waits d or until ctx ends; false if ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// pacer spaces calls: each waits until every has passed since the last.
type pacer struct {
	every time.Duration
	mu    sync.Mutex
	next  time.Time
}

// wait blocks until the next call may go, reserving it; extra is added
// after it (jitter).
func (p *pacer) wait(ctx context.Context, extra time.Duration) error {
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.every + extra)
	p.mu.Unlock()
	if !sleep(ctx, time.Until(at)) {
		return ctx.Err()
	}
	return nil
}

// hold pushes the next call at least d into the future (after a 1205).
func (p *pacer) hold(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t := time.Now().Add(d); t.After(p.next) {
		p.next = t
	}
}

// recent remembers the last n message ids.
type recent struct {
	mu   sync.Mutex
	set  map[string]bool
	ring []string
	pos  int
}

func newRecent(n int) *recent { return &recent{set: make(map[string]bool, n), ring: make([]string, n)} }

// add records id and reports whether it was already there.
func (r *recent) add(id string) bool {
	if id == "" {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[id] {
		return true
	}
	if old := r.ring[r.pos]; old != "" {
		delete(r.set, old)
	}
	r.ring[r.pos] = id
	r.pos = (r.pos + 1) % len(r.ring)
	r.set[id] = true
	return false
}
