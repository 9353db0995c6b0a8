package discord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/discord"
	"github.com/pulsebot/pulse/adapters/discord/discordtest"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/store"
)

func TestIdentify(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	st := h.srv.Stats()
	want := int64(discordtest.IntentGuilds | discordtest.IntentGuildMembers | discordtest.IntentGuildMessages |
		discordtest.IntentGuildMessageReactions | discordtest.IntentMessageContent)
	if st.Intents != want {
		t.Errorf("intents = %b, want %b", st.Intents, want)
	}
	if st.Heartbeats < 1 {
		h.waitGateway("a heartbeat", func(s discordtest.GatewayStats) bool { return s.Heartbeats >= 1 })
	}
	// Commands are per server: stale global ones are removed.
	h.waitRequest("global commands cleared", "PUT", "/api/v9/applications/"+h.srv.AppID+"/commands", func(r discordtest.Request) bool {
		return string(bytes.TrimSpace(r.Body)) == "[]"
	})
	// Every command the core has, and the admin's /roles.
	put := h.srv.Find("PUT", "/api/v9/applications/*/guilds/"+guildID+"/commands")[0]
	var cmds []struct {
		Name    string `json:"name"`
		Options []struct {
			Name string `json:"name"`
		} `json:"options"`
	}
	if err := put.Decode(&cmds); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	for _, n := range []string{"checkin", "makeup", "me", "top", "help", "stats", "goal", "grant", "deduct", "roles"} {
		if !slices.Contains(names, n) {
			t.Errorf("slash command %s not registered (got %v)", n, names)
		}
	}
}

func TestMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name     string
		msg      discordtest.Message
		who      string
		messages int64
		xp       bool
	}{
		{"earns XP", discordtest.Message{ChannelID: general, Author: alice, Content: "good morning everyone"}, aliceID, 1, true},
		{"no-XP channel counts without XP", discordtest.Message{ChannelID: quiet, Author: bob, Content: "hello from the quiet room"}, bobID, 1, false},
		{"a thread follows its channel", discordtest.Message{ChannelID: thread, Author: cfgAdmin, Content: "a thought in a thread"}, cfgAdminID, 1, false},
		{"bots are not counted", discordtest.Message{ChannelID: general, Author: otherBot, Content: "beep boop beep"}, otherBotID, 0, false},
		{"webhooks are not counted", discordtest.Message{ChannelID: general, Author: user(modID, "mo"), WebhookID: "555", Content: "from a webhook"}, modID, 0, false},
		{"system messages are not counted", discordtest.Message{ChannelID: general, Author: everyone, Type: 7}, everyoneID, 0, false},
	}
	for _, tc := range tests {
		h.srv.MessageCreate(tc.msg)
	}
	h.sync()
	rows := h.members()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.day(tc.who).Messages; got != tc.messages {
				t.Errorf("messages = %d, want %d", got, tc.messages)
			}
			if got := rows[tc.who].XP; (got > 0) != tc.xp || tc.xp && (got < 15 || got > 25) {
				t.Errorf("XP = %d, want XP: %v", got, tc.xp)
			}
		})
	}
	if r := rows[bobID]; r.Name != "Bobby" {
		t.Errorf("bob's name = %q, want his nickname", r.Name)
	}
}

