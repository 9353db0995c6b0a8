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
// stable ids of Pulse's own, kept by the core as link records (see
// identity.go). A group's key is "wechat/<stable id>"; a member's id is
// "u<number>".
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
	"sync"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/links"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/config"
)

// Platform is the first part of every group key this adapter uses.
const Platform = "wechat"

// Core is what the adapter needs of the bot (*bot.Bot).
type Core interface {
	// Submit hands an event to the core without waiting for its commit.
	Submit(context.Context, bot.Event) (*bot.Pending, error)
	// Group returns a group's settings (the adapter's own answers use its
	// locale).
	Group(key string) bot.GroupSettings
	// Path is the core's data file; the login files go beside it unless
	// configured.
	Path() string
	Links
}

// Links is what the adapter needs of the core to keep its stable ids
// (*bot.Bot): link records it encodes itself, a member number that only
// rises, and commands carried out once.
type Links interface {
	// Links returns the platform's group records and next member number.
	Links(ctx context.Context, platform string) (links.Set, error)
	// MemberLinks returns the member records of a group.
	MemberLinks(ctx context.Context, platform, group string) ([]links.Record, error)
	// SaveLinks writes records and the member number in one transaction
	// and waits for its commit.
	SaveLinks(ctx context.Context, platform string, b links.Batch) error
	// ClaimOp reports whether an operation id is new, recording it.
	ClaimOp(ctx context.Context, platform, id string, at time.Time) (first bool, err error)
	// PruneOps forgets operations recorded before a time.
	PruneOps(ctx context.Context, platform string, before time.Time) (int, error)
}

// Errors of Send.
var (
	ErrStopped       = errors.New("wechat: adapter stopped")
	ErrQueueFull     = errors.New("wechat: send queue full")
	ErrUnknownGroup  = errors.New("wechat: group not found in this WeChat session")
	ErrUnknownMember = errors.New("wechat: member not found in this WeChat session")
)

// Adapter connects one WeChat account to the core.
type Adapter struct {
	cfg   Config
	core  Core
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

// New prepares an adapter, reading the identities the core keeps; Run
// logs in and serves. cfg is checked with Validate; its zero options take
// their defaults. log is the host's logger for the adapter, already named.
func New(ctx context.Context, cfg Config, core Core, log *slog.Logger, opts ...Option) (*Adapter, error) {
	if core == nil {
		return nil, errors.New("wechat: New needs a core")
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
		o.seed = uint64(o.clock.Now().UnixNano())
	}
	if o.transport == nil {
		o.transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if cfg.LoginFile == "" {
		cfg.LoginFile = core.Path() + ".wechat-login.json"
	}
	if cfg.QRFile == "" {
		cfg.QRFile = core.Path() + ".wechat-qr.png"
	}
	if cfg.SplitLength == 0 {
		cfg.SplitLength = DefaultSplitLength
	}
	a := &Adapter{
		cfg: cfg, core: core, log: log, o: o,
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
	ids, err := loadIdentities(ctx, core)
	if err != nil {
		return nil, err
	}
	a.ids = ids
	return a, nil
}

// LoggedIn reports whether a WeChat session is live.
func (a *Adapter) LoggedIn() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.live != nil
}
