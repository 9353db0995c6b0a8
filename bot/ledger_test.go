package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// ledgerBase is noon (UTC) of the day the ledger scenario ends on.
var ledgerBase = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

const ledgerGroup = "test/ledger"

var (
	alice = bot.Member{ID: "u-alice", Name: "Alice", IsAdmin: true}
	bob   = bot.Member{ID: "u-bob", Name: "Bob"}
	carol = bot.Member{ID: "u-carol", Name: "Carol"}
	dave  = bot.Member{ID: "u-dave", Name: "Dave"}
	robo  = bot.Member{ID: "u-robo", Name: "Robo", IsBot: true}
)

func mention(m bot.Member) []bot.Member {
	return []bot.Member{{ID: m.ID, Name: m.Name, IsBot: m.IsBot}}
}

// ledgerStep is one message of the scenario and what the bot must say.
type ledgerStep struct {
	name     string
	from     bot.Member
	day      int // relative to ledgerBase's day
	text     string
	mentions []bot.Member
	id       string // platform id; "" derives one from the step number

	want    []string // fragments the joined reply texts must contain
	notWant []string // fragments they must not contain
	silent  bool     // no reply at all (a replay)
	points  map[string]int64
}

func TestLedgerScenario(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(ledgerBase), Seed: 1})
	ctx := context.Background()

	d := func(rel int) string { return calendar.DayOf(ledgerBase.AddDate(0, 0, rel), time.UTC).String() }

	steps := []ledgerStep{
		{name: "bob says hello", from: bob, day: -3, text: "hello everyone", points: map[string]int64{bob.ID: 0}},
		{name: "dave says hello", from: dave, day: -3, text: "hi all"},
		{name: "carol says hello", from: carol, day: -3, text: "good morning"},
		{name: "bob checks in", from: bob, day: -2, text: "/checkin",
			want: []string{"Bob checked in", "+10 points", "balance 10"}, points: map[string]int64{bob.ID: 10}},
		{name: "admin grants", from: alice, day: -1, text: "/grant @Bob 50 helping out", mentions: mention(bob), id: "grant-50",
			want: []string{"Alice granted 50 points to Bob", "helping out", "Bob now has 60"}, points: map[string]int64{bob.ID: 60, alice.ID: 0}},
		{name: "replayed grant is dropped", from: alice, day: -1, text: "/grant @Bob 50 helping out", mentions: mention(bob), id: "grant-50",
			silent: true, points: map[string]int64{bob.ID: 60}},
		{name: "member may not grant", from: carol, day: -1, text: "/grant @Bob 5 for fun", mentions: mention(bob),
			want: []string{"only admins"}, notWant: []string{"granted"}, points: map[string]int64{bob.ID: 60, carol.ID: 0}},
		{name: "member may not deduct", from: carol, day: -1, text: "/deduct @Bob 5", mentions: mention(bob),
			want: []string{"only admins"}, points: map[string]int64{bob.ID: 60}},
		{name: "deduct below zero refused", from: alice, day: -1, text: "/deduct @Bob 100 too much", mentions: mention(bob),
			want: []string{"Bob has only 60 points", "can't deduct 100", "never go negative"}, notWant: []string{"deducted"},
			points: map[string]int64{bob.ID: 60}},
		{name: "negative grant below zero refused", from: alice, day: -1, text: "/grant @Bob -61", mentions: mention(bob),
			want: []string{"Bob has only 60 points", "can't deduct 61"}, points: map[string]int64{bob.ID: 60}},
		{name: "deduct within balance", from: alice, day: -1, text: "/deduct @Bob 15 spam", mentions: mention(bob),
			want: []string{"Alice deducted 15 points from Bob", "(spam)", "Bob now has 45"}, points: map[string]int64{bob.ID: 45}},
		{name: "unknown member", from: alice, day: -1, text: "/grant @nobody 5 who",
			want: []string{`I don't know a member "nobody"`}, notWant: []string{"granted"}, points: map[string]int64{bob.ID: 45}},
		{name: "bad amount", from: alice, day: -1, text: "/grant @Bob lots", mentions: mention(bob),
			want: []string{`"lots" is not a valid amount`}, points: map[string]int64{bob.ID: 45}},
		{name: "amount over the cap", from: alice, day: -1, text: "/grant @Bob 1000001", mentions: mention(bob),
			want: []string{"not a valid amount"}, points: map[string]int64{bob.ID: 45}},
		{name: "no amount", from: alice, day: -1, text: "/grant @Bob", mentions: mention(bob),
			want: []string{"Usage: /grant"}, points: map[string]int64{bob.ID: 45}},
		{name: "negative deduct refused", from: alice, day: -1, text: "/deduct @Bob -5", mentions: mention(bob),
			want: []string{"not a valid amount"}, points: map[string]int64{bob.ID: 45}},
		{name: "make-up success", from: bob, day: 0, text: "/makeup",
			want: []string{"Bob made up " + d(-1) + " for 20 points", "balance 25", "streak 2 days"}, points: map[string]int64{bob.ID: 25}},
		{name: "second make-up fills the first day seen", from: bob, day: 0, text: "/makeup",
			want: []string{"Bob made up " + d(-3) + " for 20 points", "balance 5", "streak 3 days"}, points: map[string]int64{bob.ID: 5}},
		{name: "nothing left to make up", from: bob, day: 0, text: "/makeup",
			want: []string{"Nothing to make up"}, points: map[string]int64{bob.ID: 5}},
		{name: "make-up of a day already checked in", from: bob, day: 0, text: "/makeup " + d(-2),
			want: []string{"You already checked in on " + d(-2)}, points: map[string]int64{bob.ID: 5}},
		{name: "make-up without points", from: dave, day: 0, text: "/makeup",
			want: []string{"A make-up costs 20 points; you have 0"}, points: map[string]int64{dave.ID: 0}},
		{name: "make-up before joining", from: dave, day: 0, text: "/makeup " + d(-5),
			want: []string{"You weren't in the group yet on " + d(-5)}, points: map[string]int64{dave.ID: 0}},
		{name: "grant by name, no mention", from: alice, day: 0, text: "/grant bob 1 by name",
			want: []string{"Alice granted 1 point to Bob", "Bob now has 6"}, points: map[string]int64{bob.ID: 6}},
		{name: "grant to dave", from: alice, day: 0, text: "/grant @Dave 30", mentions: mention(dave),
			want: []string{"granted 30 points to Dave", "no reason given", "Dave now has 30"}, points: map[string]int64{dave.ID: 30}},
		{name: "dave makes up with granted points", from: dave, day: 0, text: "/makeup " + d(-2),
			want: []string{"Dave made up " + d(-2) + " for 20 points", "balance 10"}, points: map[string]int64{dave.ID: 10}},
		{name: "admin deducts to exactly zero", from: alice, day: 0, text: "/deduct @Dave 10 even", mentions: mention(dave),
			want: []string{"deducted 10 points from Dave", "Dave now has 0"}, points: map[string]int64{dave.ID: 0}},
	}

	for i, s := range steps {
		id := s.id
		if id == "" {
			id = fmt.Sprintf("step-%d", i)
		}
		ev := bot.Event{
			Kind: bot.KindMessage, Group: ledgerGroup, ID: id, Member: s.from,
			Time: ledgerBase.AddDate(0, 0, s.day).Add(time.Duration(i) * time.Minute),
			Text: s.text, Mentions: s.mentions,
		}
		replies, err := core.Handle(ctx, ev)
		if err != nil {
			t.Fatalf("step %d %q: Handle: %v", i, s.name, err)
		}
		var texts []string
		for _, r := range replies {
			texts = append(texts, r.Text)
		}
		all := strings.Join(texts, "\n")
		if s.silent && len(replies) != 0 {
			t.Errorf("step %d %q: want no reply, got %q", i, s.name, all)
		}
		for _, w := range s.want {
			if !strings.Contains(all, w) {
				t.Errorf("step %d %q: reply %q lacks %q", i, s.name, all, w)
			}
		}
		for _, w := range s.notWant {
			if strings.Contains(all, w) {
				t.Errorf("step %d %q: reply %q contains %q", i, s.name, all, w)
			}
		}
		for who, want := range s.points {
			if got := points(t, db, who); got != want {
				t.Errorf("step %d %q: %s has %d points, want %d", i, s.name, who, got, want)
			}
		}
	}

	// The ledger tells the story of Bob's balance.
	var bobs []string
	for _, e := range ledgerEntries(t, db, ledgerGroup) {
		if e.Member == bob.ID {
			bobs = append(bobs, fmt.Sprintf("%s %+d %s by %s", e.Reason, e.Delta, e.Note, e.Actor))
		}
	}
	wantBob := []string{
		"checkin +10 streak 1 by u-bob",
		"grant +50 helping out by u-alice",
		"deduct -15 spam by u-alice",
		"makeup -20 " + d(-1) + " by u-bob",
		"makeup -20 " + d(-3) + " by u-bob",
		"grant +1 by name by u-alice",
	}
	if strings.Join(bobs, "\n") != strings.Join(wantBob, "\n") {
		t.Errorf("Bob's ledger:\n%s\nwant:\n%s", strings.Join(bobs, "\n"), strings.Join(wantBob, "\n"))
	}

	// Every balance is its ledger's sum, and never negative, also after a
	// reopen.
	checkBalances(t, db, ledgerGroup)
	db.Close()
	db, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := checkBalances(t, db, ledgerGroup); n != 4 {
		t.Errorf("%d members checked, want 4 (alice, bob, carol, dave)", n)
	}
}

