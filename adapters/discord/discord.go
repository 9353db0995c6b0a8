// Package discord is Pulse's Discord adapter, built on
// github.com/bwmarrin/discordgo. It turns gateway traffic (messages,
// reactions, joins, leaves, member lists, slash commands) into bot.Events,
// answers with the core's replies, rewards levels with roles, and delivers
// the digests the scheduler sends through Send.
//
// Events are handed to the core in gateway order (discordgo's SyncEvents):
// each is submitted without waiting, so the store commits many together,
// and its replies are delivered once it is durably recorded. Each server
// has its own outgoing queue, so replies keep their order within a server
// and a slow or rate-limited server does not hold up the others.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/config"
)

// Platform is the first part of every group key this adapter uses:
// "discord/<server id>".
const Platform = "discord"

// Defaults of the options whose zero value in Config means
// "the default".
const (
	DefaultPrefix         = "!"
	DefaultRESTURL        = "https://discord.com"
	DefaultDigestInterval = time.Second
	// DefaultDeferAfter is how long an interaction waits for the core
	// before it is acknowledged with a deferred response (Discord allows
	// 3 seconds for the first response, gateway and REST latency included).
	DefaultDeferAfter = 1500 * time.Millisecond
)

// Intents returns the gateway intents the adapter asks for: servers,
// server messages, server members (joins, leaves and member lists),
// reactions, and message content if messageContent is set. Server members
// and message content are privileged: they must be switched on in the
// developer portal too.
func Intents(messageContent bool) discordgo.Intent {
	i := discordgo.IntentGuilds | discordgo.IntentGuildMessages | discordgo.IntentGuildMembers |
		discordgo.IntentGuildMessageReactions
	if messageContent {
		i |= discordgo.IntentMessageContent
	}
	return i
}

// InvitePermissions are the permissions the bot is invited with: View
// Channel, Send Messages, Embed Links, Attach Files, Read Message History,
// Add Reactions, Manage Roles and Use Application Commands (2416036928).
const InvitePermissions int64 = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionEmbedLinks | discordgo.PermissionAttachFiles | discordgo.PermissionReadMessageHistory |
	discordgo.PermissionAddReactions | discordgo.PermissionManageRoles | discordgo.PermissionUseApplicationCommands

// InviteURL returns the URL that adds the bot to a server with the
// permissions it needs and the scope for slash commands.
func InviteURL(applicationID string) string {
	return fmt.Sprintf("https://discord.com/oauth2/authorize?client_id=%s&scope=bot+applications.commands&permissions=%d",
		url.QueryEscape(applicationID), InvitePermissions)
}

// Core is what the adapter needs of the bot (*bot.Bot implements it).
type Core interface {
	// Submit queues an event; the Pending gives its replies once committed.
	Submit(context.Context, bot.Event) (*bot.Pending, error)
	// Group returns a group's settings (locale, rules).
	Group(key string) bot.GroupSettings
	// Members lists a group's members with their levels ("/roles sync").
	Members(ctx context.Context, group string, at time.Time) ([]bot.MemberRow, error)
}

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

// Adapter connects one Discord bot (one gateway shard) to the core.
type Adapter struct {
	cfg    Config
	core   Core
	log    *slog.Logger
	o      options
	s      *discordgo.Session
	prefix string
	only   map[string]bool           // servers served; nil: all
	guilds map[string]*guildSettings // per-server settings, by server id
	pace   pacer

	running atomic.Bool
	closing atomic.Bool
	// gate is held shared while a handler hands work on and exclusively
	// while shutting down, so nothing is queued after the queues close.
	gate  sync.RWMutex
	queue chan queued // events waiting for their commit, in gateway order
	work  sync.WaitGroup
	bg    context.Context // outlives Run's ctx by the shutdown grace
	stop  context.CancelFunc

	mu         sync.Mutex
	appID      string
	botID      string
	registered map[string]bool      // scopes ("" global) whose commands are registered
	dms        map[string]string    // user id → DM channel id
	reported   map[string]time.Time // role problems already told to admins
	people     map[string]*people   // group key → admins and owners from config

	omu    sync.Mutex
	outbox map[string][]func() // per-server queues of deliveries; present = draining
}

