package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

func day(s string) calendar.Day {
	d, err := calendar.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func handle(t *testing.T, b *bot.Bot, evs ...bot.Event) []bot.Reply {
	t.Helper()
	var out []bot.Reply
	for _, ev := range evs {
		r, err := b.Handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("%s of %s: %v", ev.Kind, ev.Member.ID, err)
		}
		out = append(out, r...)
	}
	return out
}

// TestPresentWithJoinTime: Pulse starts on 2026-03-02 and the platform
// lists three members: old (joined 2023-05-01), fresh (no join time) and,
// listed on 03-06, recent (joined 03-05, while Pulse was down). All three
// speak on 03-08. By hand, for the 7 days 03-02..03-08:
//   - members 3, new_members 0 (a listing is no join);
//   - segments: old joined long before 03-02 (= 03-08 − 6) → active
//     (1 day of the last 7), not new; fresh has no join time and was first
//     seen 03-02 ≥ 03-02 → new, as before; recent joined 03-05 ≥ 03-02 →
//     new. So new 2, active 1.
//   - old's first day is 2023-05-01; fresh's stays 2026-03-02.
//
// Make-up on 03-08 (window 7 days: 03-01..03-07, cost 5; a check-in pays
// 10): old makes up 03-01, before Pulse's first day but after their join
// → accepted, balance 10 − 5 = 5; fresh asking for 03-01 is told they had
// not joined yet (first seen 03-02), as before.
func TestPresentWithJoinTime(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	s := bot.DefaultSettings()
	s.Rules.Makeup.Cost = 5
	b := bottest.New(t, now, bot.Options{Seed: 1, Settings: bottest.Settings(s)})
	const g = "discord/1"
	old, fresh, recent := bot.Member{ID: "old"}, bot.Member{ID: "fresh"}, bot.Member{ID: "recent"}
	handle(t, b,
		bot.Event{Kind: bot.KindPresent, Group: g, Member: old, Time: start, Joined: time.Date(2023, 5, 1, 8, 0, 0, 0, time.UTC)},
		bot.Event{Kind: bot.KindPresent, Group: g, Member: fresh, Time: start},
		bot.Event{Kind: bot.KindPresent, Group: g, Member: recent, Time: start.AddDate(0, 0, 4), Joined: start.AddDate(0, 0, 3)},
		bot.Event{Kind: bot.KindMessage, Group: g, ID: "m1", Member: old, Text: "hello there", Time: now},
		bot.Event{Kind: bot.KindMessage, Group: g, ID: "m2", Member: fresh, Text: "hello there", Time: now.Add(time.Minute)},
		bot.Event{Kind: bot.KindMessage, Group: g, ID: "m3", Member: recent, Text: "hello there", Time: now.Add(2 * time.Minute)},
	)
	ctx := context.Background()
	rep, err := b.Report(ctx, g, day("2026-03-08"), 7)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Members != 3 || rep.NewMembers != 0 {
		t.Errorf("members %d, new_members %d; want 3, 0", rep.Members, rep.NewMembers)
	}
	if sg := rep.Segments; sg.New != 2 || sg.Active != 1 || sg.Core != 0 || sg.Silent != 0 {
		t.Errorf("segments %+v; want new 2, active 1", sg)
	}
	rows, err := b.Members(ctx, g, now)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	for _, r := range rows {
		first[r.ID] = r.FirstSeen
	}
	if first["old"] != "2023-05-01" || first["fresh"] != "2026-03-02" || first["recent"] != "2026-03-05" {
		t.Errorf("first days %v", first)
	}

	at := now.Add(time.Hour)
	msg := func(m bot.Member, id, text string) bot.Event {
		at = at.Add(time.Minute)
		return bot.Event{Kind: bot.KindMessage, Group: g, ID: id, Member: m, Text: text, Time: at}
	}
	got := handle(t, b, msg(old, "c1", "/checkin"), msg(old, "u1", "/makeup 2026-03-01"))
	if len(got) < 2 || !strings.Contains(got[len(got)-1].Text, "made up 2026-03-01") || !strings.Contains(got[len(got)-1].Text, "balance 5") {
		t.Errorf("old's make-up of 2026-03-01 answered %q", texts(got))
	}
	got = handle(t, b, msg(fresh, "c2", "/checkin"), msg(fresh, "u2", "/makeup 2026-03-01"))
	if !strings.Contains(got[len(got)-1].Text, "weren't in the group yet on 2026-03-01 (you joined 2026-03-02)") {
		t.Errorf("fresh's make-up of 2026-03-01 answered %q", texts(got))
	}
}

func texts(rs []bot.Reply) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Text)
	}
	return out
}

