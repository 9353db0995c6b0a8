package wechatcsv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/store"
)

const group = "wechat/读书会"

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func newBot(t *testing.T) (*bot.Bot, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	b := bot.New(db, bot.Options{Clock: fixedClock{time.Date(2023, 2, 1, 4, 0, 0, 0, time.UTC)}, Seed: 1,
		Settings: func(string) bot.GroupSettings {
			s := bot.DefaultSettings()
			s.Location, s.Locale = shanghai, "zh"
			return s
		}})
	return b, db
}

func td(name string) string { return filepath.Join("testdata", name) }

func rowsByName(t *testing.T, b *bot.Bot) map[string]bot.MemberRow {
	t.Helper()
	rows, err := b.Members(context.Background(), group, b.Clock().Now())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bot.MemberRow{}
	for _, r := range rows {
		m[r.Name] = r
	}
	return m
}

func read(t *testing.T, db *store.DB, fn func(g *store.Group) error) {
	t.Helper()
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		if g == nil {
			return fmt.Errorf("no group %s", group)
		}
		return fn(g)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func memberDay(t *testing.T, db *store.DB, date, id string) (a store.DayAgg) {
	t.Helper()
	d, _ := calendar.ParseDay(date)
	read(t, db, func(g *store.Group) error {
		p, err := g.Day(d, id)
		if p != nil {
			a = *p
		}
		return err
	})
	return a
}

func groupDay(t *testing.T, db *store.DB, date string) (s store.GroupDay) {
	t.Helper()
	d, _ := calendar.ParseDay(date)
	read(t, db, func(g *store.Group) error {
		p, err := g.GroupDay(d)
		if p != nil {
			s = *p
		}
		return err
	})
	return s
}

func xpRolls(t *testing.T, who string, xp int64, n int) {
	t.Helper()
	if xp < int64(15*n) || xp > int64(25*n) {
		t.Errorf("%s: XP %d is not %d rewarded messages (15–25 each)", who, xp, n)
	}
}

func TestImport(t *testing.T) {
	b, db := newBot(t)
	s, err := Import(context.Background(), b, []string{td("group.csv")}, Options{Group: "读书会"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Group != group || s.Messages != 7 || s.Joins != 3 || s.Leaves != 1 || s.Members != 4 || s.Days != 2 || s.Recorded != 11 {
		t.Errorf("summary: %+v", s)
	}
	for reason, n := range map[string]int64{
		"recalled-message notices": 1,
		"pats (拍一拍)":               1,
		"other system lines (group renames, notices, red packets, …)":                1,
		"quote-replies without the quoted member's name (counted as plain messages)": 1,
	} {
		if got := s.Skipped.Count(reason); got != n {
			t.Errorf("skipped %q: %d, want %d", reason, got, n)
		}
	}
	var out bytes.Buffer
	s.Print(&out)
	if !strings.Contains(out.String(), "2023-01-06 to 2023-01-07 (Asia/Shanghai)") || !strings.Contains(out.String(), "leaves     1") {
		t.Errorf("summary:\n%s", out.String())
	}

	rows := rowsByName(t, b)
	want := map[string]struct {
		messages int64
		rolls    int
		present  bool
	}{
		"张三": {1, 1, true},
		"李四": {3, 2, true},  // 签到 in history counts as a message; as live, a command earns no XP and is not run
		"王五": {1, 1, false}, // removed on the second day
		"赵六": {2, 1, true},  // an image earns nothing
	}
	if len(rows) != len(want) {
		t.Errorf("members %v", rows)
	}
	for name, w := range want {
		r := rows[name]
		if r.ID != name || r.Messages != w.messages || r.Present != w.present || r.Points != 0 || r.Checkins != 0 {
			t.Errorf("%s: %+v; want id = nickname, %d messages, present %v", name, r, w.messages, w.present)
		}
		xpRolls(t, name, r.XP, w.rolls)
	}

	if d := memberDay(t, db, "2023-01-06", "张三"); d.Messages != 1 || d.RepliesRecv != 1 || d.MentionsGiven != 1 {
		t.Errorf("张三 01-06: %+v; want a message with a mention, and the quote-reply received", d)
	}
	if d := memberDay(t, db, "2023-01-06", "李四"); d.MentionsRecv != 1 || d.Messages != 1 {
		t.Errorf("李四 01-06: %+v", d)
	}
	if d := memberDay(t, db, "2023-01-06", "王五"); d.RepliesGiven != 1 || d.Chars != int64(len([]rune("谢谢张三！& 大家"))) {
		t.Errorf("王五 01-06: %+v; want the reply with its title's text", d)
	}
	if g := groupDay(t, db, "2023-01-06"); g.Messages != 4 || g.Active != 4 || g.Joins != 3 || g.Interactive != 2 || g.Leaves != 0 {
		t.Errorf("group 01-06: %+v", g)
	}
	if g := groupDay(t, db, "2023-01-07"); g.Messages != 3 || g.Active != 2 || g.Leaves != 1 || g.Joins != 0 {
		t.Errorf("group 01-07: %+v", g)
	}
	// Joins carry the inviter.
	var inviters []string
	read(t, db, func(g *store.Group) error {
		return g.ForEachRoster(0, 1<<40, func(e store.RosterEntry) error {
			if e.Join {
				inviters = append(inviters, e.Name+"←"+e.Inviter)
			}
			return nil
		})
	})
	if w := []string{"李四←张三", "王五←张三", "赵六←张三"}; !reflect.DeepEqual(inviters, w) {
		t.Errorf("joins %v, want %v", inviters, w)
	}

	// Again: nothing twice.
	before := rowsByName(t, b)
	s, err = Import(context.Background(), b, []string{td("group.csv")}, Options{Group: group})
	if err != nil || s.Recorded != 0 || s.Duplicates != 11 {
		t.Fatalf("re-import: %v, recorded %d, duplicates %d", err, s.Recorded, s.Duplicates)
	}
	if after := rowsByName(t, b); !reflect.DeepEqual(before, after) {
		t.Errorf("re-import changed members:\n%v\n%v", before, after)
	}
}

func TestBadRows(t *testing.T) {
	b, _ := newBot(t)
	_, err := Import(context.Background(), b, []string{td("group.csv"), td("group_bad.csv")}, Options{Group: group})
	var fe *importer.FileError
	var se *importer.StoppedError
	if !errors.As(err, &fe) || !errors.As(err, &se) || fe.Line != 4 || !strings.Contains(err.Error(), `group_bad.csv: line 4: record 3: Type "text" is not a number`) {
		t.Fatalf("error %v; want record 3 at line 4 of group_bad.csv, with what was committed", err)
	}
	if se.Messages != 8 {
		t.Errorf("committed %d messages before the bad row, want 8", se.Messages)
	}

	b2, _ := newBot(t)
	s, err := Import(context.Background(), b2, []string{td("group_bad.csv"), td("group.csv")}, Options{Group: group, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Skipped.Count("malformed records") != 1 || s.Messages != 9 || s.Joins != 4 {
		t.Errorf("skip-bad: %+v", s)
	}
	if bo := rowsByName(t, b2)["Bo"]; bo.Messages != 2 || !bo.Present {
		t.Errorf("Bo (joined by an English line; a row without CreateTime uses StrTime): %+v", bo)
	}
}

// ids is a WeChatIdentities like the adapter's: stable ids per nickname.
type ids struct {
	mu     sync.Mutex
	groups []string
	m      map[string]string
}

func (s *ids) Member(_ context.Context, group, nickname string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups = append(s.groups, group)
	if id, ok := s.m[nickname]; ok {
		return id, nil
	}
	if nickname == "坏人" {
		return "", errors.New("ambiguous nickname")
	}
	id := fmt.Sprintf("u%03d", len(s.m)+1)
	s.m[nickname] = id
	return id, nil
}

func TestIdentities(t *testing.T) {
	b, _ := newBot(t)
	idx := &ids{m: map[string]string{"李四": "u-lisi"}}
	if _, err := Import(context.Background(), b, []string{td("group.csv")}, Options{Group: group, Identities: idx}); err != nil {
		t.Fatal(err)
	}
	rows := rowsByName(t, b)
	if r := rows["李四"]; r.ID != "u-lisi" || r.Messages != 3 {
		t.Errorf("李四: %+v", r)
	}
	if r := rows["张三"]; !strings.HasPrefix(r.ID, "u0") {
		t.Errorf("张三: %+v", r)
	}
	for _, g := range idx.groups {
		if g != group {
			t.Fatalf("identity asked for group %q", g)
		}
	}
}

func TestMentioned(t *testing.T) {
	c := &conv{known: map[string]bool{"李四": true, "李四四": true, "Ann": true, "张三": true}}
	for text, want := range map[string]string{
		"@李四\u2005你好":       "李四",
		"@李四，你好":            "李四",
		"@李四四 和 @Ann":       "李四四 Ann",
		"@李四五 hi":           "",
		"mail me@Annex.com": "",
		"@张三 @张三 @Ann":      "Ann", // self (张三) is not a mention; each once
		"＠Ann":              "Ann",
	} {
		if got := strings.Join(c.mentioned(text, "张三"), " "); got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}

func TestQuote(t *testing.T) {
	title, who, ok := quote(`<msg><appmsg><title><![CDATA[好的 <3]]></title><refermsg><displayname>Ann &amp; Bo</displayname></refermsg></appmsg></msg>`)
	if title != "好的 <3" || who != "Ann & Bo" || !ok {
		t.Errorf("quote: %q %q %v", title, who, ok)
	}
	if title, who, ok := quote("plain text"); title != "plain text" || who != "" || !ok {
		t.Errorf("plain: %q %q %v", title, who, ok)
	}
}
