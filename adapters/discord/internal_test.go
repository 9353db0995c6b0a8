package discord

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/pulsebot/pulse/bot"
)

func TestInvitePermissions(t *testing.T) {
	// View Channel, Send Messages, Embed Links, Attach Files, Read Message
	// History, Add Reactions, Manage Roles, Use Application Commands.
	const want = 1<<10 | 1<<11 | 1<<14 | 1<<15 | 1<<16 | 1<<6 | 1<<28 | 1<<31
	if InvitePermissions != want || want != 2416036928 {
		t.Errorf("InvitePermissions = %d, want %d", InvitePermissions, want)
	}
	if u := InviteURL("123"); u != "https://discord.com/oauth2/authorize?client_id=123&scope=bot+applications.commands&permissions=2416036928" {
		t.Errorf("InviteURL = %s", u)
	}
	if got := Intents(false); got != discordgo.IntentGuilds|discordgo.IntentGuildMessages|discordgo.IntentGuildMembers|discordgo.IntentGuildMessageReactions {
		t.Errorf("Intents(false) = %b", got)
	}
	if Intents(true)&discordgo.IntentMessageContent == 0 {
		t.Error("Intents(true) lacks message content")
	}
}

func TestNormalize(t *testing.T) {
	const me = "900"
	tests := []struct {
		text, prefix, want string
		addressed          bool
	}{
		{"!checkin", "!", "/checkin", false},
		{"!CHECKIN!", "!", "/CHECKIN!", false},
		{"!签到", "!", "/签到", false},
		{"!wow", "!", "!wow", false},                          // not a command: chat
		{"! checkin", "!", "! checkin", false},                // a space after the prefix: chat
		{"!checkin", "", "!checkin", false},                   // prefix off
		{"?top xp", "?", "/top xp", false},                    // another prefix
		{"/checkin", "!", "/checkin", false},                  // the slash always works
		{"签到", "!", "签到", false},                              // so do Chinese words
		{"<@900> 签到", "!", "签到", true},                        // a mention of the bot before a command
		{"<@!900> !me", "!", "/me", true},                     // old-style mention and the prefix
		{"<@900> hello there", "!", "@900 hello there", true}, // chat stays chat
		{"!grant <@12> 5 for <@!34>", "!", "/grant @12 5 for @34", false},
		{"!roles sync", "!", "/roles sync", false},
		{"  spaced out  ", "!", "spaced out", false},
	}
	for _, tc := range tests {
		got, addressed := normalize(tc.text, me, tc.prefix)
		if got != tc.want || addressed != tc.addressed {
			t.Errorf("normalize(%q, prefix %q) = %q, %v; want %q, %v", tc.text, tc.prefix, got, addressed, tc.want, tc.addressed)
		}
	}
}

func TestIsRolesSync(t *testing.T) {
	for text, want := range map[string]bool{
		"/roles sync": true, "/ROLES  Sync": true, "/resync-roles": true, "同步身份组": true, "/同步身份组": true,
		"/roles": false, "roles sync": false, "/roles sync now": false, "/checkin": false,
	} {
		if got := isRolesSync(text); got != want {
			t.Errorf("isRolesSync(%q) = %v", text, got)
		}
	}
}

func TestPlan(t *testing.T) {
	rw := []reward{{1, "r1"}, {5, "r5"}, {10, "r10"}}
	roles := func(rs []reward) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.role)
		}
		return out
	}
	tests := []struct {
		name         string
		replace      bool
		from, to     int
		has          []string
		known        bool
		add, removed []string
	}{
		{"stack: new rewards", false, 0, 5, nil, true, []string{"r1", "r5"}, nil},
		{"stack: only what is missing", false, 4, 6, []string{"r1"}, true, []string{"r5"}, nil},
		{"stack: a missing lower one too", false, 4, 6, nil, true, []string{"r1", "r5"}, nil},
		{"stack: unknown member, the levels passed", false, 4, 6, nil, false, []string{"r5"}, nil},
		{"stack: no reward at this level", false, 1, 2, []string{"r1"}, true, nil, nil},
		{"replace: the highest only", true, 0, 7, nil, true, []string{"r5"}, nil},
		{"replace: drops lower", true, 4, 5, []string{"r1", "x"}, true, []string{"r5"}, []string{"r1"}},
		{"replace: drops higher on resync", true, 0, 5, []string{"r10", "r5"}, true, nil, []string{"r10"}},
		{"replace: unknown member", true, 4, 5, nil, false, []string{"r5"}, []string{"r1"}},
		{"replace: unknown, already had it", true, 6, 7, nil, false, nil, nil},
		{"replace: below every reward", true, 0, 0, []string{"r1"}, true, nil, []string{"r1"}},
	}
	for _, tc := range tests {
		add, remove := plan(rw, tc.replace, tc.from, tc.to, tc.has, tc.known)
		if !reflect.DeepEqual(roles(add), tc.add) || !reflect.DeepEqual(roles(remove), tc.removed) {
			t.Errorf("%s: add %v remove %v; want %v and %v", tc.name, roles(add), roles(remove), tc.add, tc.removed)
		}
	}
}