// TestJoinAfterListing: a member listed with a join time T, then a join
// notice at T: the listing counts no join, the notice counts 1, the same
// notice repeated counts nothing more. A join whose Joined is set is
// dated by it. By hand: joins on 03-02 = 1 (the notice), on 03-01 = 1
// (b's join, Joined 03-01 though handed over on 03-02).
func TestJoinAfterListing(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b := bottest.New(t, at, bot.Options{Seed: 1})
	const g = "discord/1"
	a := bot.Member{ID: "a"}
	joined := at.Add(-time.Hour)
	handle(t, b,
		bot.Event{Kind: bot.KindPresent, Group: g, Member: a, Time: at, Joined: joined},
		bot.Event{Kind: bot.KindJoin, Group: g, Member: a, Time: joined},
		bot.Event{Kind: bot.KindJoin, Group: g, Member: a, Time: joined},
		bot.Event{Kind: bot.KindJoin, Group: g, Member: bot.Member{ID: "b"}, Time: at, Joined: at.AddDate(0, 0, -1)},
	)
	rows, err := b.Daily(context.Background(), g, day("2026-03-01"), day("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Joins != 1 || rows[1].Joins != 1 {
		t.Errorf("daily %+v; want 1 join on 03-01 and 1 on 03-02", rows)
	}
}

// TestReconcile: a, b and c are listed on 03-02 (present, no activity);
// on 03-03 at 12:00 the platform's complete list holds a and b. By hand:
// 1 left (c), dated 03-03 12:00; on 03-03 members 3 − 1 = 2, left_members
// 1; the roster has c's leave at that second. d, whose join (03-04 09:00)
// comes after the list was read, is not touched. A second reconciliation with the
// same list finds no one; an empty list is refused and changes nothing.
func TestReconcile(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
	db := bottest.Open(t)
	b := bot.New(db, bot.Options{Clock: calendar.Fixed(at), Seed: 1})
	ctx := context.Background()
	const g = "discord/1"
	a, bb, c, d := bot.Member{ID: "a"}, bot.Member{ID: "b"}, bot.Member{ID: "c"}, bot.Member{ID: "d"}
	for _, m := range []bot.Member{a, bb, c} {
		handle(t, b, bot.Event{Kind: bot.KindPresent, Group: g, Member: m, Time: start})
	}
	handle(t, b, bot.Event{Kind: bot.KindJoin, Group: g, Member: d, Time: at.Add(21 * time.Hour)})

	left, err := b.Reconcile(ctx, g, []bot.Member{a, bb}, at)
	if err != nil || left != 1 {
		t.Fatalf("Reconcile = %d, %v; want 1", left, err)
	}
	rep, err := b.Report(ctx, g, day("2026-03-03"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Members != 2 || rep.LeftMembers != 1 || rep.NewMembers != 0 {
		t.Errorf("03-03: members %d, left %d, new %d; want 2, 1, 0", rep.Members, rep.LeftMembers, rep.NewMembers)
	}
	rep, err = b.Report(ctx, g, day("2026-03-02"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Members != 3 || rep.LeftMembers != 0 {
		t.Errorf("03-02: members %d, left %d; want 3, 0 (c was there)", rep.Members, rep.LeftMembers)
	}
	var roster []store.RosterEntry
	err = db.View(func(tx *store.Tx) error {
		sg, err := tx.Group(g)
		if err != nil {
			return err
		}
		return sg.ForEachRoster(0, at.Unix()+86400, func(e store.RosterEntry) error {
			roster = append(roster, e)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(roster) != 2 || roster[0].Member != "c" || roster[0].Join || roster[0].Time != at.Unix() || roster[1].Member != "d" || !roster[1].Join {
		t.Errorf("roster %+v; want c's leave at %d, then d's join", roster, at.Unix())
	}
	if left, err := b.Reconcile(ctx, g, []bot.Member{a, bb}, at.Add(time.Minute)); err != nil || left != 0 {
		t.Errorf("second Reconcile = %d, %v; want 0", left, err)
	}
	if left, err := b.Reconcile(ctx, g, nil, at); !errors.Is(err, bot.ErrBadEvent) || left != 0 {
		t.Errorf("empty list: %d, %v; want ErrBadEvent", left, err)
	}
	if left, err := b.Reconcile(ctx, "discord/unknown", []bot.Member{a}, at); err != nil || left != 0 {
		t.Errorf("unknown group: %d, %v; want 0, nil", left, err)
	}
	rows, err := b.Members(ctx, g, at)
	if err != nil {
		t.Fatal(err)
	}
	present := 0
	for _, r := range rows {
		if r.Present {
			present++
		}
	}
	if present != 3 {
		t.Errorf("%d present after the refused reconciliations, want 3 (a, b, d)", present)
	}
}