// guildSettings are one server's settings, ready to use.
type guildSettings struct {
	levelUp, digest string
	adminRoles      map[string]bool
	rewards         []reward // by level
	replace         bool
	noXP            map[string]bool
}

type reward struct {
	level int
	role  string
}

type people struct {
	admins, owners map[string]bool
	ownerList      []string
}

// queued is an event on its way to the store and where to answer it.
type queued struct {
	p *bot.Pending
	o origin
}

// origin is where an event came from, for its replies.
type origin struct {
	guild, channel, message string
	member                  bot.Member
}

// New prepares an adapter; Run connects it. cfg is checked with Validate.
// log is the host's logger for this adapter, already named by the host.
func New(cfg Config, core Core, log *slog.Logger, opts ...Option) (*Adapter, error) {
	if core == nil {
		return nil, errors.New("discord: no core")
	}
	if err := config.Check(Platform, cfg); err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	token := strings.TrimSpace(strings.TrimPrefix(cfg.Token, "Bot "))
	if token == "" {
		return nil, errors.New("discord: no token (set discord.token, e.g. to ${DISCORD_TOKEN})")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := options{clock: calendar.System{}, deferAfter: DefaultDeferAfter}
	for _, opt := range opts {
		opt(&o)
	}
	if o.groups == nil {
		o.groups = func(string) config.GroupConfig { return config.GroupConfig{} }
	}
	if o.deferAfter <= 0 || o.deferAfter > 2500*time.Millisecond {
		o.deferAfter = DefaultDeferAfter
	}
	if cfg.RESTURL == "" {
		cfg.RESTURL = DefaultRESTURL
	}
	if cfg.DigestInterval == 0 {
		cfg.DigestInterval = DefaultDigestInterval
	}
	if cfg.SlashCommands == "" {
		cfg.SlashCommands = CommandsGuild
	}
	prefix := cfg.CommandPrefix
	switch prefix {
	case "":
		prefix = DefaultPrefix
	case "off":
		prefix = ""
	}

	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	s.Client = restClient(o.client, cfg.RESTURL)
	s.Dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 30 * time.Second}
	s.Identify.Intents = Intents(cfg.MessageContent)
	s.SyncEvents = true // handlers run in gateway order; they only hand work on
	s.StateEnabled = true
	s.State.MaxMessageCount = 0
	s.State.TrackEmojis, s.State.TrackStickers, s.State.TrackVoice, s.State.TrackPresences = false, false, false, false
	s.State.TrackThreadMembers = false
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	if cfg.ShardCount > 1 {
		s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	}

	a := &Adapter{
		cfg: cfg, core: core, log: log, o: o, s: s, prefix: prefix,
		guilds: map[string]*guildSettings{}, pace: pacer{every: cfg.DigestInterval},
		queue: make(chan queued, 4096), appID: cfg.ApplicationID,
		registered: map[string]bool{}, dms: map[string]string{}, reported: map[string]time.Time{},
		people: map[string]*people{}, outbox: map[string][]func(){},
	}
	a.bg, a.stop = context.WithCancel(context.Background())
	if len(cfg.Guilds) > 0 {
		a.only = map[string]bool{}
		for _, g := range cfg.Guilds {
			a.only[g] = true
		}
	}
	for id, g := range cfg.GuildSettings {
		gs := &guildSettings{levelUp: g.LevelUpChannel, digest: g.DigestChannel, replace: g.RoleMode == RolesReplace,
			adminRoles: set(g.AdminRoles), noXP: set(g.NoXPChannels)}
		for level, role := range g.RoleRewards {
			gs.rewards = append(gs.rewards, reward{level, role})
		}
		sort.Slice(gs.rewards, func(i, j int) bool { return gs.rewards[i].level < gs.rewards[j].level })
		a.guilds[id] = gs
	}

	s.AddHandler(a.onReady)
	s.AddHandler(a.onResumed)
	s.AddHandler(a.onDisconnect)
	s.AddHandler(a.onRateLimit)
	s.AddHandler(a.onGuildCreate)
	s.AddHandler(a.onMembersChunk)
	s.AddHandler(a.onMessage)
	s.AddHandler(a.onMemberAdd)
	s.AddHandler(a.onMemberRemove)
	s.AddHandler(a.onInteraction)
	s.AddHandler(a.onRaw)
	return a, nil
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Run connects to the gateway and serves until ctx ends; discordgo
// reconnects (resuming the session) after the connection drops. When ctx
// ends Run closes the session, delivers the replies of the events already
// handed to the core (for a few seconds at most) and returns nil. It
// returns an error if Discord refuses the bot for good (a bad token,
// intents not enabled in the developer portal).
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	done := make(chan struct{})
	go a.commits(done)
	err := a.connect(ctx)
	if err == nil {
		a.log.Info("serving", "intents", int64(a.s.Identify.Intents), "shard", a.cfg.ShardID, "shards", max(a.cfg.ShardCount, 1))
		<-ctx.Done()
	}
	a.shutdown(done)
	return err
}