func TestInteractionsCount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.say(alice, general, "who wants to review my patch?")
	bot0 := h.srv.MessageCreate(discordtest.Message{ChannelID: general, Author: pulseBot, Content: "🎉 a level-up"})
	h.srv.MessageCreate(discordtest.Message{ChannelID: general, Author: bob, Content: "me! sending comments", ReferencedMessage: &a, Mentions: []discordtest.User{alice}})
	h.srv.MessageCreate(discordtest.Message{ChannelID: general, Author: carol, Content: "thanks, Pulse", ReferencedMessage: &bot0})
	h.srv.ReactionAdd(discordtest.Reaction{ChannelID: general, MessageID: a.ID, UserID: carolID, MessageAuthorID: aliceID})
	h.srv.ReactionAdd(discordtest.Reaction{ChannelID: general, MessageID: a.ID, UserID: bobID, MessageAuthorID: aliceID, Emoji: "🔥"})
	h.srv.ReactionAdd(discordtest.Reaction{ChannelID: general, MessageID: a.ID, UserID: otherBotID, MessageAuthorID: aliceID})
	h.sync()

	al, b, c := h.day(aliceID), h.day(bobID), h.day(carolID)
	if b.RepliesGiven != 1 || al.RepliesRecv != 1 || b.Interactive != 1 {
		t.Errorf("reply: bob gave %d (interactive %d), alice received %d; want 1, 1, 1", b.RepliesGiven, b.Interactive, al.RepliesRecv)
	}
	if b.MentionsGiven != 0 {
		t.Errorf("a reply's ping counted as a mention too: bob mentions given %d", b.MentionsGiven)
	}
	if c.RepliesGiven != 0 || c.Interactive != 0 {
		t.Errorf("a reply to the bot counted: carol replies %d, interactive %d", c.RepliesGiven, c.Interactive)
	}
	if c.ReactGiven != 1 || b.ReactGiven != 1 || al.ReactRecv != 2 || al.Reacted != 1 {
		t.Errorf("reactions: carol gave %d, bob %d; alice received %d, drew %d; want 1, 1, 2, 1",
			c.ReactGiven, b.ReactGiven, al.ReactRecv, al.Reacted)
	}
	if gd := h.groupDay(); gd.Reactions != 2 {
		t.Errorf("group reactions = %d, want 2 (the bot's not counted)", gd.Reactions)
	}
}

func TestJoinLeaveAndMemberList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// The member list of GUILD_CREATE makes silent members known.
	h.eventually("carol present from the member list", func() bool { return h.members()[carolID].Present })
	if _, ok := h.members()[otherBotID]; ok {
		t.Error("a bot from the member list was recorded")
	}
	dave := user(daveID, "dave")
	h.srv.MemberAdd(guildID, discordtest.Member{User: dave, Nick: "Dave"})
	h.eventually("dave's join", func() bool { return h.groupDay().Joins == 1 })
	if m := h.members()[daveID]; !m.Present || m.Name != "Dave" {
		t.Errorf("dave after joining: %+v", m)
	}
	h.srv.MemberRemove(guildID, dave)
	h.eventually("dave's leave", func() bool { return h.groupDay().Leaves == 1 })
	if m := h.members()[daveID]; m.Present {
		t.Errorf("dave still present after leaving: %+v", m)
	}
}

func TestLargeServerMemberChunks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) {
		g := testGuild()
		for i := range 30 {
			id := "21000000000000" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + "00"
			g.Members = append(g.Members, discordtest.Member{User: user(id, "m"+id[14:16])})
		}
		g.InitialMembers = 3
		s.fake.Guilds = []discordtest.Guild{g}
	})
	h.waitGateway("the member list asked for", func(s discordtest.GatewayStats) bool { return slices.Contains(s.Requested, guildID) })
	h.eventually("every member present", func() bool {
		n := 0
		for _, m := range h.members() {
			if m.Present {
				n++
			}
		}
		return n == 30+len(testGuild().Members)-2 // all but the two bots
	})
}

func TestSlashCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		who      discordtest.User
		name     string
		opts     []discordtest.Option
		want     []string
		private  bool
		checkins int
	}{
		{alice, "checkin", nil, []string{"alice checked in", "1st today"}, false, 1},
		{alice, "checkin", nil, []string{"already checked in"}, false, 1},
		{alice, "me", nil, []string{"alice", "Points 10"}, true, 1},
		{bob, "top", []discordtest.Option{{Name: "metric", Type: 3, Value: "points"}, {Name: "period", Type: 3, Value: "all"}}, []string{"Top points", "alice"}, false, 0},
		{bob, "help", nil, []string{"/checkin", "/makeup"}, false, 0},
		// bob's joined_at is 2026-02-02: 03-01 is a day of his to make up,
		// but he has no points; 02-20 is past the 7-day window.
		{bob, "makeup", []discordtest.Option{{Name: "date", Type: 3, Value: "2026-03-01"}}, []string{"costs 20 points", "you have 0"}, false, 0},
		{bob, "makeup", []discordtest.Option{{Name: "date", Type: 3, Value: "2026-02-20"}}, []string{"2026-02-20", "too long ago"}, false, 0},
	}
	for _, tc := range tests {
		in, cb := h.slash(tc.who, tc.name, tc.opts...)
		text, flags := h.answer(in, cb)
		if !contains(text, tc.want...) {
			t.Errorf("/%s by %s: %q, want it to contain %q", tc.name, tc.who.Username, text, tc.want)
		}
		if private := flags&64 != 0; private != tc.private {
			t.Errorf("/%s: ephemeral %v, want %v", tc.name, private, tc.private)
		}
	}
	if d := h.day(aliceID); d.Checkin != store.CheckinOnTime || d.Messages != 3 {
		t.Errorf("alice's day: check-in %d, messages %d; want a check-in and 3 commands counted", d.Checkin, d.Messages)
	}
}

// The core answers /stats and /grant; the adapter must make admins
// admins: Manage Server, a configured admin role, groups: admins, the
// owner.
func TestAdminCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) {
		g := testGuild()
		g.Members = append(g.Members, discordtest.Member{User: user(daveID, "dave"), Roles: []string{adminRole}})
		s.fake.Guilds = []discordtest.Guild{g}
	})
	h.say(alice, general, "hi all")
	h.sync()
	unknown := i18n.T(i18n.En, "unknown", "/stats")
	tests := []struct {
		who   discordtest.User
		admin bool
	}{
		{alice, false}, {mod, true}, {user(daveID, "dave"), true}, {cfgAdmin, true}, {owner, true},
	}
	for _, tc := range tests {
		t.Run("stats by "+tc.who.Username, func(t *testing.T) {
			in, cb := h.slash(tc.who, "stats", discordtest.Option{Name: "period", Type: 3, Value: "7d"})
			text, _ := h.answer(in, cb)
			if text == unknown {
				t.Fatalf("/stats by %s was not understood: %q", tc.who.Username, text)
			}
			if refused := strings.Contains(text, "only admins"); refused == tc.admin || text == "" {
				t.Errorf("%s (admin %v) got %q", tc.who.Username, tc.admin, text)
			}
			if tc.admin && !strings.Contains(text, "📊 Stats") {
				t.Errorf("%s (admin) got %q, want the stats report", tc.who.Username, text)
			}
		})
		t.Run("grant by "+tc.who.Username, func(t *testing.T) {
			in, cb := h.slash(tc.who, "grant", discordtest.Option{Name: "member", Type: 6, Value: bobID},
				discordtest.Option{Name: "amount", Type: 4, Value: 5}, discordtest.Option{Name: "reason", Type: 3, Value: "helped a newcomer"})
			text, _ := h.answer(in, cb)
			if tc.admin && !contains(text, "granted 5 points to Bobby", "helped a newcomer") ||
				!tc.admin && !strings.Contains(text, "only admins") {
				t.Errorf("%s (admin %v) got %q", tc.who.Username, tc.admin, text)
			}
		})
	}
	if got, want := h.members()[bobID].Points, int64(5*4); got != want {
		t.Errorf("bob's points = %d, want %d", got, want)
	}
}

func TestTextCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		who  discordtest.User
		text string
		want string
	}{
		{alice, "!checkin", "alice checked in"},
		{bob, "<@" + pulseBot.ID + "> 签到", "Bobby checked in"},
		{carol, "/me", "carol"},
		{alice, "!wow, nice", ""}, // not a command: chat
		{mod, "!grant <@" + bobID + "> 3 thanks <@" + aliceID + ">", "granted 3 points to Bobby"},
	}
	for _, tc := range tests {
		m := h.say(tc.who, general, tc.text)
		if tc.want == "" {
			continue
		}
		r := h.waitRequest("answer to "+tc.text, "POST", "/api/v9/channels/"+general+"/messages", func(r discordtest.Request) bool {
			ref, _ := r.JSON()["message_reference"].(map[string]any)
			return ref != nil && ref["message_id"] == m.ID
		})
		if c, _ := r.JSON()["content"].(string); !strings.Contains(c, tc.want) {
			t.Errorf("%q answered %q, want %q in it", tc.text, c, tc.want)
		}
	}
	h.sync()
	for _, r := range h.srv.Find("POST", "/api/v9/channels/*/messages") {
		if c, _ := r.JSON()["content"].(string); strings.Contains(c, "no command") {
			t.Errorf("chat was answered as a command: %q", c)
		}
	}
}

// A member called "@everyone" must not ping everyone, in answers and
// announcements alike: parse is empty and only the member may be pinged.
func TestNoMassPings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.say(everyone, general, "!checkin")
	text := h.waitRequest("text answer", "POST", "/api/v9/channels/"+general+"/messages")
	_, cb := h.slash(everyone, "checkin")
	var slash struct {
		Data json.RawMessage `json:"data"`
	}
	if err := cb.Decode(&slash); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"text": text.Body, "slash": slash.Data} {
		var msg struct {
			Content         string          `json:"content"`
			AllowedMentions json.RawMessage `json:"allowed_mentions"`
			Reference       *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if err := json.Unmarshal(body, &msg); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Content, "@everyone") {
			t.Errorf("%s: content %q does not show the name", name, msg.Content)
		}
		var am struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
			Roles []string `json:"roles"`
		}
		if err := json.Unmarshal(msg.AllowedMentions, &am); err != nil || am.Parse == nil {
			t.Fatalf("%s: allowed_mentions = %s, want parse: []", name, msg.AllowedMentions)
		}
		if len(am.Parse) != 0 || !slices.Equal(am.Users, []string{everyoneID}) || len(am.Roles) != 0 {
			t.Errorf("%s: allowed_mentions = %s, want parse [] and users [%s] only", name, msg.AllowedMentions, everyoneID)
		}
		if name == "text" && (msg.Reference == nil || msg.Reference.MessageID != m.ID) {
			t.Errorf("text answer does not reply to the command: %+v", msg.Reference)
		}
	}
}

// linear levels of 10 XP and 25 XP per message: one message reaches level 2.
func fastLevels(s *setup) {
	s.rules.Levels.Curve, s.rules.Levels.LinearStep = "linear", 10
	s.rules.XP.Min, s.rules.XP.Max = 25, 25
}

func TestRoleRewards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		mode       string
		has        []string
		wantRoles  []string
		wantDelete bool
	}{
		{"stack", discord.RolesStack, nil, []string{rewardRole1, rewardRole2}, false},
		{"replace", discord.RolesReplace, nil, []string{rewardRole2}, false},
		{"replace drops the lower reward", discord.RolesReplace, []string{rewardRole1}, []string{rewardRole2}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fastLevels, func(s *setup) {
				g := s.cfg.GuildSettings[guildID]
				g.RoleMode = tc.mode
				s.cfg.GuildSettings[guildID] = g
				guild := testGuild()
				for i := range guild.Members {
					if guild.Members[i].User.ID == aliceID {
						guild.Members[i].Roles = tc.has
					}
				}
				s.fake.Guilds = []discordtest.Guild{guild}
			})
			h.say(alice, general, "my first message here")
			ann := h.waitRequest("level-up announcement", "POST", "/api/v9/channels/"+levelups+"/messages")
			if c, _ := ann.JSON()["content"].(string); !strings.Contains(c, "alice reached level 2") {
				t.Errorf("announcement %q", c)
			}
			h.eventually("reward roles", func() bool {
				got := h.srv.MemberRoles(guildID, aliceID)
				slices.Sort(got)
				return slices.Equal(got, tc.wantRoles)
			})
			if del := len(h.srv.Find("DELETE", "/api/v9/guilds/"+guildID+"/members/"+aliceID+"/roles/*")) > 0; del != tc.wantDelete {
				t.Errorf("role removed: %v, want %v", del, tc.wantDelete)
			}
		})
	}
}

