package wechat

import (
	"io"
	"net/http"
	"time"

	"github.com/pulsebot/pulse/calendar"
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
