// Package discordtest is a loopback fake of Discord for tests, the way
// net/http/httptest serves net/http: an httptest server that speaks enough
// of the gateway (Hello, Identify → READY and GUILD_CREATE, heartbeats,
// RESUME → replay and RESUMED, member chunks, dispatches) and of the REST
// API (gateway URL, messages with files, interaction callbacks and
// webhooks, member roles, direct message channels, slash command
// registration) to run a real discordgo session against it.
//
// Point a client at it by sending requests for https://discord.com to
// Server.URL (an http.Client whose Transport rewrites scheme and host);
// GET /api/v9/gateway then returns the fake's websocket URL. Every REST
// request is recorded for assertions, and failures (429 with retry_after,
// 403 Missing Permissions, ...) can be injected per route.
//
// The fake holds one gateway session at a time, like one bot shard.
package discordtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure NewServer.
type Options struct {
	Token string // the bot token, without "Bot "; default "test-token"
	Bot   User   // the bot's user; default id 900000000000000001, "Pulse"
	AppID string // default 900000000000000002
	// Guilds the bot is in, sent as GUILD_CREATE after READY.
	Guilds []Guild
	// Clock stamps ids (snowflakes) and message timestamps; default
	// time.Now.
	Clock func() time.Time
	// HeartbeatInterval sent in Hello; default 41.25s.
	HeartbeatInterval time.Duration
	// InteractionDeadline is how long an interaction waits for its
	// callback; default 3s, as on Discord.
	InteractionDeadline time.Duration
	// DeniedIntents are privileged intents not enabled in the "developer
	// portal": identifying with them closes the connection with 4014.
	DeniedIntents int64
	// EventLog is how many dispatches (at least) are kept for RESUME;
	// default 100000.
	EventLog int
	// ChunkSize is how many members a GUILD_MEMBERS_CHUNK carries;
	// default 1000, as on Discord.
	ChunkSize int
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake (scheme and host), to use in place
	// of https://discord.com.
	URL   string
	Token string
	Bot   User
	AppID string

	o   Options
	srv *httptest.Server

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every recorded change
	guilds       map[string]*Guild
	order        []string
	requests     []Request
	failures     []*Failure
	dms          map[string]string // DM channel id → user id
	interactions map[string]*interaction
	lastID       uint64
	gw           gatewayStats
	lostChunks   map[int]bool // chunk indexes the next member request loses

	dmu  sync.Mutex // orders dispatches; held while writing them
	sess *session
	conn *conn
}

// NewServer starts a fake; Close stops it.
func NewServer(o Options) *Server {
	if o.Token == "" {
		o.Token = "test-token"
	}
	if o.Bot.ID == "" {
		o.Bot = User{ID: "900000000000000001", Username: "Pulse", Bot: true}
	}
	if o.AppID == "" {
		o.AppID = "900000000000000002"
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = 41250 * time.Millisecond
	}
	if o.InteractionDeadline <= 0 {
		o.InteractionDeadline = 3 * time.Second
	}
	if o.EventLog <= 0 {
		o.EventLog = 100000
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = 1000
	}
	s := &Server{
		Token: o.Token, Bot: o.Bot, AppID: o.AppID, o: o,
		changed: make(chan struct{}), guilds: map[string]*Guild{}, dms: map[string]string{},
		interactions: map[string]*interaction{},
	}
	for _, g := range o.Guilds {
		g := cloneGuild(g)
		s.guilds[g.ID] = &g
		s.order = append(s.order, g.ID)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	mux.HandleFunc("/api/", s.serveREST)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close drops the gateway connection and stops the server.
func (s *Server) Close() {
	s.Drop()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// GatewayURL is the websocket URL GET /api/v9/gateway returns.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway" }

// NewID returns a new snowflake stamped with the clock's time.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newID()
}

func (s *Server) newID() string {
	ms := s.o.Clock().UnixMilli() - 1420070400000
	if ms < 0 {
		ms = 0
	}
	id := uint64(ms) << 22
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return strconv.FormatUint(id, 10)
}

// notify wakes waiters; s.mu is held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond (called with s.mu held) is true or ctx ends.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