// connect opens the gateway connection, retrying with backoff until it
// works, ctx ends (nil) or Discord refuses the bot for good.
func (a *Adapter) connect(ctx context.Context) error {
	wait := time.Second
	for {
		err := a.s.Open()
		if err == nil {
			return nil
		}
		if hint := fatal(err); hint != "" {
			a.log.Error("cannot connect", "err", err, "hint", hint)
			return fmt.Errorf("discord: connect: %w (%s)", err, hint)
		}
		a.log.Warn("cannot connect, will retry", "err", err, "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, 2*time.Minute)
	}
}

// fatal explains errors that retrying cannot fix; "" for the others.
func fatal(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return "Discord rejected the token: copy it again from the developer portal (Bot → Reset Token)"
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return "Discord rejected the token: copy it again from the developer portal (Bot → Reset Token)"
		case 4010, 4011:
			return "wrong sharding: set discord.shard_id and discord.shard_count (Discord asks for more shards)"
		case 4012:
			return "Discord no longer accepts this gateway version: upgrade Pulse"
		case 4013:
			return "invalid intents"
		case 4014:
			return "switch on the Server Members Intent (and the Message Content Intent if discord.message_content is true) in the developer portal, Bot page"
		}
	}
	return ""
}

// shutdown closes the session and drains the queues.
func (a *Adapter) shutdown(done <-chan struct{}) {
	a.closing.Store(true)
	a.s.Lock()
	a.s.ShouldReconnectOnError = false
	a.s.Unlock()
	if err := a.s.Close(); err != nil {
		a.log.Warn("close", "err", err)
	}
	a.gate.Lock() // wait for handlers still handing work on
	close(a.queue)
	a.gate.Unlock()
	<-done
	finished := make(chan struct{})
	go func() { a.work.Wait(); close(finished) }()
	t := time.NewTimer(10 * time.Second)
	select {
	case <-finished:
		t.Stop()
	case <-t.C:
		a.log.Warn("replies still being delivered at shutdown were abandoned")
		a.stop()
		<-finished
	}
	a.stop()
	a.log.Info("stopped")
}

// handOn runs f unless the adapter is shutting down, in which case the
// event is dropped (Discord replays what a new session needs).
func (a *Adapter) handOn(f func()) bool {
	a.gate.RLock()
	defer a.gate.RUnlock()
	if a.closing.Load() {
		return false
	}
	f()
	return true
}

// spawn runs f in the background, accounted for at shutdown.
func (a *Adapter) spawn(name string, f func()) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		defer a.recover(name)
		f()
	}()
}

// recover logs a panic instead of crashing the process: discordgo does
// not recover panics in handlers.
func (a *Adapter) recover(what string) {
	if r := recover(); r != nil {
		a.log.Error("panic", "in", what, "panic", r, "stack", string(debug.Stack()))
	}
}

// enqueue submits an event to the core and queues it for its replies.
func (a *Adapter) enqueue(ev bot.Event, o origin) {
	a.handOn(func() {
		p, err := a.core.Submit(a.bg, ev)
		if err != nil {
			a.log.Warn("event refused by the core", "kind", ev.Kind, "group", ev.Group, "id", ev.ID, "err", err)
			return
		}
		a.queue <- queued{p, o}
	})
}

