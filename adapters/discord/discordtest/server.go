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
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gateway intents the fake knows about (Discord's bit values).
const (
	IntentGuilds                = 1 << 0
	IntentGuildMembers          = 1 << 1
	IntentGuildMessages         = 1 << 9
	IntentGuildMessageReactions = 1 << 10
	IntentMessageContent        = 1 << 15

	// PrivilegedIntents must be allowed in the developer portal.
	PrivilegedIntents = IntentGuildMembers | IntentMessageContent | 1<<8
)

// Permission bits used by the fake.
const (
	PermAdministrator = 1 << 3
	PermManageGuild   = 1 << 5
	PermViewChannel   = 1 << 10
	PermSendMessages  = 1 << 11
	PermManageRoles   = 1 << 28
	permAll           = 1<<50 - 1
)

// Discord's error codes the fake answers with.
const (
	CodeUnknownChannel      = 10003
	CodeUnknownGuild        = 10004
	CodeUnknownMember       = 10007
	CodeUnknownRole         = 10011
	CodeUnknownWebhook      = 10015
	CodeUnknownInteraction  = 10062
	CodeAlreadyAcknowledged = 40060
	CodeMissingAccess       = 50001
	CodeCannotDM            = 50007
	CodeMissingPermissions  = 50013
	CodeInvalidFormBody     = 50035
)

// User is a Discord user.
type User struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	GlobalName string `json:"global_name,omitempty"`
	Bot        bool   `json:"bot,omitempty"`
}

// Role is a server role; the role whose id is the server's id is @everyone.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Permissions int64  `json:"permissions,string"`
	Position    int    `json:"position"`
}

// Channel is a server channel (type 0 text, 11 public thread).
type Channel struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     int    `json:"type"`
	ParentID string `json:"parent_id,omitempty"`
	GuildID  string `json:"guild_id,omitempty"`
}

// Member is a user in a server.
type Member struct {
	User     User      `json:"user"`
	Nick     string    `json:"nick,omitempty"`
	Roles    []string  `json:"roles"`
	JoinedAt time.Time `json:"joined_at"`
}

// Guild is a server as the fake knows it.
type Guild struct {
	ID              string
	Name            string
	OwnerID         string
	SystemChannelID string
	Roles           []Role
	Channels        []Channel
	Members         []Member
	// InitialMembers is how many members GUILD_CREATE carries (like a
	// large server); the rest come as GUILD_MEMBERS_CHUNK when asked for
	// with op 8. 0: all.
	InitialMembers int
}

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

	dmu  sync.Mutex // orders dispatches; held while writing them
	sess *session
	conn *conn
}

type interaction struct {
	token   string
	created time.Time
	acked   bool
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

// Request is a REST request the fake received.
type Request struct {
	Method string
	Path   string // e.g. /api/v9/channels/1/messages
	Query  url.Values
	Header http.Header
	// Body is the JSON body, or the payload_json part of a multipart body.
	Body  []byte
	Files []File
	// Status is the status the fake answered with.
	Status int
	Time   time.Time
}

// File is a file uploaded with a multipart request.
type File struct {
	Field, Name, ContentType string
	Data                     []byte
}

// Decode decodes the JSON body into v.
func (r Request) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// JSON returns the body decoded as a JSON object (nil if it is not one).
func (r Request) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return nil
	}
	return m
}

// Match reports whether the request has the method and a path matching
// pattern, in which "*" stands for one path segment.
func (r Request) Match(method, pattern string) bool {
	return (method == "" || r.Method == method) && matchPath(pattern, r.Path)
}

