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
	// Reconcile marks left the present members a complete member list,
	// read at `at`, no longer holds.
	Reconcile(ctx context.Context, group string, listed []bot.Member, at time.Time) (left int, err error)
}

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

	lmu     sync.Mutex
	lists   map[string]*listing // server id → member list still arriving in chunks
	listSeq int                 // numbers the member requests' nonces
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
		people: map[string]*people{}, outbox: map[string][]func(){}, lists: map[string]*listing{},
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
