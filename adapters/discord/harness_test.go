package discord_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/discord"
	"github.com/pulsebot/pulse/adapters/discord/discordtest"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/config"
	"github.com/pulsebot/pulse/store"
)

// The test server's ids.
const (
	guildID = "100000000000000001"

	ownerID    = "200000000000000001" // owns the server
	modID      = "200000000000000002" // has the Mod role (Manage Server)
	aliceID    = "200000000000000003"
	bobID      = "200000000000000004"
	carolID    = "200000000000000005" // never speaks
	everyoneID = "200000000000000006" // nicknamed "@everyone"
	otherBotID = "200000000000000007" // another bot
	cfgAdminID = "200000000000000008" // admin through groups: admins
	daveID     = "200000000000000009" // joins later
	syncerID   = "200000000000000010" // only sends the tests' sync messages

	modRole     = "300000000000000001"
	rewardRole1 = "300000000000000002"
	rewardRole2 = "300000000000000003"
	botRole     = "300000000000000004"
	adminRole   = "300000000000000005" // configured admin_roles

	general  = "400000000000000001"
	levelups = "400000000000000002"
	digests  = "400000000000000003"
	quiet    = "400000000000000004" // no XP
	thread   = "400000000000000005" // a thread in the quiet channel
)

var start = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// clock is the test's calendar.Clock; the fake stamps ids with it too.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func user(id, name string) discordtest.User { return discordtest.User{ID: id, Username: name} }

var (
	alice    = user(aliceID, "alice")
	bob      = user(bobID, "bob")
	carol    = user(carolID, "carol")
	owner    = user(ownerID, "olivia")
	mod      = user(modID, "mo")
	cfgAdmin = user(cfgAdminID, "ada")
	everyone = user(everyoneID, "evie")
	otherBot = discordtest.User{ID: otherBotID, Username: "otherbot", Bot: true}
	pulseBot = discordtest.User{ID: "900000000000000001", Username: "Pulse", Bot: true}
	syncer   = user(syncerID, "syncer")
)

// testGuild is the server the fake serves.
func testGuild() discordtest.Guild {
	member := func(u discordtest.User, nick string, roles ...string) discordtest.Member {
		return discordtest.Member{User: u, Nick: nick, Roles: roles, JoinedAt: start.AddDate(0, -1, 0)}
	}
	return discordtest.Guild{
		ID: guildID, Name: "Pulse Club", OwnerID: ownerID, SystemChannelID: general,
		Roles: []discordtest.Role{
			{ID: guildID, Name: "@everyone", Permissions: discordtest.PermViewChannel | discordtest.PermSendMessages},
			{ID: modRole, Name: "Mod", Permissions: discordtest.PermManageGuild, Position: 3},
			{ID: rewardRole1, Name: "Level 1", Position: 1},
			{ID: rewardRole2, Name: "Level 2", Position: 2},
			{ID: botRole, Name: "Pulse", Permissions: discordtest.PermManageRoles, Position: 5},
			{ID: adminRole, Name: "Helpers", Position: 4},
		},
		Channels: []discordtest.Channel{
			{ID: general, Name: "general"}, {ID: levelups, Name: "level-ups"}, {ID: digests, Name: "digest"},
			{ID: quiet, Name: "quiet"}, {ID: thread, Name: "a thread", Type: 11, ParentID: quiet},
		},
		Members: []discordtest.Member{
			member(owner, ""), member(mod, "Mo", modRole), member(alice, ""), member(bob, "Bobby"), member(carol, ""),
			member(everyone, "@everyone"), member(otherBot, ""), member(cfgAdmin, ""), member(pulseBot, "", botRole), member(syncer, ""),
		},
	}
}

// setup is what a test may change before the harness starts.
type setup struct {
	cfg   discord.Config
	rules growth.Rules
	fake  discordtest.Options
	opts  []discord.Option
	// noWait skips waiting for the connection (for tests of failures).
	noWait bool
}

