package mee6

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/discord"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/config"
	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/store"
)

const group = "discord/111"

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return bot.New(db, bot.Options{Clock: fixedClock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, Seed: 1})
}

func td(name string) string { return filepath.Join("testdata", name) }

func rows(t *testing.T, b *bot.Bot) map[string]bot.MemberRow {
	t.Helper()
	rs, err := b.Members(context.Background(), group, b.Clock().Now())
	if errors.Is(err, bot.ErrNoGroup) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bot.MemberRow{}
	for _, r := range rs {
		m[r.ID] = r
	}
	return m
}

// seed gives alice and carol some XP of Pulse's own, and makes a bot.
func seed(t *testing.T, b *bot.Bot) {
	t.Helper()
	at := time.Date(2023, 12, 1, 12, 0, 0, 0, time.UTC)
	evs := []bot.Event{
		{Kind: bot.KindMessage, Group: group, ID: "1", Member: bot.Member{ID: "501", Name: "Alice"}, Time: at, Text: "hello there"},
		{Kind: bot.KindMessage, Group: group, ID: "2", Member: bot.Member{ID: "503", Name: "Carol"}, Time: at, Text: "hi all"},
		{Kind: bot.KindJoin, Group: group, ID: "3", Member: bot.Member{ID: "512", Name: "Ruth"}, Time: at},
	}
	if _, err := b.Ingest(context.Background(), evs); err != nil {
		t.Fatal(err)
	}
	// ruth's XP beyond MEE6's, to tell replace from max.
	if _, err := b.SetXP(context.Background(), group, []bot.XPSet{{Member: bot.Member{ID: "512"}, XP: 500}}, false); err != nil {
		t.Fatal(err)
	}
}

