package discord

import (
	"net/http"
	"time"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/config"
)

// Option configures New.
type Option func(*options)

type options struct {
	groups     func(key string) config.GroupConfig
	clock      calendar.Clock
	client     *http.Client
	deferAfter time.Duration
}

// WithGroupConfig gives the shared per-group settings (config.Config.Group):
// the admins and owners listed for "discord/<server id>". Without it only
// Discord's own roles and permissions make admins and owners.
func WithGroupConfig(f func(key string) config.GroupConfig) Option {
	return func(o *options) { o.groups = f }
}

// WithClock sets the clock used where Discord gives no time (reactions,
// leaves) and by "/roles sync"; default the system clock.
func WithClock(c calendar.Clock) Option { return func(o *options) { o.clock = c } }

// WithHTTPClient sets the HTTP client for REST calls. Its Transport is
// wrapped to apply rest_url; default a client with a 30 s timeout.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// WithDeferAfter sets how long an interaction waits for the core's answer
// before it is deferred; default DefaultDeferAfter. It must stay well
// under Discord's 3 seconds.
func WithDeferAfter(d time.Duration) Option { return func(o *options) { o.deferAfter = d } }