type harness struct {
	t     testing.TB
	srv   *discordtest.Server
	db    *store.DB
	bot   *bot.Bot
	a     *discord.Adapter
	clock *clock
	log   *syncBuffer
	done  chan error
	stop  context.CancelFunc
	syncs int64
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newHarness starts a fake Discord, a real store and core, and the
// adapter, connected. Everything stops when the test ends.
func newHarness(t testing.TB, changes ...func(*setup)) *harness {
	t.Helper()
	clk := &clock{t: start}
	st := &setup{
		cfg: discord.Config{
			Enabled: true, MessageContent: true, DigestInterval: 20 * time.Millisecond,
			GuildSettings: map[string]discord.GuildConfig{guildID: {
				LevelUpChannel: levelups, DigestChannel: digests, AdminRoles: []string{adminRole},
				RoleRewards: map[int]string{1: rewardRole1, 2: rewardRole2}, NoXPChannels: []string{quiet},
			}},
		},
		rules: growth.Default(),
		fake:  discordtest.Options{Guilds: []discordtest.Guild{testGuild()}, Clock: clk.Now},
	}
	for _, c := range changes {
		c(st)
	}
	srv := discordtest.NewServer(st.fake)
	t.Cleanup(srv.Close)
	st.cfg.Token, st.cfg.RESTURL = srv.Token, srv.URL

	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rules := st.rules
	b := bot.New(db, bot.Options{Clock: clk, Seed: 1, Settings: func(string) bot.GroupSettings {
		s := bot.DefaultSettings()
		s.Rules = rules
		return s
	}})
	groups := func(key string) config.GroupConfig {
		if key == "discord/"+guildID {
			return config.GroupConfig{Admins: []string{cfgAdminID}, Owners: []string{ownerID}}
		}
		return config.GroupConfig{}
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := append([]discord.Option{discord.WithGroupConfig(groups), discord.WithClock(clk)}, st.opts...)
	a, err := discord.New(st.cfg, b, log, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, srv: srv, db: db, bot: b, a: a, clock: clk, log: logs, done: make(chan error, 1), stop: cancel}
	go func() { h.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-h.done:
			if err != nil && !st.noWait {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("Run did not return after its context ended")
		}
		if t.Failed() {
			t.Logf("adapter log:\n%s", logs.String())
		}
	})
	if !st.noWait {
		h.waitGateway("connected", func(s discordtest.GatewayStats) bool { return s.Live })
		if st.cfg.SlashCommands == "" || st.cfg.SlashCommands == discord.CommandsGuild {
			h.waitRequest("slash commands registered", "PUT", "/api/v9/applications/*/guilds/"+guildID+"/commands")
		}
	}
	return h
}

const patience = 10 * time.Second

// eventually polls cond until it holds.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (h *harness) waitGateway(what string, cond func(discordtest.GatewayStats) bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := h.srv.WaitGateway(ctx, cond); err != nil {
		h.t.Fatalf("timed out waiting for %s: %+v", what, h.srv.Stats())
	}
}

// waitRequest waits for a successful request to a route.
func (h *harness) waitRequest(what, method, pattern string, also ...func(discordtest.Request) bool) discordtest.Request {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	r, err := h.srv.WaitRequest(ctx, func(r discordtest.Request) bool {
		if !r.Match(method, pattern) {
			return false
		}
		for _, f := range also {
			if !f(r) {
				return false
			}
		}
		return true
	})
	if err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
	return r
}

const key = "discord/" + guildID

// day returns a member's aggregate for the clock's day.
func (h *harness) day(id string) store.DayAgg {
	h.t.Helper()
	var a store.DayAgg
	err := h.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(key)
		if err != nil || g == nil {
			return err
		}
		d, err := g.Day(calendar.DayOf(h.clock.Now(), time.UTC), id)
		if d != nil {
			a = *d
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// groupDay returns the group's sums for the clock's day.
func (h *harness) groupDay() store.GroupDay {
	h.t.Helper()
	var s store.GroupDay
	err := h.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(key)
		if err != nil || g == nil {
			return err
		}
		d, err := g.GroupDay(calendar.DayOf(h.clock.Now(), time.UTC))
		if d != nil {
			s = *d
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// members returns the group's members by id (empty before any event).
func (h *harness) members() map[string]bot.MemberRow {
	h.t.Helper()
	rows, err := h.bot.Members(context.Background(), key, h.clock.Now())
	if errors.Is(err, bot.ErrNoGroup) {
		return map[string]bot.MemberRow{}
	}
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]bot.MemberRow{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out
}

// say posts a message in a channel.
func (h *harness) say(u discordtest.User, channel, text string) discordtest.Message {
	return h.srv.MessageCreate(discordtest.Message{ChannelID: channel, Author: u, Content: text})
}

// sync sends a message from a member who says nothing else and waits
// until it is recorded: every event dispatched before it has then been
// handled (the gateway and the core keep their order).
func (h *harness) sync() {
	h.t.Helper()
	h.syncs++
	n := h.syncs
	h.say(syncer, general, "sync "+h.srv.NewID())
	h.eventually("the sync message", func() bool { return h.day(syncerID).Messages == n })
}

// slash runs a slash command and returns the callback Discord received.
func (h *harness) slash(u discordtest.User, name string, opts ...discordtest.Option) (discordtest.Interaction, discordtest.Request) {
	h.t.Helper()
	in := h.srv.InteractionCreate(discordtest.Interaction{ChannelID: general, User: u, Name: name, Options: opts})
	cb := h.waitRequest("/"+name+" callback", "POST", "/api/v9/interactions/"+in.ID+"/*/callback")
	return in, cb
}

// answer returns the text an interaction was answered with: the callback's
// content, or the edit of a deferred response.
func (h *harness) answer(in discordtest.Interaction, cb discordtest.Request) (text string, flags int) {
	h.t.Helper()
	var body struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
			Flags   int    `json:"flags"`
		} `json:"data"`
	}
	if err := cb.Decode(&body); err != nil {
		h.t.Fatal(err)
	}
	if body.Type == 4 {
		return body.Data.Content, body.Data.Flags
	}
	if body.Type != 5 {
		h.t.Fatalf("callback type %d", body.Type)
	}
	edit := h.waitRequest("edit of the deferred response", "PATCH", "/api/v9/webhooks/*/"+in.Token+"/messages/@original")
	var e struct {
		Content string `json:"content"`
	}
	if err := edit.Decode(&e); err != nil {
		h.t.Fatal(err)
	}
	return e.Content, body.Data.Flags
}

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