// A refused role (no Manage Roles, or the role above the bot's) is told
// to the admins: in the level-up channel, else to the owners by DM.
func TestRoleRewardRefusedIsReported(t *testing.T) {
	t.Parallel()
	for _, levelUpChannel := range []bool{true, false} {
		name := map[bool]string{true: "level-up channel", false: "owner DM"}[levelUpChannel]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fastLevels, func(s *setup) {
				if !levelUpChannel {
					g := s.cfg.GuildSettings[guildID]
					g.LevelUpChannel = ""
					s.cfg.GuildSettings[guildID] = g
				}
			})
			h.srv.ForbidRoles(guildID, -1)
			h.say(alice, general, "my first message here")
			where := "/api/v9/channels/" + levelups + "/messages"
			if !levelUpChannel {
				h.waitRequest("DM channel with the owner", "POST", "/api/v9/users/@me/channels", func(r discordtest.Request) bool {
					return r.JSON()["recipient_id"] == ownerID
				})
				where = "/api/v9/channels/*/messages"
			}
			report := h.waitRequest("the report", "POST", where, func(r discordtest.Request) bool {
				return strings.Contains(string(r.Body), "Manage Roles")
			})
			if strings.Contains(string(report.Body), `"roles":[`) {
				t.Errorf("the report may ping a role: %s", report.Body)
			}
			if !strings.Contains(h.log.String(), "reward role not changed") {
				t.Errorf("the refusal was not logged")
			}
			h.eventually("both of alice's rewards tried", func() bool {
				return len(h.srv.Find("PUT", "/api/v9/guilds/"+guildID+"/members/"+aliceID+"/roles/*")) == 2
			})
			// Reported once for both roles, not once per role.
			h.sync()
			reports := 0
			for _, r := range h.srv.Find("POST", "/api/v9/channels/*/messages") {
				if strings.Contains(string(r.Body), "Manage Roles") {
					reports++
				}
			}
			if reports != 1 {
				t.Errorf("%d reports, want 1", reports)
			}
		})
	}
}

func TestRolesSync(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fastLevels)
	h.srv.ForbidRoles(guildID, 2) // the level-up's rewards fail
	h.say(alice, general, "my first message here")
	h.waitRequest("report", "POST", "/api/v9/channels/"+levelups+"/messages", func(r discordtest.Request) bool {
		return strings.Contains(string(r.Body), "Manage Roles")
	})
	h.eventually("both rewards refused", func() bool {
		return len(h.srv.Find("PUT", "/api/v9/guilds/"+guildID+"/members/"+aliceID+"/roles/*")) == 2
	})
	if roles := h.srv.MemberRoles(guildID, aliceID); len(roles) != 0 {
		t.Fatalf("alice has roles %v before the sync", roles)
	}
	in, cb := h.slash(alice, "roles", discordtest.Option{Name: "sync", Type: 1})
	if text, _ := h.answer(in, cb); !strings.Contains(text, "only admins") {
		t.Errorf("alice's /roles sync: %q", text)
	}
	in, cb = h.slash(mod, "roles", discordtest.Option{Name: "sync", Type: 1})
	text, flags := h.answer(in, cb)
	if !strings.Contains(text, "2 roles added") || flags&64 == 0 {
		t.Errorf("mod's /roles sync: %q (flags %d)", text, flags)
	}
	got := h.srv.MemberRoles(guildID, aliceID)
	slices.Sort(got)
	if !slices.Equal(got, []string{rewardRole1, rewardRole2}) {
		t.Errorf("alice's roles after the sync: %v", got)
	}
	// The text command does the same.
	m := h.say(mod, general, "!roles sync")
	r := h.waitRequest("text answer", "POST", "/api/v9/channels/"+general+"/messages", func(r discordtest.Request) bool {
		ref, _ := r.JSON()["message_reference"].(map[string]any)
		return ref != nil && ref["message_id"] == m.ID
	})
	if c, _ := r.JSON()["content"].(string); !strings.Contains(c, "0 roles added") {
		t.Errorf("!roles sync answered %q", c)
	}
}

func TestDeferredWhenTheCoreIsSlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) { s.opts = append(s.opts, discord.WithDeferAfter(50*time.Millisecond)) })
	// Hold the store's writer so that the command cannot commit.
	release := make(chan struct{})
	held := make(chan struct{})
	go h.db.Update(context.Background(), func(*store.Tx) error { close(held); <-release; return nil })
	<-held
	in := h.srv.InteractionCreate(discordtest.Interaction{ChannelID: general, User: alice, Name: "me"})
	cb := h.waitRequest("deferral", "POST", "/api/v9/interactions/"+in.ID+"/*/callback")
	var body struct {
		Type int `json:"type"`
		Data struct {
			Flags int `json:"flags"`
		} `json:"data"`
	}
	if err := cb.Decode(&body); err != nil || body.Type != 5 || body.Data.Flags&64 == 0 {
		t.Fatalf("callback %s, want a private deferral (type 5, flags 64)", cb.Body)
	}
	close(release)
	if text, _ := h.answer(in, cb); !strings.Contains(text, "alice") {
		t.Errorf("edited answer %q", text)
	}
}

func testPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDigestSend(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) { s.cfg.DigestInterval = 100 * time.Millisecond })
	chart := testPNG(t)
	ctx := context.Background()
	img := &bot.Image{Name: "weekly.png", Type: "image/png", Data: chart}
	if err := h.a.Send(ctx, bot.Reply{Group: key, Text: "📊 Weekly digest\nWAU 12 (+3)", Image: img}); err != nil {
		t.Fatal(err)
	}
	if err := h.a.Send(ctx, bot.Reply{Group: key, Text: "📊 Your weekly digest", Image: img, Direct: true, To: ownerID}); err != nil {
		t.Fatal(err)
	}
	post := h.srv.Find("POST", "/api/v9/channels/"+digests+"/messages")
	dm := h.srv.Find("POST", "/api/v9/users/@me/channels")
	if len(post) != 1 || len(dm) != 1 || dm[0].JSON()["recipient_id"] != ownerID {
		t.Fatalf("digest posts %d, DM channels %+v", len(post), dm)
	}
	direct := h.srv.Find("POST", "/api/v9/channels/*/messages")
	if len(direct) != 2 {
		t.Fatalf("%d messages, want the digest and the DM", len(direct))
	}
	for i, r := range direct {
		if len(r.Files) != 1 || r.Files[0].Name != "weekly.png" || r.Files[0].ContentType != "image/png" || !bytes.Equal(r.Files[0].Data, chart) {
			t.Errorf("message %d: files %+v, want weekly.png", i, r.Files)
		}
		var msg struct {
			Embeds []struct {
				Description string `json:"description"`
				Image       struct {
					URL string `json:"url"`
				} `json:"image"`
			} `json:"embeds"`
		}
		if err := r.Decode(&msg); err != nil || len(msg.Embeds) != 1 {
			t.Fatalf("message %d: %s", i, r.Body)
		}
		if e := msg.Embeds[0]; !strings.Contains(e.Description, "digest") || e.Image.URL != "attachment://weekly.png" {
			t.Errorf("message %d: embed %+v", i, e)
		}
	}
	// The second post waited for its turn (less the first post's own time).
	if gap := direct[1].Time.Sub(direct[0].Time); gap < 50*time.Millisecond {
		t.Errorf("posts %v apart, want at least the digest interval", gap)
	}
	for _, bad := range []bot.Reply{{Group: "wechat/x", Text: "x"}, {Group: "discord/999", Text: "x", Direct: true}} {
		if err := h.a.Send(ctx, bad); err == nil {
			t.Errorf("Send(%+v) = nil, want an error", bad)
		}
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	route := "/api/v9/channels/" + general + "/messages"
	h.srv.RateLimit("POST", route, 50*time.Millisecond)
	h.say(alice, general, "!checkin")
	ok := h.waitRequest("the answer", "POST", route)
	if c, _ := ok.JSON()["content"].(string); !strings.Contains(c, "checked in") {
		t.Errorf("answer %q", c)
	}
	rs := h.srv.Find("POST", route)
	if len(rs) != 2 || rs[0].Status != http.StatusTooManyRequests || rs[1].Status != http.StatusOK {
		var st []int
		for _, r := range rs {
			st = append(st, r.Status)
		}
		t.Fatalf("statuses %v, want [429 200]", st)
	}
	if gap := rs[1].Time.Sub(rs[0].Time); gap < 40*time.Millisecond {
		t.Errorf("retried after %v, before retry_after", gap)
	}
}