// TestGrantToBotRefused: "Bots don't take part in points". The adapter
// marks the mentioned member as a bot; the bot never stores bots (their
// messages, joins and mentions are all skipped), so the mention is the
// only place the core can learn it.
func TestGrantToBotRefused(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(ledgerBase), Seed: 1})
	ctx := context.Background()
	// The bot speaks first; that records nothing about it.
	if _, err := core.Handle(ctx, bot.Event{Kind: bot.KindMessage, Group: ledgerGroup, ID: "1", Member: robo, Time: ledgerBase, Text: "beep boop"}); err != nil {
		t.Fatal(err)
	}
	replies, err := core.Handle(ctx, bot.Event{
		Kind: bot.KindMessage, Group: ledgerGroup, ID: "2", Member: alice, Time: ledgerBase.Add(time.Minute),
		Text: "/grant @Robo 5", Mentions: mention(robo),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "Bots don't take part in points") {
		t.Errorf("grant to a bot answered %+v, want the bots-take-no-points refusal", replies)
	}
	if p := points(t, db, robo.ID); p != 0 {
		t.Errorf("bot holds %d points", p)
	}
	checkBalances(t, db, ledgerGroup)
}

// TestSettingsRecordedWhenBatchRetried: the group's first event records
// the group's settings in the store. When another operation of the same
// write batch fails, the batch is rolled back and run again without it;
// the settings must still be recorded.
func TestSettingsRecordedWhenBatchRetried(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(ledgerBase), Seed: 1})

	// Hold the writer so that the next two operations form one batch.
	started, gate := make(chan struct{}), make(chan struct{})
	held := db.Submit(context.Background(), func(*store.Tx) error { close(started); <-gate; return nil })
	<-started
	p, err := core.Submit(context.Background(), bot.Event{Kind: bot.KindMessage, Group: ledgerGroup, ID: "1", Member: bob, Time: ledgerBase, Text: "first words"})
	if err != nil {
		t.Fatal(err)
	}
	failed := db.Submit(context.Background(), func(*store.Tx) error { return fmt.Errorf("some other operation fails") })
	close(gate)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatalf("event: %v", err)
	}
	if err := <-failed; err == nil {
		t.Fatal("failing operation succeeded")
	}
	if points(t, db, bob.ID) != 0 {
		t.Fatal("unexpected points")
	}
	locale, tz, ok, err := bot.New(db, bot.Options{}).StoredSettings(context.Background(), ledgerGroup)
	if err != nil {
		t.Fatal(err)
	}
	if !ok || locale != "en" || tz != "UTC" {
		t.Errorf("stored settings = %q, %q, %v; want en, UTC, true", locale, tz, ok)
	}
}