// commits waits for each queued event's commit, in order, and hands its
// replies to the server's outbox.
func (a *Adapter) commits(done chan<- struct{}) {
	defer close(done)
	for q := range a.queue {
		replies, err := q.p.Wait(a.bg)
		if err != nil {
			a.log.Error("event not recorded", "group", groupKey(q.o.guild), "err", err)
			continue
		}
		if len(replies) > 0 {
			a.deliver(q.o, replies)
		}
	}
}

// post queues f on a server's outbox. Each server's deliveries run one at
// a time, in order.
func (a *Adapter) post(guild string, f func()) {
	a.omu.Lock()
	defer a.omu.Unlock()
	q, draining := a.outbox[guild]
	a.outbox[guild] = append(q, f)
	if !draining {
		a.spawn("outbox", func() { a.drain(guild) })
	}
}

func (a *Adapter) drain(guild string) {
	for {
		a.omu.Lock()
		q := a.outbox[guild]
		if len(q) == 0 {
			delete(a.outbox, guild)
			a.omu.Unlock()
			return
		}
		f := q[0]
		q[0] = nil
		a.outbox[guild] = q[1:]
		a.omu.Unlock()
		func() {
			defer a.recover("delivery")
			f()
		}()
	}
}

// serves reports whether Pulse serves a server: listed (or no list), and
// on this process's shard.
func (a *Adapter) serves(guild string) bool {
	if guild == "" || a.only != nil && !a.only[guild] {
		return false
	}
	if a.cfg.ShardCount > 1 {
		id, err := parseSnowflake(guild)
		if err != nil || int((id>>22)%uint64(a.cfg.ShardCount)) != a.cfg.ShardID {
			return false
		}
	}
	return true
}

func (a *Adapter) guild(id string) *guildSettings {
	if g := a.guilds[id]; g != nil {
		return g
	}
	return &guildSettings{}
}

func groupKey(guild string) string { return Platform + "/" + guild }

// guildOf returns the server id of a group key.
func guildOf(key string) (string, bool) {
	platform, id, ok := strings.Cut(key, "/")
	if !ok || platform != Platform || id == "" {
		return "", false
	}
	if _, err := parseSnowflake(id); err != nil {
		return "", false
	}
	return id, true
}

// ids returns the bot's user id and the application id.
func (a *Adapter) ids() (botID, appID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID, a.appID
}

// peopleOf returns a group's configured admins and owners.
func (a *Adapter) peopleOf(key string) *people {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p := a.people[key]; p != nil {
		return p
	}
	g := a.o.groups(key)
	p := &people{admins: set(g.Admins), owners: set(g.Owners), ownerList: slices.Clone(g.Owners)}
	a.people[key] = p
	return p
}

// locale returns a group's locale.
func (a *Adapter) locale(key string) string { return a.core.Group(key).Locale }

// --- lifecycle handlers ---

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer a.recover("READY")
	a.mu.Lock()
	if r.User != nil {
		a.botID = r.User.ID
	}
	if a.appID == "" && r.Application != nil {
		a.appID = r.Application.ID
	}
	appID := a.appID
	a.mu.Unlock()
	name := ""
	if r.User != nil {
		name = r.User.Username
	}
	a.log.Info("connected", "bot", name, "guilds", len(r.Guilds), "application", appID)
	switch a.cfg.SlashCommands {
	case CommandsGlobal:
		a.register("")
	case CommandsGuild:
		a.clearGlobal()
	}
}

func (a *Adapter) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	a.log.Info("session resumed")
}

func (a *Adapter) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	if !a.closing.Load() {
		a.log.Warn("gateway connection lost; reconnecting")
	}
}

func (a *Adapter) onRateLimit(_ *discordgo.Session, r *discordgo.RateLimit) {
	if r.TooManyRequests != nil {
		a.log.Warn("rate limited; retrying", "url", r.URL, "retry_after", r.RetryAfter)
	}
}

// pacer spaces unsolicited posts by a minimum interval.
type pacer struct {
	mu    sync.Mutex
	next  time.Time
	every time.Duration
}

// wait blocks until the caller's turn; the turn is lost if ctx ends.
// Pacing runs on the wall clock: it spaces real sends, which timers wait for.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.every)
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