func TestReplace(t *testing.T) {
	b := newBot(t)
	seed(t, b)
	s, err := Import(context.Background(), b, []string{td("page0.json"), td("page1.json")}, Options{Group: group})
	if err != nil {
		t.Fatal(err)
	}
	if s.Players != 5 || s.Duplicates != 1 || s.Created != 3 || s.Raised != 4 || s.Lowered != 1 {
		t.Errorf("summary: %+v", s)
	}
	r := rows(t, b)
	for id, want := range map[string]struct {
		name    string
		xp      int64
		level   int
		present bool
	}{
		"501": {"Alice", 12345, 15, true}, // known: keeps Pulse's name and presence
		"502": {"bob", 4100, 9, false},    // listed twice: the higher XP
		"510": {"zed", 255, 2, false},     // created, not counted present until seen
		"511": {"quinn", 1000, 4, false},  // the level comes from the curve
		"512": {"Ruth", 99, 0, true},      // replace lowers
	} {
		m := r[id]
		if m.Name != want.name || m.XP != want.xp || m.Level != want.level || m.Present != want.present || m.Points != 0 || m.Messages > 1 {
			t.Errorf("member %s: %+v; want %+v", id, m, want)
		}
	}
	if c := r["503"]; c.XP < 15 || c.XP > 25 {
		t.Errorf("carol, not on the leaderboard, changed: %+v", c)
	}
	if len(s.Mismatches) != 1 || s.Mismatches[0].ID != "511" || s.Mismatches[0].MEE6 != 6 || s.Mismatches[0].Pulse != 4 {
		t.Errorf("mismatches: %+v", s.Mismatches)
	}
	var out bytes.Buffer
	s.Print(&out)
	for _, want := range []string{
		"levels: 1 of 5 disagree", "quinn (511): 1000 XP is level 4 for Pulse, MEE6 says 6",
		"discord:\n  guild_settings:\n    \"111\":\n      role_rewards:\n        5: \"900\"  # Regular\n        10: \"901\"  # Veteran\n        20: \"902\"\n" +
			"        # level 20 also gives role 903 in MEE6; the config takes one role per level (it has 902)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	// The snippet is valid configuration.
	var dc discord.Config
	if _, err := (config.Loader{Sections: config.Sections{discord.Platform: &dc}}).Parse([]byte(s.RewardsYAML()), "snippet.yaml"); err != nil {
		t.Fatalf("the role rewards snippet is not valid config: %v\n%s", err, s.RewardsYAML())
	}
	if got := dc.GuildSettings["111"].RoleRewards; !reflect.DeepEqual(got, map[int]string{5: "900", 10: "901", 20: "902"}) {
		t.Errorf("role rewards in the config: %v", got)
	}
	// Idempotent.
	s, err = Import(context.Background(), b, []string{td("page0.json"), td("page1.json")}, Options{Group: group})
	if err != nil || s.Unchanged != 5 || s.Created != 0 {
		t.Errorf("again: %v %+v", err, s)
	}
}

func TestMax(t *testing.T) {
	b := newBot(t)
	seed(t, b)
	if _, err := Import(context.Background(), b, []string{td("page1.json")}, Options{Group: group, Max: true}); err != nil {
		t.Fatal(err)
	}
	r := rows(t, b)
	if r["512"].XP != 500 || r["502"].XP != 4100 {
		t.Errorf("max: ruth %d (want 500, Pulse's higher), bob %d (want 4100)", r["512"].XP, r["502"].XP)
	}
}

func TestDryRunAndErrors(t *testing.T) {
	b := newBot(t)
	s, err := Import(context.Background(), b, []string{td("page0.json")}, Options{Group: group, DryRun: true})
	if err != nil || s.Players != 4 || len(s.Rewards) != 2 {
		t.Fatalf("dry run: %v %+v", err, s)
	}
	if len(rows(t, b)) != 0 {
		t.Error("a dry run changed members")
	}
	for _, tt := range []struct {
		files []string
		group string
		want  string
	}{
		{[]string{td("other_guild.json")}, group, "is the leaderboard of guild 999 (Elsewhere), not discord/111"},
		{[]string{td("truncated.json")}, group, "unexpected end of file: the file is truncated"},
		{[]string{td("page0.json")}, "wechat/x", "is not discord/<guild id>"},
	} {
		_, err := Import(context.Background(), b, tt.files, Options{Group: tt.group})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v; want %q", tt.files, err, tt.want)
		}
	}
	_, err = Import(context.Background(), b, []string{td("truncated.json")}, Options{Group: group})
	var fe *importer.FileError
	if !errors.As(err, &fe) || fe.Line == 0 || fe.Offset != 700 {
		t.Errorf("truncated: %#v", err)
	}
	// A failed file changes nothing, even after good ones.
	if _, err := Import(context.Background(), b, []string{td("page0.json"), td("truncated.json")}, Options{Group: group}); err == nil {
		t.Fatal("no error")
	}
	if len(rows(t, b)) != 0 {
		t.Error("a failed import changed members")
	}
}

// TestCurveAgreesWithMEE6 checks levels at both ends of every level up
// to 100 (XP from MEE6's formula 5n²+50n+100): none disagree.
func TestCurveAgreesWithMEE6(t *testing.T) {
	var players []string
	total := int64(0)
	for lvl := 0; lvl <= 100; lvl++ {
		next := total + int64(5*lvl*lvl+50*lvl+100)
		players = append(players,
			fmt.Sprintf(`{"id":"%d","username":"p%d","xp":%d,"level":%d}`, 2*lvl+1, lvl, total, lvl),
			fmt.Sprintf(`{"id":"%d","username":"q%d","xp":%d,"level":%d}`, 2*lvl+2, lvl, next-1, lvl))
		total = next
	}
	path := filepath.Join(t.TempDir(), "levels.json")
	if err := os.WriteFile(path, []byte(`{"players":[`+strings.Join(players, ",")+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Import(context.Background(), newBot(t), []string{path}, Options{Group: group, DryRun: true})
	if err != nil || s.Players != 202 || len(s.Mismatches) != 0 {
		t.Fatalf("%v: %d players, mismatches %+v", err, s.Players, s.Mismatches)
	}
}