// points reads a member's balance (0 for an unknown member).
func points(t *testing.T, db *store.DB, id string) int64 {
	t.Helper()
	var p int64
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(ledgerGroup)
		if err != nil || g == nil {
			return err
		}
		m, err := g.Member(id)
		if m != nil {
			p = m.Points
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ledgerEntries(t *testing.T, db *store.DB, group string) []store.LedgerEntry {
	t.Helper()
	var out []store.LedgerEntry
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachLedger(func(e store.LedgerEntry) error { out = append(out, e); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkBalances asserts that every member's Points equals the sum of
// their ledger entries and is not negative, and that no ledger entry
// names a member the group does not know. It returns the members checked.
func checkBalances(t *testing.T, db *store.DB, group string) int {
	t.Helper()
	sums := map[string]int64{}
	for _, e := range ledgerEntries(t, db, group) {
		sums[e.Member] += e.Delta
	}
	n := 0
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return fmt.Errorf("group %s: %v", group, err)
		}
		return g.ForEachMember(func(id string, m *store.Member) error {
			n++
			if m.Points != sums[id] {
				t.Errorf("member %s: Points %d, ledger sum %d", id, m.Points, sums[id])
			}
			if m.Points < 0 {
				t.Errorf("member %s: negative balance %d", id, m.Points)
			}
			delete(sums, id)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, sum := range sums {
		t.Errorf("ledger entries (sum %d) for %s, who is not a member", sum, id)
	}
	return n
}