// After the connection drops the session resumes (or identifies anew when
// the session is gone); what was missed arrives, and what arrives twice
// counts once.
func TestReconnect(t *testing.T) {
	t.Parallel()
	for _, resume := range []bool{true, false} {
		name := map[bool]string{true: "resume", false: "identify again"}[resume]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			m1 := h.say(alice, general, "first message")
			h.eventually("the first message", func() bool { return h.day(aliceID).Messages == 1 })
			if resume {
				h.srv.ReplayOnResume(1) // m1 arrives again after the resume
			} else {
				h.srv.InvalidateSession()
			}
			h.srv.Drop()
			m2 := h.say(alice, general, "said while the bot was away")
			if resume {
				h.waitGateway("resumed", func(s discordtest.GatewayStats) bool { return s.Resumes == 1 && s.Live })
			} else {
				h.waitGateway("identified again", func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Live })
				// A new session misses what was sent meanwhile; a client
				// catching up would fetch it and deliver both again.
				h.srv.DispatchMessage(m2)
			}
			h.srv.DispatchMessage(m1)
			h.srv.DispatchMessage(m2)
			h.sync()
			if got := h.day(aliceID).Messages; got != 2 {
				t.Errorf("alice's messages = %d, want 2", got)
			}
		})
	}
}

func TestOddPayloadsAreSurvived(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.Dispatch("MESSAGE_CREATE", map[string]any{"id": "1", "channel_id": general, "guild_id": guildID, "content": "no author"})
	h.srv.Dispatch("MESSAGE_REACTION_ADD", map[string]any{"message_id": "1", "channel_id": general, "guild_id": guildID})
	h.srv.Dispatch("INTERACTION_CREATE", map[string]any{"id": "2", "type": 3, "token": "t", "data": map[string]any{"custom_id": "x"}})
	h.srv.Dispatch("INTERACTION_CREATE", map[string]any{"id": "3", "type": 2, "token": "t", "data": map[string]any{"name": "checkin"}})
	in, cb := h.slash(alice, "frobnicate")
	if text, flags := h.answer(in, cb); !strings.Contains(text, "doesn't know") || flags&64 == 0 {
		t.Errorf("unknown command answered %q (flags %d)", text, flags)
	}
	h.sync()
}

func TestDisallowedIntentsStopRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) {
		s.fake.DeniedIntents = discordtest.IntentGuildMembers
		s.noWait = true
	})
	select {
	case err := <-h.done:
		if err == nil || !strings.Contains(err.Error(), "Server Members Intent") {
			t.Errorf("Run = %v, want an error naming the intent to enable", err)
		}
		h.done <- nil
	case <-time.After(patience):
		t.Fatal("Run kept going with a refused intent")
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	core := bot.New(nil, bot.Options{})
	for _, tc := range []struct {
		name string
		cfg  discord.Config
		want string
	}{
		{"no token", discord.Config{Enabled: true}, "token"},
		{"bad scope", discord.Config{Token: "x", SlashCommands: "everywhere"}, "slash_commands"},
		{"bad mode", discord.Config{Token: "x", GuildSettings: map[string]discord.GuildConfig{"1": {RoleMode: "swap"}}}, "role_mode"},
		{"bad reward", discord.Config{Token: "x", GuildSettings: map[string]discord.GuildConfig{"1": {RoleRewards: map[int]string{0: "r"}}}}, "role_rewards"},
		{"unlisted server", discord.Config{Token: "x", Guilds: []string{"1"}, GuildSettings: map[string]discord.GuildConfig{"2": {}}}, "not listed"},
		{"bad url", discord.Config{Token: "x", RESTURL: "discord.com/api"}, "rest_url"},
		{"bad shard", discord.Config{Token: "x", ShardID: 2, ShardCount: 2}, "shard_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := discord.New(tc.cfg, core, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error about %s", err, tc.want)
			}
		})
	}
}

// Without the Message Content intent Discord sends no text: messages
// still count, and still earn XP (with the cooldown), and slash commands
// carry the commands.
func TestWithoutMessageContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) { s.cfg.MessageContent = false })
	if h.srv.Stats().Intents&discordtest.IntentMessageContent != 0 {
		t.Error("asked for the message content intent")
	}
	h.say(alice, general, "") // what Discord sends without the intent
	h.sync()
	if d, m := h.day(aliceID), h.members()[aliceID]; d.Messages != 1 || m.XP == 0 {
		t.Errorf("alice: messages %d, XP %d; want 1 and some XP", d.Messages, m.XP)
	}
	in, cb := h.slash(alice, "checkin")
	if text, _ := h.answer(in, cb); !strings.Contains(text, "checked in") {
		t.Errorf("/checkin: %q", text)
	}
}

// Servers not listed in discord.guilds are ignored; global commands are
// registered once for the application.
func TestServerListAndGlobalCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) {
		s.cfg.Guilds = []string{"100000000000000099"}
		s.cfg.GuildSettings = nil
		s.cfg.SlashCommands = discord.CommandsGlobal
	})
	h.waitRequest("global commands", "PUT", "/api/v9/applications/"+h.srv.AppID+"/commands")
	h.say(alice, general, "hello?")
	in, cb := h.slash(alice, "checkin")
	if text, flags := h.answer(in, cb); !strings.Contains(text, "not enabled") || flags&64 == 0 {
		t.Errorf("/checkin in an unlisted server: %q (flags %d)", text, flags)
	}
	h.srv.MessageCreate(discordtest.Message{ChannelID: general, Author: syncer, Content: "last"})
	// Nothing from the server reaches the store, so there is nothing to
	// wait for: wait until the gateway has written everything, then check
	// that the group was never created.
	h.waitGateway("the last dispatch", func(s discordtest.GatewayStats) bool { return s.Dispatched >= 5 })
	if len(h.srv.Find("PUT", "/api/v9/applications/*/guilds/*/commands")) != 0 {
		t.Error("guild commands registered for an unlisted server")
	}
	h.stop()
	<-h.done
	h.done <- nil
	var groups []string
	_ = h.db.View(func(tx *store.Tx) error { groups = tx.Groups(); return nil })
	if len(groups) != 0 {
		t.Errorf("groups recorded: %v", groups)
	}
}
