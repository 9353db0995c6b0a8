package bot_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/links"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// Link records come back as saved, per platform, across a reopen; the
// member number only rises; an operation id is carried out once until
// pruned.
func TestLinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	open := func() (*store.DB, *bot.Bot) {
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return db, bot.New(db, bot.Options{Clock: calendar.Fixed(ledgerBase), Seed: 1})
	}
	ctx := context.Background()
	db, b := open()
	set, err := b.Links(ctx, "chat")
	if err != nil || set.Groups != nil || set.Next != 1 {
		t.Fatalf("fresh links %+v, %v", set, err)
	}
	batches := []links.Batch{
		{Groups: []links.Record{{ID: "g2", Data: []byte("two")}, {ID: "g1", Data: []byte("one")}},
			Members: map[string][]links.Record{"g1": {{ID: "u1", Data: []byte("m1")}}}, Next: 4},
		{Members: map[string][]links.Record{"g1": {{ID: "u1", Data: []byte("m1'")}, {ID: "u2", Data: []byte("m2")}}}, Next: 3},
		{}, // nothing to save
	}
	for i, batch := range batches {
		if err := b.SaveLinks(ctx, "chat", batch); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
	}
	if err := b.SaveLinks(ctx, "chat", links.Batch{Groups: []links.Record{{Data: []byte("x")}}}); err == nil {
		t.Error("a record without an id saved")
	}
	db.Close()

	db, b = open()
	defer db.Close()
	set, err = b.Links(ctx, "chat")
	want := links.Set{Groups: []links.Record{{ID: "g1", Data: []byte("one")}, {ID: "g2", Data: []byte("two")}}, Next: 4}
	if err != nil || !reflect.DeepEqual(set, want) {
		t.Errorf("links %+v, %v; want %+v", set, err, want)
	}
	ms, err := b.MemberLinks(ctx, "chat", "g1")
	wantMs := []links.Record{{ID: "u1", Data: []byte("m1'")}, {ID: "u2", Data: []byte("m2")}}
	if err != nil || !reflect.DeepEqual(ms, wantMs) {
		t.Errorf("member links %+v, %v; want %+v", ms, err, wantMs)
	}
	if ms, err := b.MemberLinks(ctx, "other", "g1"); err != nil || ms != nil {
		t.Errorf("another platform's member links %+v, %v", ms, err)
	}

	for _, tc := range []struct {
		id    string
		at    time.Time
		first bool
	}{
		{"cmd:1", ledgerBase, true},
		{"cmd:1", ledgerBase.Add(time.Hour), false},
		{"cmd:2", ledgerBase.Add(48 * time.Hour), true},
	} {
		if first, err := b.ClaimOp(ctx, "chat", tc.id, tc.at); err != nil || first != tc.first {
			t.Errorf("ClaimOp(%s) = %v, %v; want %v", tc.id, first, err, tc.first)
		}
	}
	if n, err := b.PruneOps(ctx, "chat", ledgerBase.Add(24*time.Hour)); err != nil || n != 1 {
		t.Errorf("PruneOps = %d, %v; want 1", n, err)
	}
	if first, err := b.ClaimOp(ctx, "chat", "cmd:1", ledgerBase); err != nil || !first {
		t.Errorf("a pruned operation: first %v, %v", first, err)
	}
	if first, err := b.ClaimOp(ctx, "chat", "cmd:2", ledgerBase); err != nil || first {
		t.Errorf("a kept operation: first %v, %v", first, err)
	}
}