func matchPath(pattern, p string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(p, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// Requests returns every request so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Find returns the requests with the method (any if "") whose path
// matches pattern ("*" for one segment), oldest first.
func (s *Server) Find(method, pattern string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Match(method, pattern) {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequest waits for a successful (2xx) request, old or new, for which
// match is true.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var found Request
	err := s.wait(ctx, func() bool {
		for _, r := range s.requests {
			if r.Status < 300 && match(r) {
				found = r
				return true
			}
		}
		return false
	})
	if err != nil {
		return Request{}, fmt.Errorf("discordtest: no such request: %w", err)
	}
	return found, nil
}

// Failure is an injected REST failure: the next Times requests (1 if 0;
// all if negative) matching Method and Path ("*" for one segment) get
// Status, with Code and Message in the body. A Status of 429 also sets
// retry_after and the rate limit headers from RetryAfter.
type Failure struct {
	Method     string
	Path       string
	Status     int
	Code       int
	Message    string
	RetryAfter time.Duration
	Global     bool
	Times      int
}

// Fail injects a failure.
func (s *Server) Fail(f Failure) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &f)
}

// RateLimit makes the next request matching method and path answer 429
// with retry_after.
func (s *Server) RateLimit(method, path string, retryAfter time.Duration) {
	s.Fail(Failure{Method: method, Path: path, Status: http.StatusTooManyRequests, RetryAfter: retryAfter,
		Message: "You are being rate limited."})
}

// ForbidRoles makes adding roles in a server fail with 403 Missing
// Permissions (50013), as when the bot lacks Manage Roles or the role is
// above the bot's, until times requests have failed (all if negative).
func (s *Server) ForbidRoles(guild string, times int) {
	s.Fail(Failure{Method: http.MethodPut, Path: "/api/v9/guilds/" + guild + "/members/*/roles/*", Status: http.StatusForbidden,
		Code: CodeMissingPermissions, Message: "Missing Permissions", Times: times})
}

// takeFailure returns the failure for a request, if one is due; s.mu held.
func (s *Server) takeFailure(method, p string) *Failure {
	for i, f := range s.failures {
		if (f.Method == "" || f.Method == method) && matchPath(f.Path, p) {
			cp := *f
			if f.Times > 0 {
				f.Times--
				if f.Times == 0 {
					s.failures = slices.Delete(s.failures, i, i+1)
				}
			}
			return &cp
		}
	}
	return nil
}

// MemberRoles returns a member's roles as the fake has them.
func (s *Server) MemberRoles(guild, user string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guild]; g != nil {
		if m := findMember(g, user); m != nil {
			return slices.Clone(m.Roles)
		}
	}
	return nil
}

// Permissions computes a member's server permissions from the roles, as
// Discord sends them with interactions: the owner and Administrator have
// all.
func (s *Server) Permissions(guild, user string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.permissions(guild, user)
}

func (s *Server) permissions(guild, user string) int64 {
	g := s.guilds[guild]
	if g == nil {
		return 0
	}
	if g.OwnerID == user {
		return permAll
	}
	m := findMember(g, user)
	var p int64
	for _, r := range g.Roles {
		if r.ID == g.ID || m != nil && slices.Contains(m.Roles, r.ID) {
			p |= r.Permissions
		}
	}
	if p&PermAdministrator != 0 {
		return permAll
	}
	return p
}

func findMember(g *Guild, user string) *Member {
	for i := range g.Members {
		if g.Members[i].User.ID == user {
			return &g.Members[i]
		}
	}
	return nil
}

func cloneGuild(g Guild) Guild {
	g.Roles = slices.Clone(g.Roles)
	g.Channels = slices.Clone(g.Channels)
	g.Members = slices.Clone(g.Members)
	for i := range g.Members {
		g.Members[i].Roles = slices.Clone(g.Members[i].Roles)
	}
	return g
}

// channelGuild returns the server of a channel ("" for DM channels) and
// whether the channel exists; s.mu held.
func (s *Server) channelGuild(id string) (string, bool) {
	if _, ok := s.dms[id]; ok {
		return "", true
	}
	for _, g := range s.guilds {
		for _, c := range g.Channels {
			if c.ID == id {
				return g.ID, true
			}
		}
	}
	return "", false
}
