package discordexport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/store"
)

const guild = "discord/111"

var testNow = time.Date(2023, 2, 1, 12, 0, 0, 0, time.UTC)

func newBot(t *testing.T) (*bot.Bot, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return bot.New(db, bot.Options{Clock: fixedClock{testNow}, Seed: 1}), db
}

func td(name string) string { return filepath.Join("testdata", name) }

func importFiles(t *testing.T, b *bot.Bot, o Options, names ...string) []*importer.Summary {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, td(n))
	}
	sums, err := Import(context.Background(), b, paths, o)
	if err != nil {
		t.Fatalf("import %v: %v", names, err)
	}
	return sums
}

func memberRows(t *testing.T, b *bot.Bot, group string) map[string]bot.MemberRow {
	t.Helper()
	rows, err := b.Members(context.Background(), group, b.Clock().Now())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bot.MemberRow{}
	for _, r := range rows {
		m[r.ID] = r
	}
	return m
}

func day(t *testing.T, s string) calendar.Day {
	t.Helper()
	d, err := calendar.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// memberDay reads a member's aggregate of a day.
func memberDay(t *testing.T, db *store.DB, group, date, id string) store.DayAgg {
	t.Helper()
	var a store.DayAgg
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		p, err := g.Day(day(t, date), id)
		if p != nil {
			a = *p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func groupDay(t *testing.T, db *store.DB, group, date string) store.GroupDay {
	t.Helper()
	var s store.GroupDay
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		p, err := g.GroupDay(day(t, date))
		if p != nil {
			s = *p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// allDays snapshots every member-day and group-day of a group.
func allDays(t *testing.T, db *store.DB, group string) (map[string]store.DayAgg, map[calendar.Day]store.GroupDay) {
	t.Helper()
	members, groups := map[string]store.DayAgg{}, map[calendar.Day]store.GroupDay{}
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		if err := g.ForEachDay(0, 1<<31, func(d calendar.Day, id string, a *store.DayAgg) error {
			members[d.String()+"/"+id] = *a
			return nil
		}); err != nil {
			return err
		}
		return g.ForEachGroupDay(0, 1<<31, func(d calendar.Day, s *store.GroupDay) error {
			groups[d] = *s
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return members, groups
}

// xpRolls checks XP is what n rewarded messages of 15–25 XP give.
func xpRolls(t *testing.T, who string, xp int64, n int) {
	t.Helper()
	if xp < int64(15*n) || xp > int64(25*n) {
		t.Errorf("%s: XP %d is not %d rewarded messages (15–25 each)", who, xp, n)
	}
}

// TestGuildMerge imports two channels of one guild, merged by time: the
// cooldown applies across channels, replies are attributed across
// channels, reactions with users are credited, joins counted, bots and
// system messages left out.
func TestGuildMerge(t *testing.T) {
	b, db := newBot(t)
	sums := importFiles(t, b, Options{}, "general.json", "random.json")
	if len(sums) != 1 || sums[0].Group != guild {
		t.Fatalf("summaries: %+v", sums)
	}
	s := sums[0]
	if s.Messages != 10 || s.Reactions != 2 || s.Joins != 2 || s.Members != 4 || s.Days != 2 {
		t.Errorf("summary: messages %d reactions %d joins %d members %d days %d; want 10 2 2 4 2", s.Messages, s.Reactions, s.Joins, s.Members, s.Days)
	}
	// 1008's 🎉 ×3 lists no users: one count-only event of 3 reactions.
	if s.CountOnly != 1 || s.CountOnlyReactions != 3 {
		t.Errorf("count-only: %d events, %d reactions; want 1, 3", s.CountOnly, s.CountOnlyReactions)
	}
	// 10 messages + 2 reactions with users + 1 count-only + 2 joins.
	if s.Recorded != 15 || s.Duplicates != 0 || s.Batches != 1 {
		t.Errorf("recorded %d duplicates %d batches %d; want 15 0 1", s.Recorded, s.Duplicates, s.Batches)
	}
	for reason, n := range map[string]int64{
		"messages and joins by bots (not members, never counted)":                      1,
		"system messages of type ChannelPinnedMessage":                                 1,
		"reply attributions to messages not in the import (counted as plain messages)": 1,
	} {
		if got := s.Skipped.Count(reason); got != n {
			t.Errorf("skipped %q: %d, want %d", reason, got, n)
		}
	}
	var out bytes.Buffer
	s.Print(&out)
	for _, want := range []string{"discord-export → discord/111", "messages   10", "reactions  3 count-only (reactor unknown) on 1 messages", "members    4 with messages", "2023-01-06 to 2023-01-07 (UTC)", "general.json, byte "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}

	rows := memberRows(t, b, guild)
	if _, ok := rows["159985870458322944"]; ok {
		t.Errorf("the MEE6 bot became a member: %+v", rows["159985870458322944"])
	}
	want := map[string]struct {
		name     string
		messages int64
		rolls    int
		present  bool
	}{
		"501": {"Alice", 3, 2, true}, // 09:01:30 in #random is within the cooldown of 09:01:00 in #general
		"502": {"Bob", 3, 2, true},   // 09:02:40 within the cooldown of 09:02:00
		"503": {"Carol", 2, 2, true},
		"504": {"Dave", 2, 2, true},
		"505": {"Eve", 0, 0, true}, // joined, silent
	}
	if len(rows) != len(want) {
		t.Errorf("%d members, want %d: %v", len(rows), len(want), rows)
	}
	for id, w := range want {
		r := rows[id]
		if r.Name != w.name || r.Messages != w.messages || r.Present != w.present || r.Points != 0 {
			t.Errorf("member %s: %+v; want name %s, %d messages, present %v, 0 points", id, r, w.name, w.messages, w.present)
		}
		xpRolls(t, w.name, r.XP, w.rolls)
	}

	// 2023-01-06
	alice := memberDay(t, db, guild, "2023-01-06", "501")
	if alice.Messages != 3 || alice.RepliesRecv != 1 || alice.MentionsRecv != 1 || alice.ReactRecv != 2 || alice.Reacted != 1 {
		t.Errorf("alice 01-06: %+v; want 3 messages, 1 reply and 1 mention received (not the bot's), 2 reactions on 1 message", alice)
	}
	bob := memberDay(t, db, guild, "2023-01-06", "502")
	if bob.Messages != 2 || bob.RepliesGiven != 1 || bob.MentionsGiven != 1 || bob.Interactive != 1 || bob.ReactGiven != 1 {
		t.Errorf("bob 01-06: %+v", bob)
	}
	carol := memberDay(t, db, guild, "2023-01-06", "503")
	if carol.Messages != 1 || carol.ReactGiven != 1 {
		t.Errorf("carol 01-06: %+v", carol)
	}
	d1 := groupDay(t, db, guild, "2023-01-06")
	if d1 != (store.GroupDay{Messages: 6, Chars: d1.Chars, Active: 3, Joins: 1, Interactive: 1, Reacted: 1, Reactions: 2}) {
		t.Errorf("group 01-06: %+v", d1)
	}
	// 2023-01-07: a cross-channel reply to alice, and a wave at eve's join.
	if a := memberDay(t, db, guild, "2023-01-07", "501"); a.RepliesRecv != 1 || a.Messages != 0 || a.MentionsRecv != 0 {
		t.Errorf("alice 01-07: %+v; want the reply from #random (its ping is not a mention)", a)
	}
	if e := memberDay(t, db, guild, "2023-01-07", "505"); e.RepliesRecv != 1 {
		t.Errorf("eve 01-07: %+v; want the reply to her join", e)
	}
	if d := memberDay(t, db, guild, "2023-01-07", "504"); d.Messages != 2 || d.RepliesGiven != 2 {
		t.Errorf("dave 01-07: %+v", d)
	}
	if b := memberDay(t, db, guild, "2023-01-07", "502"); b.Messages != 1 || b.RepliesGiven != 0 {
		t.Errorf("bob 01-07: %+v; the reply to an unknown message is a plain message", b)
	}
	// carol's 1008 drew 🎉 ×3, reactors unknown: received, given by no one.
	if c := memberDay(t, db, guild, "2023-01-07", "503"); c.ReactRecv != 3 || c.Reacted != 1 || c.ReactGiven != 0 {
		t.Errorf("carol 01-07: %+v; want 3 count-only reactions received on 1 message", c)
	}
	d2 := groupDay(t, db, guild, "2023-01-07")
	if d2.Messages != 4 || d2.Active != 3 || d2.Joins != 1 || d2.Interactive != 2 || d2.Reacted != 1 || d2.Reactions != 3 {
		t.Errorf("group 01-07: %+v", d2)
	}
	// Interaction rate over both days, by hand from general.json and
	// random.json: 10 counted messages. Interactive: 1003 (reply to
	// alice), 2003 (reply to alice), 2005 (reply to eve's join) → 3; drew
	// a reaction: 1005 (👍 by bob and carol), 1008 (🎉 ×3, count-only) → 2;
	// none is both. (3 + 2) ÷ 10 = 0.5; before count-only reactions counted
	// it was (3 + 1) ÷ 10 = 0.4.
	if r := interactionRate(t, b, "2023-01-07", 2); r != (metrics.Ratio{Num: 5, Den: 10}) {
		t.Errorf("interaction rate %v, want 5/10", r)
	}
}

// interactionRate is the group's interaction rate over days days ending on to.
func interactionRate(t *testing.T, b *bot.Bot, to string, days int) metrics.Ratio {
	t.Helper()
	d, err := calendar.ParseDay(to)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := b.Report(context.Background(), guild, d, days)
	if err != nil {
		t.Fatal(err)
	}
	return rep.InteractionRate
}

// TestCountOnlyReactions imports count_only.json: 3 messages, the second
// (bob's) with 🔥 count 2 and no users. By hand: interaction rate 1 ÷ 3
// (only bob's message drew a reaction; no replies or mentions), bob
// received 2 reactions on 1 message, and no one gave any.
func TestCountOnlyReactions(t *testing.T) {
	b, db := newBot(t)
	s := importFiles(t, b, Options{}, "count_only.json")[0]
	if s.Messages != 3 || s.Reactions != 0 || s.CountOnly != 1 || s.CountOnlyReactions != 2 || s.Recorded != 4 {
		t.Errorf("summary: %+v", s)
	}
	if r := interactionRate(t, b, "2023-02-01", 1); r != (metrics.Ratio{Num: 1, Den: 3}) {
		t.Errorf("interaction rate %v, want 1/3", r)
	}
	bob := memberDay(t, db, guild, "2023-02-01", "502")
	if bob.ReactRecv != 2 || bob.Reacted != 1 || bob.ReactGiven != 0 {
		t.Errorf("bob: %+v; want 2 reactions received on 1 message, none given", bob)
	}
	for _, id := range []string{"501", "503"} {
		if a := memberDay(t, db, guild, "2023-02-01", id); a.ReactGiven != 0 || a.ReactRecv != 0 {
			t.Errorf("%s: %+v; want no reactions given or received", id, a)
		}
	}
	g := groupDay(t, db, guild, "2023-02-01")
	if g.Messages != 3 || g.Reacted != 1 || g.Reactions != 2 || g.Interactive != 0 {
		t.Errorf("group: %+v", g)
	}
	// Again: the count is not counted twice.
	if s := importFiles(t, b, Options{}, "count_only.json")[0]; s.Recorded != 0 || s.Duplicates != 4 {
		t.Errorf("re-import: recorded %d, duplicates %d; want 0, 4", s.Recorded, s.Duplicates)
	}
	if g2 := groupDay(t, db, guild, "2023-02-01"); g2 != g {
		t.Errorf("re-import changed the day: %+v", g2)
	}
}

// TestMixedReactions: a message whose export lists the users of one
// reaction and only the count of another counts once as reacted, its
// author receives both, and the listed users are credited as givers.
func TestMixedReactions(t *testing.T) {
	b, db := newBot(t)
	importFiles(t, b, Options{}, "count_mixed.json")
	alice := memberDay(t, db, guild, "2023-02-01", "501")
	// 👍 by bob (listed) + 🎉 ×2 (count only) = 3 received, 1 message.
	if alice.ReactRecv != 3 || alice.Reacted != 1 {
		t.Errorf("alice: %+v; want 3 reactions received on 1 message", alice)
	}
	if bob := memberDay(t, db, guild, "2023-02-01", "502"); bob.ReactGiven != 1 {
		t.Errorf("bob: %+v; want 1 reaction given", bob)
	}
	// 2 messages, alice's reacted once: 1 ÷ 2.
	if r := interactionRate(t, b, "2023-02-01", 1); r != (metrics.Ratio{Num: 1, Den: 2}) {
		t.Errorf("interaction rate %v, want 1/2", r)
	}
}

// TestReimport imports the same files again and an overlapping export:
// nothing counts twice.
func TestReimport(t *testing.T) {
	b, db := newBot(t)
	importFiles(t, b, Options{}, "general.json", "random.json")
	rows1 := memberRows(t, b, guild)
	days1, groups1 := allDays(t, db, guild)

	s := importFiles(t, b, Options{}, "random.json", "general.json")[0]
	if s.Recorded != 0 || s.Duplicates != 15 {
		t.Errorf("re-import: recorded %d, duplicates %d; want 0, 15", s.Recorded, s.Duplicates)
	}
	if rows2 := memberRows(t, b, guild); !reflect.DeepEqual(rows1, rows2) {
		t.Errorf("members changed by a re-import:\n%v\n%v", rows1, rows2)
	}
	if days2, groups2 := allDays(t, db, guild); !reflect.DeepEqual(days1, days2) || !reflect.DeepEqual(groups1, groups2) {
		t.Errorf("days changed by a re-import")
	}

	s = importFiles(t, b, Options{}, "overlap.json")[0]
	// 1008, its count-only 🎉 and 1009 again; 1010 is new.
	if s.Recorded != 1 || s.Duplicates != 3 {
		t.Errorf("overlap: recorded %d, duplicates %d; want 1, 3", s.Recorded, s.Duplicates)
	}
	rows3 := memberRows(t, b, guild)
	for id, r := range rows1 {
		if id == "503" {
			continue
		}
		if !reflect.DeepEqual(r, rows3[id]) {
			t.Errorf("member %s changed by the overlapping import: %+v → %+v", id, r, rows3[id])
		}
	}
	if c := rows3["503"]; c.Messages != rows1["503"].Messages+1 || c.XP <= rows1["503"].XP {
		t.Errorf("carol after the overlap: %+v (before %+v); want one more message with XP", c, rows1["503"])
	}
	days3, groups3 := allDays(t, db, guild)
	for k, v := range days1 {
		if days3[k] != v {
			t.Errorf("day %s changed by the overlapping import: %+v → %+v", k, v, days3[k])
		}
	}
	for k, v := range groups1 {
		if groups3[k] != v {
			t.Errorf("group day %s changed: %+v → %+v", k, v, groups3[k])
		}
	}
	if g := groupDay(t, db, guild, "2023-01-08"); g.Messages != 1 || g.Active != 1 {
		t.Errorf("group 01-08: %+v", g)
	}
}

// TestOldExport reads an export with only the oldest fields.
// TestNoXPAndBefore: a channel configured without XP counts activity but
// earns nothing; -before leaves out what Pulse recorded live.
func TestNoXPAndBefore(t *testing.T) {
	b, db := newBot(t)
	s := importFiles(t, b, Options{NoXPChannels: []string{"202"}, Before: time.Date(2023, 1, 7, 11, 30, 0, 0, time.UTC)}, "general.json", "random.json")[0]
	if n := s.Skipped.Count("records at or after -before (Pulse recorded that time live)"); n != 2 || s.Messages != 9 {
		t.Errorf("before: %d left out, %d messages; want 2 (eve's join, dave's wave), 9", n, s.Messages)
	}
	rows := memberRows(t, b, guild)
	if d := rows["504"]; d.XP != 0 || d.Messages != 1 {
		t.Errorf("dave wrote only in #random (no XP): %+v", d)
	}
	xpRolls(t, "carol", rows["503"].XP, 1) // 1008 in #general; 2002 in #random earns nothing
	if _, ok := rows["505"]; ok {
		t.Errorf("eve joined after -before: %+v", rows["505"])
	}
	if g := groupDay(t, db, guild, "2023-01-06"); g.Messages != 6 {
		t.Errorf("group 01-06: %+v", g)
	}
}

func TestOldExport(t *testing.T) {
	b, db := newBot(t)
	s := importFiles(t, b, Options{}, "old.json")[0]
	if s.Messages != 3 || s.Members != 2 {
		t.Errorf("old export: %d messages, %d members; want 3, 2", s.Messages, s.Members)
	}
	rows := memberRows(t, b, guild)
	if f := rows["506"]; f.Name != "frank" || f.Messages != 1 || f.FirstSeen != "2023-01-05" {
		t.Errorf("frank: %+v", f)
	}
	if g := rows["507"]; g.Name != "gina" || g.Messages != 2 {
		t.Errorf("gina: %+v (a later message without a name keeps the name)", g)
	}
	// 10:00:00.1234567+02:00 is 08:00 UTC; gina's reply by reference only.
	if f := memberDay(t, db, guild, "2023-01-05", "506"); f.RepliesRecv != 1 {
		t.Errorf("frank's day: %+v", f)
	}
}

// TestTruncated: a truncated file stops with its position, keeps what was
// committed and says so; the same command on the full file resumes; with
// SkipBad what can be read is imported and the rest reported.
func TestTruncated(t *testing.T) {
	b, _ := newBot(t)
	_, err := Import(context.Background(), b, []string{td("truncated.json")}, Options{})
	var fe *importer.FileError
	var se *importer.StoppedError
	if !errors.As(err, &fe) || !errors.As(err, &se) {
		t.Fatalf("error %v (%T); want a FileError inside a StoppedError", err, err)
	}
	if fe.File != td("truncated.json") || fe.Line == 0 || fe.Offset != 5076 || fe.Record {
		t.Errorf("position: %+v", fe)
	}
	for _, want := range []string{"truncated.json: line ", "(byte 5076)", "truncated", "after message 5", "Running the same command again resumes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	// Committed: the join, alice's and bob's messages before message 1005.
	if se.Messages != 3 || se.Committed != 4 {
		t.Errorf("committed %d events, %d messages; want 4, 3", se.Committed, se.Messages)
	}
	if r := memberRows(t, b, guild); r["501"].Messages != 1 || r["502"].Messages != 2 {
		t.Errorf("after the truncated file: %+v", r)
	}

	// Resume with the full file; compare with a fresh import of it.
	importFiles(t, b, Options{}, "general.json")
	fresh, _ := newBot(t)
	importFiles(t, fresh, Options{}, "general.json")
	if got, want := memberRows(t, b, guild), memberRows(t, fresh, guild); !reflect.DeepEqual(got, want) {
		t.Errorf("resumed import differs from a fresh one:\n%v\n%v", got, want)
	}

	// -skip-bad: what can be read is imported, the rest reported.
	b2, _ := newBot(t)
	sums, err := Import(context.Background(), b2, []string{td("truncated.json"), td("random.json")}, Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if s := sums[0]; s.Messages != 3+5-1 || len(s.Notes) == 0 || !strings.Contains(strings.Join(s.Notes, "\n"), "truncated") {
		t.Errorf("skip-bad: %d messages, notes %q", s.Messages, s.Notes)
	}
}

func TestMalformed(t *testing.T) {
	b, _ := newBot(t)
	_, err := Import(context.Background(), b, []string{td("malformed.json")}, Options{})
	var fe *importer.FileError
	if !errors.As(err, &fe) || fe.Line != 268 || !strings.Contains(fe.Msg, "malformed JSON: expected ',' or '}'") {
		t.Fatalf("error %v; want malformed JSON at line 268", err)
	}
	b2, _ := newBot(t)
	sums, err := Import(context.Background(), b2, []string{td("malformed.json")}, Options{SkipBad: true})
	if err != nil || sums[0].Messages != 4 {
		t.Fatalf("skip-bad: %v, %+v", err, sums)
	}
}

func TestBadRecords(t *testing.T) {
	b, _ := newBot(t)
	_, err := Import(context.Background(), b, []string{td("bad_records.json")}, Options{})
	var fe *importer.FileError
	if !errors.As(err, &fe) || !fe.Record || !strings.Contains(err.Error(), "message 2: no author id") || fe.Line == 0 {
		t.Fatalf("error %v; want message 2 without an author id, with its line", err)
	}
	b2, _ := newBot(t)
	sums, err := Import(context.Background(), b2, []string{td("bad_records.json")}, Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if s := sums[0]; s.Skipped.Count("malformed records") != 2 || s.Messages != 2 {
		t.Errorf("skip-bad: %d malformed, %d messages; want 2, 2", s.Skipped.Count("malformed records"), s.Messages)
	}
	if r := memberRows(t, b2, guild); r["508"].Messages != 2 {
		t.Errorf("hank: %+v", r["508"])
	}
}

func TestCSV(t *testing.T) {
	name := "Pulse Lab - Text Channels - general [201].csv"
	b, db := newBot(t)
	if _, err := Import(context.Background(), b, []string{td(name)}, Options{}); err == nil || !strings.Contains(err.Error(), "pass -group discord/<guild id>") {
		t.Fatalf("CSV without a group: %v", err)
	}
	s := importFiles(t, b, Options{Group: guild, Bots: []string{"900"}}, name)[0]
	if s.Messages != 7 || s.Members != 3 {
		t.Errorf("CSV: %d messages, %d members; want 7, 3", s.Messages, s.Members)
	}
	// bob's 9:01 message: 👍 (2),🎉 (1), counts only → 3 reactions, 1 event.
	if s.CountOnly != 1 || s.CountOnlyReactions != 3 {
		t.Errorf("count-only: %d events, %d reactions; want 1, 3", s.CountOnly, s.CountOnlyReactions)
	}
	if n := s.Skipped.Count("empty CSV rows (joins, pins and other notices, or sticker-only messages: the CSV does not say which)"); n != 1 {
		t.Errorf("empty rows: %d, want 1", n)
	}
	rows := memberRows(t, b, guild)
	if a := rows["501"]; a.Name != "alice" || a.Messages != 4 {
		t.Errorf("alice: %+v (the discriminator is dropped; the same text twice in a minute is two messages)", a)
	}
	if _, ok := rows["900"]; ok {
		t.Error("the bot listed with -bots became a member")
	}
	// 11:30 PM on 1/7 in UTC.
	if c := memberDay(t, db, guild, "2023-01-07", "503"); c.Messages != 1 {
		t.Errorf("carol 01-07: %+v", c)
	}
	if g := groupDay(t, db, guild, "2023-01-06"); g.Messages != 6 || g.Active != 2 || g.Reacted != 1 || g.Reactions != 3 {
		t.Errorf("group 01-06: %+v", g)
	}
	if b := memberDay(t, db, guild, "2023-01-06", "502"); b.ReactRecv != 3 || b.Reacted != 1 {
		t.Errorf("bob 01-06: %+v; want the 3 count-only reactions received", b)
	}
	// 7 messages (6 on 01-06, carol's on 01-07), no replies or mentions in
	// a CSV; bob's drew reactions → 1 ÷ 7.
	if r := interactionRate(t, b, "2023-01-07", 2); r != (metrics.Ratio{Num: 1, Den: 7}) {
		t.Errorf("CSV interaction rate %v, want 1/7", r)
	}
	s = importFiles(t, b, Options{Group: guild, Bots: []string{"900"}}, name)[0]
	if s.Recorded != 0 || s.Duplicates != 8 {
		t.Errorf("CSV re-import: recorded %d, duplicates %d", s.Recorded, s.Duplicates)
	}

	// The CSV's zone: read as America/Los_Angeles (UTC-8), carol's
	// 11:30 PM on 1/7 is 07:30 UTC on 1/8, a day later in the UTC group.
	b2, db2 := newBot(t)
	la, _ := time.LoadLocation("America/Los_Angeles")
	importFiles(t, b2, Options{Group: guild, CSVLocation: la}, name)
	if c := memberDay(t, db2, guild, "2023-01-08", "503"); c.Messages != 1 {
		t.Errorf("carol 01-08 (Los Angeles): %+v", c)
	}
	if c := memberDay(t, db2, guild, "2023-01-07", "503"); c.Messages != 0 {
		t.Errorf("carol 01-07 (Los Angeles): %+v", c)
	}
}

func TestGroupMismatch(t *testing.T) {
	b, _ := newBot(t)
	_, err := Import(context.Background(), b, []string{td("general.json")}, Options{Group: "discord/999"})
	if err == nil || !strings.Contains(err.Error(), "the export is of guild 111 (Pulse Lab), not discord/999") {
		t.Fatalf("error %v", err)
	}
	if _, err := Import(context.Background(), b, []string{td("nope.json")}, Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestTimestamps(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2023-01-06T14:22:25.25+00:00", time.Date(2023, 1, 6, 14, 22, 25, 250_000_000, time.UTC)},
		{"2023-01-06T14:22:25+00:00", time.Date(2023, 1, 6, 14, 22, 25, 0, time.UTC)},
		{"2020-09-14T18:38:58.1234567+02:00", time.Date(2020, 9, 14, 16, 38, 58, 123_456_700, time.UTC)},
		{"2020-09-14T18:38:58.123456789123-05:30", time.Date(2020, 9, 15, 0, 8, 58, 123_456_789, time.UTC)},
		{"2024-02-29T23:59:59Z", time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{"1999-12-31 23:00:00+0100", time.Date(1999, 12, 31, 22, 0, 0, 0, time.UTC)},
		{"2023-01-06T14:22:25", time.Date(2023, 1, 6, 14, 22, 25, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := parseTimestamp([]byte(tt.in), time.UTC)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%s: %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if ref, err := time.Parse(time.RFC3339Nano, tt.in); err == nil && !ref.Equal(got) {
			t.Errorf("%s: %v, time.Parse says %v", tt.in, got, ref)
		}
	}
	for _, bad := range []string{"", "2023-02-30T00:00:00Z", "2023-01-06T24:00:00Z", "2023-01-06T14:22:25+", "yesterday", "2023-01-06T14:22:25.+00:00", "2023-01-06T14:22:25Zjunk"} {
		if _, err := parseTimestamp([]byte(bad), time.UTC); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestParserAgainstEncodingJSON reads a synthetic export through a tiny
// buffer (every message crosses a refill) and compares each message with
// what encoding/json reads.
func TestParserAgainstEncodingJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.json")
	if _, err := writeSynthFile(path, synth{guild: "42", channel: "7", members: 50, start: testNow, seed: 3, idBase: 1e15}, 500); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Guild    struct{ ID string }
		Messages []struct {
			ID, Type, Timestamp, Content string
			Author                       struct {
				ID, Name, Nickname string
				IsBot              bool
			}
			Reactions []struct {
				Emoji struct{ ID, Name string }
				Count int64
				Users []struct{ ID string }
			}
			Mentions  []struct{ ID string }
			Reference *struct{ MessageID string }
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	j, err := openJSON(path, 64, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer j.close()
	if j.guildID != "42" {
		t.Errorf("guild %q", j.guildID)
	}
	for i, want := range ref.Messages {
		m, err := j.next()
		if err != nil || m == nil {
			t.Fatalf("message %d: %v, %v", i, m, err)
		}
		if string(m.id) != want.ID || string(m.typ) != want.Type || string(m.content) != want.Content ||
			string(m.author.id) != want.Author.ID || string(m.author.nickname) != want.Author.Nickname || m.author.isBot != want.Author.IsBot {
			t.Fatalf("message %d: %q %q %q %q; want %+v", i, m.id, m.typ, m.content, m.author.id, want)
		}
		ts, _ := time.Parse(time.RFC3339Nano, want.Timestamp)
		if !m.t.Equal(ts) || len(m.reactions) != len(want.Reactions) || len(m.mentions) != len(want.Mentions) || m.hasRef != (want.Reference != nil) {
			t.Fatalf("message %d: time %v reactions %d mentions %d ref %v; want %+v", i, m.t, len(m.reactions), len(m.mentions), m.hasRef, want)
		}
		for k, r := range want.Reactions {
			got := m.reactions[k]
			if string(got.emojiName) != r.Emoji.Name || got.count != r.Count || len(got.users) != len(r.Users) {
				t.Fatalf("message %d reaction %d: %+v; want %+v", i, k, got, r)
			}
		}
		if want.Reference != nil && string(m.refID) != want.Reference.MessageID {
			t.Fatalf("message %d: reference %q, want %q", i, m.refID, want.Reference.MessageID)
		}
	}
	if m, err := j.next(); m != nil || err != nil {
		t.Fatalf("after the last message: %v, %v", m, err)
	}
}

func TestReplyMapForgetsOldest(t *testing.T) {
	r := newReplyMap(3)
	for i := uint64(1); i <= 5; i++ {
		r.put(i, int32(i))
	}
	for i := uint64(1); i <= 5; i++ {
		_, ok := r.get(i, nil)
		if ok != (i >= 3) {
			t.Errorf("id %d remembered: %v", i, ok)
		}
	}
	if len(r.m) != 3 {
		t.Errorf("map holds %d ids, want 3", len(r.m))
	}
}