func TestSplit(t *testing.T) {
	long := strings.Repeat("word ", 500) // 2500 characters
	lines := strings.Repeat("a line of text\n", 200)
	emoji := strings.Repeat("🎉", 1500) // 3000 UTF-16 units
	for _, tc := range []struct {
		name string
		text string
		n    int
	}{
		{"empty", "", 1}, {"short", "hi", 1}, {"words", long, 2}, {"lines", lines, 2}, {"emoji", emoji, 2},
	} {
		parts := split(tc.text, maxContent)
		if len(parts) != tc.n {
			t.Errorf("%s: %d parts, want %d", tc.name, len(parts), tc.n)
		}
		for _, p := range parts {
			if units(p) > maxContent {
				t.Errorf("%s: a part of %d units", tc.name, units(p))
			}
		}
		if nospace(strings.Join(parts, "")) != nospace(tc.text) {
			t.Errorf("%s: text lost in the split", tc.name)
		}
	}
	if parts := split(lines, maxContent); !strings.HasSuffix(parts[0], "a line of text") {
		t.Errorf("not cut at a line break: ...%q", parts[0][len(parts[0])-20:])
	}
}

func nospace(s string) string { return strings.Join(strings.Fields(s), "") }

func TestAllowed(t *testing.T) {
	am := allowed([]string{"12", "12", "not-an-id", "34"}, true)
	if am.Parse == nil || len(am.Parse) != 0 || !reflect.DeepEqual(am.Users, []string{"12", "34"}) || !am.RepliedUser {
		t.Errorf("allowed = %+v", am)
	}
	var many []string
	for i := range 150 {
		many = append(many, fmt.Sprint(1000+i))
	}
	if n := len(allowed(many, false).Users); n != maxPingUsers {
		t.Errorf("%d users allowed, want %d", n, maxPingUsers)
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct{ name, typ, want string }{
		{"weekly.png", "image/png", "weekly.png"},
		{"../../etc/passwd", "", "passwd"},
		{"周报 chart.png", "image/png", "___chart.png"},
		{"", "image/png", "image.png"},
		{"", "", "image"},
	} {
		if got := fileName(tc.name, tc.typ); got != tc.want {
			t.Errorf("fileName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCommandText(t *testing.T) {
	opt := func(name string, typ discordgo.ApplicationCommandOptionType, v any, sub ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: typ, Value: v, Options: sub}
	}
	const (
		str  = discordgo.ApplicationCommandOptionString
		num  = discordgo.ApplicationCommandOptionNumber
		in   = discordgo.ApplicationCommandOptionInteger
		usr  = discordgo.ApplicationCommandOptionUser
		subc = discordgo.ApplicationCommandOptionSubCommand
	)
	resolved := &discordgo.ApplicationCommandInteractionDataResolved{
		Users:   map[string]*discordgo.User{"42": {ID: "42", Username: "bob"}},
		Members: map[string]*discordgo.Member{"42": {Nick: "Bobby"}},
	}
	tests := []struct {
		name     string
		opts     []*discordgo.ApplicationCommandInteractionDataOption
		want     string
		mentions []bot.Member
	}{
		{"checkin", nil, "/checkin", nil},
		{"makeup", []*discordgo.ApplicationCommandInteractionDataOption{opt("date", str, " 2026-01-05 ")}, "/makeup 2026-01-05", nil},
		{"top", []*discordgo.ApplicationCommandInteractionDataOption{opt("period", str, "week"), opt("metric", str, "xp")}, "/top xp week", nil},
		{"stats", nil, "/stats", nil},
		{"stats", []*discordgo.ApplicationCommandInteractionDataOption{opt("period", str, "30d")}, "/stats 30d", nil},
		{"goal", []*discordgo.ApplicationCommandInteractionDataOption{opt("set", subc, nil, opt("metric", str, "wau"), opt("target", num, 200.0), opt("deadline", str, "2026-12-31"))}, "/goal set wau 200 2026-12-31", nil},
		{"goal", []*discordgo.ApplicationCommandInteractionDataOption{opt("set", subc, nil, opt("metric", str, "retention"), opt("target", num, 0.45), opt("deadline", str, "2026-12-31"))}, "/goal set retention 0.45 2026-12-31", nil},
		{"goal", []*discordgo.ApplicationCommandInteractionDataOption{opt("list", subc, nil)}, "/goal list", nil},
		{"goal", []*discordgo.ApplicationCommandInteractionDataOption{opt("clear", subc, nil, opt("metric", str, "new members"))}, "/goal clear new_members", nil},
		{"grant", []*discordgo.ApplicationCommandInteractionDataOption{opt("member", usr, "42"), opt("amount", in, 10.0), opt("reason", str, "helped  a newcomer")}, "/grant @42 10 helped  a newcomer", []bot.Member{{ID: "42", Name: "Bobby"}}},
		{"deduct", []*discordgo.ApplicationCommandInteractionDataOption{opt("member", usr, "42"), opt("amount", in, 3.0)}, "/deduct @42 3", []bot.Member{{ID: "42", Name: "Bobby"}}},
	}
	for _, tc := range tests {
		text, mentions, ok := commandText(discordgo.ApplicationCommandInteractionData{Name: tc.name, Options: tc.opts, Resolved: resolved})
		if !ok || text != tc.want || !reflect.DeepEqual(mentions, tc.mentions) {
			t.Errorf("%s: %q %+v %v; want %q %+v", tc.name, text, mentions, ok, tc.want, tc.mentions)
		}
	}
	for _, bad := range []discordgo.ApplicationCommandInteractionData{{Name: "frobnicate"}, {Name: "grant"}, {Name: "goal"}} {
		if _, _, ok := commandText(bad); ok {
			t.Errorf("commandText(%s) ok", bad.Name)
		}
	}
	// Every registered command is understood.
	for _, c := range SlashCommands() {
		if c.Name == "roles" {
			continue
		}
		d := discordgo.ApplicationCommandInteractionData{Name: c.Name}
		for _, o := range c.Options {
			switch {
			case o.Type == discordgo.ApplicationCommandOptionSubCommand && len(d.Options) == 0:
				d.Options = append(d.Options, opt(o.Name, subc, nil))
			case o.Required && o.Type == discordgo.ApplicationCommandOptionUser:
				d.Options = append(d.Options, opt(o.Name, usr, "42"))
			case o.Required:
				d.Options = append(d.Options, opt(o.Name, o.Type, 1.0))
			}
		}
		if _, _, ok := commandText(d); !ok {
			t.Errorf("registered command %s is not understood", c.Name)
		}
		if len(c.Name) > 32 || c.Description == "" || len(c.Description) > 100 {
			t.Errorf("command %s: name or description out of Discord's limits", c.Name)
		}
	}
}

func TestServesAndGroupKeys(t *testing.T) {
	const id = "100000000000000001" // shard (id >> 22) % 4
	shard := int((uint64(100000000000000001) >> 22) % 4)
	a := &Adapter{cfg: Config{ShardCount: 4, ShardID: shard}}
	if !a.serves(id) {
		t.Errorf("shard %d does not serve %s", shard, id)
	}
	a.cfg.ShardID = (shard + 1) % 4
	if a.serves(id) {
		t.Errorf("shard %d serves %s", a.cfg.ShardID, id)
	}
	a = &Adapter{only: map[string]bool{"5": true}}
	if a.serves(id) || !a.serves("5") || a.serves("") {
		t.Error("the server list is not applied")
	}
	for k, ok := range map[string]bool{"discord/123": true, "discord/": false, "wechat/123": false, "discord/abc": false, "discord": false} {
		if _, got := guildOf(k); got != ok {
			t.Errorf("guildOf(%q) ok = %v", k, got)
		}
	}
	if got := snowflakeTime("175928847299117063"); !got.Equal(time.Date(2016, 4, 30, 11, 18, 25, 796000000, time.UTC)) {
		t.Errorf("snowflakeTime = %v", got)
	}
}

func TestFatal(t *testing.T) {
	if fatal(fmt.Errorf("dial: connection refused")) != "" {
		t.Error("a network error is fatal")
	}
	for _, code := range []int{4004, 4013, 4014} {
		if fatal(fmt.Errorf("open: %w", &websocket.CloseError{Code: code})) == "" {
			t.Errorf("close %d is not fatal", code)
		}
	}
}
