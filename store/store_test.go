package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/pulsebot/pulse/store"
)

// ---- helpers ----

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func update(t *testing.T, db *store.DB, fn func(*store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, db *store.DB, fn func(*store.Tx) error) {
	t.Helper()
	if err := db.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// group returns a group inside a transaction, failing the test on error.
func group(t *testing.T, tx *store.Tx, key string) *store.Group {
	t.Helper()
	g, err := tx.Group(key)
	if err != nil {
		t.Fatalf("Group(%s): %v", key, err)
	}
	if g == nil {
		t.Fatalf("Group(%s): missing", key)
	}
	return g
}

// wgroup returns a group inside a write operation. Write operations run
// on the store's writer goroutine, where t.Fatal must not be called, so a
// failure panics; the store turns that into the operation's error.
func wgroup(tx *store.Tx, key string) *store.Group {
	g, err := tx.Group(key)
	if err != nil {
		panic(err)
	}
	return g
}

func ledgerOf(t *testing.T, db *store.DB, key string) []store.LedgerEntry {
	t.Helper()
	var out []store.LedgerEntry
	view(t, db, func(tx *store.Tx) error {
		g, err := tx.Group(key)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachLedger(func(e store.LedgerEntry) error {
			out = append(out, e)
			return nil
		})
	})
	return out
}

// writeBolt makes a bbolt file directly, for files Pulse did not write.
func writeBolt(t *testing.T, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

const day0 = store.Day(20454) // 2026-01-01

// ---- Open, schema, reopen ----

func TestOpenCreatesSchemaAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	view(t, db, func(tx *store.Tx) error {
		if gs := tx.Groups(); len(gs) != 0 {
			t.Errorf("fresh file has groups %v", gs)
		}
		g, err := tx.Group("tg/1")
		if err != nil || g != nil {
			t.Errorf("Group in read tx of a fresh file = %v, %v; want nil, nil", g, err)
		}
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// The schema as written, read with bbolt itself.
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	err = b.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if meta == nil {
			return errors.New("no meta bucket")
		}
		if got := string(meta.Get([]byte("magic"))); got != "pulse" {
			t.Errorf("magic = %q", got)
		}
		if got := meta.Get([]byte("schema")); !bytes.Equal(got, binary.BigEndian.AppendUint32(nil, store.SchemaVersion)) {
			t.Errorf("schema = %x", got)
		}
		if tx.Bucket([]byte("groups")) == nil {
			t.Error("no groups bucket")
		}
		return nil
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}

	// Reopen: a write, close, reopen again and the write is there.
	db = openDB(t, path)
	update(t, db, func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		m, err := g.MemberW("alice")
		if err != nil {
			return err
		}
		m.Name = "Alice"
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, path)
	view(t, db, func(tx *store.Tx) error {
		m, err := group(t, tx, "tg/1").Member("alice")
		if err != nil || m == nil || m.Name != "Alice" {
			t.Errorf("after reopen: member %+v, %v", m, err)
		}
		return nil
	})
	if db.Size() <= 0 {
		t.Errorf("Size() = %d", db.Size())
	}
}

// TestRecordsRoundTrip writes every kind of record in ONE transaction (as
// the bot does: a message touches a member, a member-day and a group-day),
// reopens the file and reads them back.
func TestRecordsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)

	members := map[string]store.Member{
		"alice": {Name: "Alice", Present: true, FirstSeen: day0, JoinedAt: 1767225600, Points: 42, XP: 1234,
			Messages: 17, Chars: 900, Checkins: 5, Streak: 3, BestStreak: 4, LastCheckin: day0 + 4,
			LastActive: day0 + 5, LastXPAt: 1767657600, LastHash: 0xdeadbeefcafef00d},
		"bob":   {Name: "鲍勃 🎉", IsBot: false, LeftAt: 1767657601, Points: -7, XP: -1},
		"robot": {Name: "Robot", IsBot: true},
		"zero":  {},
	}
	days := map[store.Day]map[string]store.DayAgg{
		day0: {
			"alice": {Messages: 3, Chars: 120, RepliesGiven: 1, RepliesRecv: 2, MentionsGiven: 3, MentionsRecv: 4,
				ReactGiven: 5, ReactRecv: 6, Interactive: 7, Reacted: 8, XP: 9, Points: 10, Checkin: store.CheckinOnTime, CheckinOrder: 1},
			"bob": {Messages: 1, Checkin: store.CheckinMakeup, Points: -3},
		},
		day0 + 1: {"alice": {Messages: 1}},
		day0 + 5: {"bob": {ReactGiven: 2}},
	}
	gdays := map[store.Day]store.GroupDay{
		day0:     {Messages: 4, Chars: 130, Active: 2, Checkins: 1, Makeups: 1, Joins: 2, Leaves: 1, Interactive: 7, Reacted: 8, Reactions: 11},
		day0 + 1: {Messages: 1, Active: 1},
		day0 + 5: {Reactions: 2},
	}
	ledger := []store.LedgerEntry{
		{Time: 1767225600, Member: "alice", Delta: 10, Reason: "checkin", Note: "streak 1", Actor: "alice"},
		{Time: 1767225601, Member: "bob", Delta: -3, Reason: "deduct", Note: "spam ✂", Actor: "alice"},
		{Time: 1767225602, Member: "bob", Delta: 0},
	}
	roster := []store.RosterEntry{
		{Time: 300, Member: "bob", Name: "鲍勃", Join: false},
		{Time: 100, Member: "alice", Name: "Alice", Join: true, Inviter: "carol"},
		{Time: 200, Member: "bob", Name: "Bob", Join: true},
		{Time: 300, Member: "carol", Name: "Carol", Join: true},
	}
	settings := store.Settings{Locale: "zh", Timezone: "Asia/Shanghai", Created: 1767225600}

	update(t, db, func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		for id, want := range members {
			m, err := g.MemberW(id)
			if err != nil {
				return err
			}
			*m = want
		}
		for d, byID := range days {
			for id, want := range byID {
				a, err := g.DayW(d, id)
				if err != nil {
					return err
				}
				*a = want
			}
		}
		for d, want := range gdays {
			s, err := g.GroupDayW(d)
			if err != nil {
				return err
			}
			*s = want
		}
		for _, e := range ledger {
			if err := g.AppendLedger(e); err != nil {
				return err
			}
		}
		for _, e := range roster {
			if err := g.AppendRoster(e); err != nil {
				return err
			}
		}
		if err := g.PutSettings(settings); err != nil {
			return err
		}
		// ForEachMember in the same write transaction sees these changes.
		n := 0
		if err := g.ForEachMember(func(id string, m *store.Member) error {
			n++
			if *m != members[id] {
				t.Errorf("ForEachMember in write tx: %s = %+v, want %+v", id, *m, members[id])
			}
			return nil
		}); err != nil {
			return err
		}
		if n != len(members) {
			t.Errorf("ForEachMember in write tx visited %d members, want %d", n, len(members))
		}
		// A second group with nothing but settings-less existence.
		_ = wgroup(tx, "discord/2")
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, path)

	view(t, db, func(tx *store.Tx) error {
		if got, want := tx.Groups(), []string{"discord/2", "tg/1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Groups() = %v, want %v", got, want)
		}
		if g, err := tx.Group("nope/0"); g != nil || err != nil {
			t.Errorf("missing group in read tx = %v, %v", g, err)
		}
		g := group(t, tx, "tg/1")

		t.Run("member", func(t *testing.T) {
			for id, want := range members {
				m, err := g.Member(id)
				if err != nil {
					t.Errorf("Member(%s): %v", id, err)
					continue
				}
				if m == nil || *m != want {
					t.Errorf("Member(%s) = %+v, want %+v", id, m, want)
				}
			}
			if m, err := g.Member("stranger"); m != nil || err != nil {
				t.Errorf("unknown member = %+v, %v; want nil, nil", m, err)
			}
			var ids []string
			if err := g.ForEachMember(func(id string, m *store.Member) error {
				ids = append(ids, id)
				return nil
			}); err != nil {
				t.Error(err)
			}
			if want := []string{"alice", "bob", "robot", "zero"}; !reflect.DeepEqual(ids, want) {
				t.Errorf("ForEachMember order %v, want %v", ids, want)
			}
		})

		t.Run("day", func(t *testing.T) {
			for d, byID := range days {
				for id, want := range byID {
					a, err := g.Day(d, id)
					if err != nil || a == nil || *a != want {
						t.Errorf("Day(%s, %s) = %+v, %v; want %+v", d, id, a, err, want)
					}
				}
			}
			if a, err := g.Day(day0+2, "alice"); err != nil || *a != (store.DayAgg{}) {
				t.Errorf("missing day = %+v, %v; want zero", a, err)
			}
		})

		t.Run("ForEachDay range", func(t *testing.T) {
			type row struct {
				d  store.Day
				id string
				a  store.DayAgg
			}
			cases := []struct {
				from, to store.Day
				want     []row
			}{
				{day0, day0, []row{{day0, "alice", days[day0]["alice"]}, {day0, "bob", days[day0]["bob"]}}},
				{day0, day0 + 1, []row{{day0, "alice", days[day0]["alice"]}, {day0, "bob", days[day0]["bob"]}, {day0 + 1, "alice", days[day0+1]["alice"]}}},
				{day0 + 1, day0 + 10, []row{{day0 + 1, "alice", days[day0+1]["alice"]}, {day0 + 5, "bob", days[day0+5]["bob"]}}},
				{day0 + 2, day0 + 4, nil},
				{day0 + 6, day0 + 100, nil},
				{0, day0 - 1, nil},
			}
			for _, c := range cases {
				var got []row
				err := g.ForEachDay(c.from, c.to, func(d store.Day, id string, a *store.DayAgg) error {
					got = append(got, row{d, id, *a})
					return nil
				})
				if err != nil {
					t.Errorf("ForEachDay(%s, %s): %v", c.from, c.to, err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("ForEachDay(%s, %s) = %+v, want %+v", c.from, c.to, got, c.want)
				}
			}
		})

		t.Run("group day", func(t *testing.T) {
			for d, want := range gdays {
				s, err := g.GroupDay(d)
				if err != nil || *s != want {
					t.Errorf("GroupDay(%s) = %+v, %v; want %+v", d, s, err, want)
				}
			}
			var got []store.Day
			if err := g.ForEachGroupDay(day0+1, day0+5, func(d store.Day, s *store.GroupDay) error {
				got = append(got, d)
				if *s != gdays[d] {
					t.Errorf("ForEachGroupDay %s = %+v, want %+v", d, *s, gdays[d])
				}
				return nil
			}); err != nil {
				t.Error(err)
			}
			if want := []store.Day{day0 + 1, day0 + 5}; !reflect.DeepEqual(got, want) {
				t.Errorf("ForEachGroupDay days %v, want %v", got, want)
			}
		})

		t.Run("ledger", func(t *testing.T) {
			var got []store.LedgerEntry
			if err := g.ForEachLedger(func(e store.LedgerEntry) error {
				got = append(got, e)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, ledger) {
				t.Errorf("ledger = %+v, want %+v", got, ledger)
			}
		})

		t.Run("roster range", func(t *testing.T) {
			cases := []struct {
				from, to int64
				want     []string // members in visiting order
			}{
				{0, 1000, []string{"alice", "bob", "bob", "carol"}}, // time order, then append order
				{100, 300, []string{"alice", "bob"}},                // to is exclusive
				{150, 301, []string{"bob", "bob", "carol"}},
				{300, 301, []string{"bob", "carol"}},
				{301, 1000, nil},
				{0, 100, nil},
			}
			for _, c := range cases {
				var got []string
				err := g.ForEachRoster(c.from, c.to, func(e store.RosterEntry) error {
					got = append(got, e.Member)
					return nil
				})
				if err != nil {
					t.Errorf("ForEachRoster(%d, %d): %v", c.from, c.to, err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("ForEachRoster(%d, %d) = %v, want %v", c.from, c.to, got, c.want)
				}
			}
			var all []store.RosterEntry
			_ = g.ForEachRoster(0, 1000, func(e store.RosterEntry) error { all = append(all, e); return nil })
			want := []store.RosterEntry{roster[1], roster[2], roster[0], roster[3]}
			if !reflect.DeepEqual(all, want) {
				t.Errorf("roster entries = %+v, want %+v", all, want)
			}
		})

		t.Run("settings", func(t *testing.T) {
			s, ok, err := g.Settings()
			if err != nil || !ok || s != settings {
				t.Errorf("Settings() = %+v, %v, %v; want %+v, true, nil", s, ok, err, settings)
			}
			s, ok, err = group(t, tx, "discord/2").Settings()
			if err != nil || ok || s != (store.Settings{}) {
				t.Errorf("Settings() of a group without = %+v, %v, %v", s, ok, err)
			}
		})
		return nil
	})
}

// TestSeenAndPrune checks duplicate detection within and across
// transactions and that PruneSeen forgets exactly the older days.
func TestSeenAndPrune(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "pulse.db"))
	seen := func(d store.Day, id string) bool {
		t.Helper()
		var dup bool
		update(t, db, func(tx *store.Tx) error {
			var err error
			dup, err = wgroup(tx, "tg/1").Seen(d, id)
			return err
		})
		return dup
	}
	steps := []struct {
		d    store.Day
		id   string
		want bool
	}{
		{day0, "m1", false},
		{day0, "m1", true}, // same id, same day: duplicate
		{day0, "m2", false},
		{day0 + 1, "m1", false}, // same id, another day: not
		{day0 + 1, "m1", true},
		{day0 + 2, "m3", false},
		{day0, "M1", false}, // ids are case sensitive
	}
	for i, s := range steps {
		if got := seen(s.d, s.id); got != s.want {
			t.Errorf("step %d: Seen(%s, %s) = %v, want %v", i, s.d, s.id, got, s.want)
		}
	}
	// Within one transaction too.
	update(t, db, func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		a, _ := g.Seen(day0+3, "x")
		b, _ := g.Seen(day0+3, "x")
		if a || !b {
			t.Errorf("Seen twice in one tx = %v, %v; want false, true", a, b)
		}
		return nil
	})

	prunes := []struct {
		before store.Day
		want   int
	}{
		{day0, 0},     // nothing before day0
		{day0 + 1, 3}, // m1, m2, M1 of day0
		{day0 + 1, 0}, // again: nothing left
		{day0 + 3, 2}, // m1 of day0+1, m3 of day0+2
	}
	for _, p := range prunes {
		var n int
		update(t, db, func(tx *store.Tx) error {
			var err error
			n, _, err = wgroup(tx, "tg/1").PruneSeen(p.before, 0)
			return err
		})
		if n != p.want {
			t.Errorf("PruneSeen(%s) = %d, want %d", p.before, n, p.want)
		}
	}
	// Pruned ids are new again; kept ones are still duplicates.
	if seen(day0, "m1") {
		t.Error("pruned id still reported as duplicate")
	}
	if !seen(day0+3, "x") {
		t.Error("id of a kept day lost by PruneSeen")
	}
}

// ---- group commit ----

// TestGroupCommitConcurrent: many goroutines calling Update at once all
// succeed and all their writes are there.
func TestGroupCommitConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)
	const workers, each = 32, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("w%02d", w)
			for i := 0; i < each; i++ {
				errs <- db.Update(context.Background(), func(tx *store.Tx) error {
					g, err := tx.Group("tg/1")
					if err != nil {
						return err
					}
					m, err := g.MemberW(id)
					if err != nil {
						return err
					}
					m.Name = id
					m.Messages++
					m.Points += int64(i)
					a, err := g.DayW(day0, id)
					if err != nil {
						return err
					}
					a.Messages++
					gd, err := g.GroupDayW(day0)
					if err != nil {
						return err
					}
					gd.Messages++
					return g.AppendLedger(store.LedgerEntry{Member: id, Delta: int64(i)})
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	db.Close()
	db = openDB(t, path)

	wantPoints := int64(each * (each - 1) / 2)
	view(t, db, func(tx *store.Tx) error {
		g := group(t, tx, "tg/1")
		for w := 0; w < workers; w++ {
			id := fmt.Sprintf("w%02d", w)
			m, err := g.Member(id)
			if err != nil || m == nil {
				t.Errorf("member %s: %+v, %v", id, m, err)
				continue
			}
			if m.Name != id || m.Messages != each || m.Points != wantPoints {
				t.Errorf("member %s = %+v; want %d messages, %d points", id, m, each, wantPoints)
			}
			a, err := g.Day(day0, id)
			if err != nil || a.Messages != each {
				t.Errorf("day of %s = %+v, %v; want %d messages", id, a, err, each)
			}
		}
		gd, err := g.GroupDay(day0)
		if err != nil || gd.Messages != workers*each {
			t.Errorf("group day = %+v, %v; want %d messages", gd, err, workers*each)
		}
		return nil
	})
	// Each worker's entries are in its own order.
	next := map[string]int64{}
	for _, e := range ledgerOf(t, db, "tg/1") {
		if e.Delta != next[e.Member] {
			t.Fatalf("ledger of %s: got delta %d, want %d (out of order or missing)", e.Member, e.Delta, next[e.Member])
		}
		next[e.Member]++
	}
	for w := 0; w < workers; w++ {
		if id := fmt.Sprintf("w%02d", w); next[id] != each {
			t.Errorf("ledger of %s has %d entries, want %d", id, next[id], each)
		}
	}
}

// TestSubmitOrder: operations one goroutine submits run in submission
// order, also when other goroutines submit at the same time.
func TestSubmitOrder(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "pulse.db"))
	const n = 3000
	var wg sync.WaitGroup
	submitter := func(who string) {
		defer wg.Done()
		chans := make([]<-chan error, 0, n)
		for i := 0; i < n; i++ {
			chans = append(chans, db.Submit(func(tx *store.Tx) error {
				g, err := tx.Group("tg/1")
				if err != nil {
					return err
				}
				return g.AppendLedger(store.LedgerEntry{Member: who, Delta: int64(i)})
			}))
		}
		for i, c := range chans {
			if err := <-c; err != nil {
				t.Errorf("%s op %d: %v", who, i, err)
			}
		}
	}
	wg.Add(3)
	go submitter("a")
	go submitter("b")
	go submitter("c")
	wg.Wait()

	next := map[string]int64{}
	for _, e := range ledgerOf(t, db, "tg/1") {
		if e.Delta != next[e.Member] {
			t.Fatalf("%s: op %d ran where op %d was due", e.Member, e.Delta, next[e.Member])
		}
		next[e.Member]++
	}
	for _, who := range []string{"a", "b", "c"} {
		if next[who] != n {
			t.Errorf("%s: %d ops recorded, want %d", who, next[who], n)
		}
	}
}

// TestBatchIsolatesFailures: an operation that returns an error and one
// that panics, in the same batch as good ones, get their error; the good
// ones are committed, the failed ones' writes are not.
func TestBatchIsolatesFailures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)
	errBoom := errors.New("boom")

	// The first op holds the writer until everything else is queued, so
	// the rest are taken as one batch.
	started, gate := make(chan struct{}), make(chan struct{})
	gateDone := db.Submit(func(tx *store.Tx) error {
		select {
		case <-started:
		default:
			close(started)
		}
		<-gate
		g, err := tx.Group("tg/1")
		if err != nil {
			return err
		}
		return g.AppendLedger(store.LedgerEntry{Member: "gate", Note: "gate"})
	})
	<-started

	runs := map[string]int{} // touched only by the writer goroutine
	write := func(tx *store.Tx, name string) error {
		runs[name]++
		g, err := tx.Group("tg/1")
		if err != nil {
			return err
		}
		m, err := g.MemberW(name)
		if err != nil {
			return err
		}
		m.Name, m.Points = name, 1
		if _, err := g.Seen(day0, name); err != nil {
			return err
		}
		if err := g.PutSettings(store.Settings{Locale: name}); err != nil {
			return err
		}
		return g.AppendLedger(store.LedgerEntry{Member: name, Delta: 1, Note: name})
	}
	type opCase struct {
		name    string
		fn      func(*store.Tx) error
		wantErr func(error) bool
	}
	ok := func(err error) bool { return err == nil }
	cases := []opCase{
		{"ok1", func(tx *store.Tx) error { return write(tx, "ok1") }, ok},
		{"fail", func(tx *store.Tx) error {
			if err := write(tx, "fail"); err != nil {
				return err
			}
			return fmt.Errorf("op: %w", errBoom)
		}, func(err error) bool { return errors.Is(err, errBoom) }},
		{"ok2", func(tx *store.Tx) error { return write(tx, "ok2") }, ok},
		{"panic", func(tx *store.Tx) error {
			if err := write(tx, "panic"); err != nil {
				return err
			}
			panic("kaboom")
		}, func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "panicked") && strings.Contains(err.Error(), "kaboom")
		}},
		{"ok3", func(tx *store.Tx) error { return write(tx, "ok3") }, ok},
	}
	dones := make([]<-chan error, len(cases))
	for i, c := range cases {
		dones[i] = db.Submit(c.fn)
	}
	close(gate)
	if err := <-gateDone; err != nil {
		t.Fatalf("gate op: %v", err)
	}
	for i, c := range cases {
		if err := <-dones[i]; !c.wantErr(err) {
			t.Errorf("op %s: unexpected result %v", c.name, err)
		}
	}
	// They shared a batch: ok1 ran again after each failure.
	if runs["ok1"] < 2 {
		t.Errorf("ok1 ran %d times; the ops did not share a batch, the test proves nothing", runs["ok1"])
	}

	db.Close()
	db = openDB(t, path)
	var notes []string
	for _, e := range ledgerOf(t, db, "tg/1") {
		notes = append(notes, e.Note)
	}
	if want := []string{"gate", "ok1", "ok2", "ok3"}; !reflect.DeepEqual(notes, want) {
		t.Errorf("ledger notes = %v, want %v", notes, want)
	}
	errRollback := errors.New("roll back the Seen calls")
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		for _, c := range cases {
			m, err := g.Member(c.name)
			if err != nil {
				t.Errorf("member %s: %v", c.name, err)
				continue
			}
			committed := c.wantErr(nil)
			if committed && (m == nil || m.Name != c.name || m.Points != 1) {
				t.Errorf("member %s of a good op = %+v, want committed", c.name, m)
			}
			if !committed && m != nil {
				t.Errorf("member %s of a failed op was committed: %+v", c.name, m)
			}
			// Seen ids: re-recording a committed one is a duplicate.
			dup, err := g.Seen(day0, c.name)
			if err != nil {
				t.Error(err)
			}
			if dup != committed {
				t.Errorf("seen id of %s recorded = %v, want %v", c.name, dup, committed)
			}
		}
		s, _, err := g.Settings()
		if err != nil || s.Locale != "ok3" {
			t.Errorf("settings = %+v, %v; want the last good op's", s, err)
		}
		return errRollback // keep the file as it was
	})
	if err != errRollback {
		t.Errorf("check: %v", err)
	}
}

// ---- errors ----

func TestOpenErrors(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(t *testing.T, path string)
		opts    store.Options
		wantIs  error
		wantMsg []string
	}{
		{
			name: "held by another open",
			setup: func(t *testing.T, path string) {
				openDB(t, path) // stays open until the test ends
			},
			wantIs:  store.ErrInUse,
			wantMsg: []string{"in use"},
		},
		{
			name: "newer schema",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					meta, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					if _, err := tx.CreateBucket([]byte("groups")); err != nil {
						return err
					}
					if err := meta.Put([]byte("magic"), []byte("pulse")); err != nil {
						return err
					}
					return meta.Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, 99))
				})
			},
			wantIs:  store.ErrNewer,
			wantMsg: []string{"99", "upgrade"},
		},
		{
			name: "other program's bbolt file",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					b, err := tx.CreateBucket([]byte("widgets"))
					if err != nil {
						return err
					}
					return b.Put([]byte("k"), []byte("v"))
				})
			},
			wantIs:  store.ErrNotOurs,
			wantMsg: []string{"not a Pulse database"},
		},
		{
			name: "meta bucket without our magic",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					meta, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					return meta.Put([]byte("magic"), []byte("other"))
				})
			},
			wantIs: store.ErrNotOurs,
		},
		{
			name: "meta without schema",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error {
					meta, err := tx.CreateBucket([]byte("meta"))
					if err != nil {
						return err
					}
					return meta.Put([]byte("magic"), []byte("pulse"))
				})
			},
			wantIs:  store.ErrNotOurs,
			wantMsg: []string{"schema"},
		},
		{
			name: "random bytes",
			setup: func(t *testing.T, path string) {
				r := rand.New(rand.NewPCG(1, 2))
				b := make([]byte, 64<<10)
				for i := range b {
					b[i] = byte(r.Uint32())
				}
				if err := os.WriteFile(path, b, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantIs: store.ErrNotOurs,
		},
		{
			name: "text file",
			setup: func(t *testing.T, path string) {
				if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantIs: store.ErrNotOurs,
		},
		{
			name:   "read-only open of a missing file",
			setup:  func(t *testing.T, path string) {},
			opts:   store.Options{ReadOnly: true},
			wantIs: fs.ErrNotExist,
		},
		{
			name: "read-only open of an empty bbolt file",
			setup: func(t *testing.T, path string) {
				writeBolt(t, path, func(tx *bolt.Tx) error { return nil })
			},
			opts:    store.Options{ReadOnly: true},
			wantMsg: []string{"empty database"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pulse.db")
			c.setup(t, path)
			db, err := store.Open(path, c.opts)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if c.wantIs != nil && !errors.Is(err, c.wantIs) {
				t.Errorf("Open error %q is not %q", err, c.wantIs)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("Open error %q does not name the file", err)
			}
			for _, frag := range c.wantMsg {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("Open error %q lacks %q", err, frag)
				}
			}
		})
	}
}

// TestOpenAfterInUse: once the holder closes, the file opens again (the
// lock is released), and the refused attempt did not damage it.
func TestOpenAfterInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error {
		_, err := wgroup(tx, "tg/1").MemberW("alice")
		return err
	})
	if _, err := store.Open(path, store.Options{}); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second Open = %v, want ErrInUse", err)
	}
	db.Close()
	db = openDB(t, path)
	view(t, db, func(tx *store.Tx) error {
		if m, err := group(t, tx, "tg/1").Member("alice"); m == nil || err != nil {
			t.Errorf("member after failed second open: %v, %v", m, err)
		}
		return nil
	})
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)
	update(t, db, func(tx *store.Tx) error {
		return wgroup(tx, "tg/1").PutSettings(store.Settings{Locale: "en"})
	})
	db.Close()

	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	view(t, ro, func(tx *store.Tx) error {
		s, ok, err := group(t, tx, "tg/1").Settings()
		if err != nil || !ok || s.Locale != "en" {
			t.Errorf("settings read-only = %+v, %v, %v", s, ok, err)
		}
		return nil
	})
	if err := <-ro.Submit(func(*store.Tx) error { return nil }); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Submit on a read-only store = %v, want a read-only error", err)
	}
}

// ---- truncated files (in a child process: a bad mmap read is fatal) ----

const openChildEnv = "PULSE_STORE_OPEN_CHILD"

// TestOpenChild is run by TestOpenTruncated in a child process: it opens
// the file named in the environment and reads everything in it.
func TestOpenChild(t *testing.T) {
	path := os.Getenv(openChildEnv)
	if path == "" {
		t.Skip("helper for TestOpenTruncated")
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		fmt.Printf("RESULT open error: %v\n", err)
		return
	}
	n := 0
	err = db.View(func(tx *store.Tx) error {
		for _, key := range tx.Groups() {
			g, err := tx.Group(key)
			if err != nil {
				return err
			}
			if err := g.ForEachLedger(func(store.LedgerEntry) error { n++; return nil }); err != nil {
				return err
			}
			if err := g.ForEachMember(func(string, *store.Member) error { n++; return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		fmt.Printf("RESULT read error: %v\n", err)
		return
	}
	fmt.Printf("RESULT ok %d\n", n)
}

// TestOpenTruncated opens truncated copies of a real database. Each must
// give a clear error or open with readable data; it must never crash.
func TestOpenTruncated(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "pulse.db")
	db := openDB(t, src)
	for i := 0; i < 40; i++ {
		update(t, db, func(tx *store.Tx) error {
			g := wgroup(tx, "tg/1")
			for j := 0; j < 40; j++ {
				if err := g.AppendLedger(store.LedgerEntry{Member: "m" + strconv.Itoa(j), Delta: int64(i), Note: strings.Repeat("x", 50)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	db.Close()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 64<<10 {
		t.Fatalf("source database only %d bytes", len(data))
	}
	// Where the data ends, from bbolt's active meta page, so the cuts below
	// land in the same places on every run. A cut that leaves a page the
	// meta refers to past the end of the file, but inside the memory map
	// bbolt makes (the file size rounded up to a power of two, at least
	// 32 KiB), is a read of a mapped page beyond EOF: a SIGBUS, every time.
	psz, freelist, hwm := activeMeta(t, data)
	inMap := -1
	for n := freelist * psz; n >= 2*psz; n -= psz {
		if mapSize(n) >= (freelist+1)*psz {
			inMap = n
			break
		}
	}
	if inMap < 0 {
		t.Fatalf("no cut leaves the freelist page (%d) inside the map; file %d bytes", freelist, len(data))
	}
	cuts := []struct {
		name string
		n    int
	}{
		{"100 bytes", 100},
		{"one page", psz},
		{"inside the data, missing pages still mapped", inMap},
		{"in the middle of a page inside the data", inMap - psz/2},
		{"only unused pages after the data", hwm * psz},
	}
	for _, c := range cuts {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cut.db")
			if err := os.WriteFile(path, data[:c.n], 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestOpenChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), openChildEnv+"="+path)
			out, err := cmd.CombinedOutput()
			var result string
			for _, line := range strings.Split(string(out), "\n") {
				if r, ok := strings.CutPrefix(line, "RESULT "); ok {
					result = r
				}
			}
			if err != nil || result == "" {
				first := string(out)
				if len(first) > 600 {
					first = first[:600]
				}
				t.Fatalf("opening a file truncated to %d of %d bytes crashed the process (%v):\n%s", c.n, len(data), err, first)
			}
			if strings.HasPrefix(result, "ok") {
				t.Logf("truncated to %d bytes: opened and read (%s)", c.n, result)
				return
			}
			if !strings.Contains(result, path) {
				t.Errorf("error %q does not name the file", result)
			}
			t.Logf("truncated to %d bytes: %s", c.n, result)
		})
	}
}

// activeMeta reads the page size, freelist page and high-water mark from
// the newer of a bbolt file's two meta pages (page header 16 bytes, then
// magic, version, page size, flags u32; root u64 u64; freelist, pgid, txid u64).
func activeMeta(t *testing.T, data []byte) (psz, freelist, hwm int) {
	t.Helper()
	var txid uint64
	for p := 0; p < 2; p++ {
		if len(data) < 64 {
			t.Fatal("file too small for a meta page")
		}
		m := data[p*4096+16:]
		if binary.NativeEndian.Uint32(m) != 0xED0CDAED {
			t.Fatalf("meta page %d: bad magic", p)
		}
		if id := binary.NativeEndian.Uint64(m[48:]); p == 0 || id > txid {
			txid = id
			psz = int(binary.NativeEndian.Uint32(m[8:]))
			freelist = int(binary.NativeEndian.Uint64(m[32:]))
			hwm = int(binary.NativeEndian.Uint64(m[40:]))
		}
	}
	if psz != 4096 {
		t.Fatalf("page size %d; the cuts assume 4096", psz)
	}
	return psz, freelist, hwm
}

// mapSize is the size bbolt maps for a file of n bytes (below 1 GiB).
func mapSize(n int) int {
	for i := 15; i <= 30; i++ {
		if n <= 1<<i {
			return 1 << i
		}
	}
	return n
}

// ---- backup, close ----

// TestBackupWhileWriting takes a backup while another goroutine keeps
// writing; the copy opens and holds a consistent state.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, filepath.Join(dir, "pulse.db"))
	const before = 200
	for i := 0; i < before; i++ {
		update(t, db, func(tx *store.Tx) error {
			return wgroup(tx, "tg/1").AppendLedger(store.LedgerEntry{Member: "a", Delta: int64(i)})
		})
	}
	// Keep writing until the backups are done.
	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		i := before
		for {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			err := db.Update(context.Background(), func(tx *store.Tx) error {
				g, err := tx.Group("tg/1")
				if err != nil {
					return err
				}
				m, err := g.MemberW("a")
				if err != nil {
					return err
				}
				m.Points = int64(i + 1) // always the number of entries
				return g.AppendLedger(store.LedgerEntry{Member: "a", Delta: int64(i)})
			})
			if err != nil {
				writerDone <- err
				return
			}
			i++
		}
	}()
	var paths []string
	for k := 0; k < 3; k++ {
		p := filepath.Join(dir, fmt.Sprintf("backup%d.db", k))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.Backup(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil || n <= 0 {
			t.Fatalf("Backup = %d, %v", n, err)
		}
		paths = append(paths, p)
	}
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatalf("writer: %v", err)
	}
	for _, p := range paths {
		b := openDB(t, p)
		entries := ledgerOf(t, b, "tg/1")
		if len(entries) < before {
			t.Errorf("%s: %d ledger entries, want at least %d", p, len(entries), before)
		}
		for i, e := range entries {
			if e.Delta != int64(i) {
				t.Fatalf("%s: entry %d has delta %d: not a consistent snapshot", p, i, e.Delta)
			}
		}
		view(t, b, func(tx *store.Tx) error {
			m, err := group(t, tx, "tg/1").Member("a")
			if err != nil {
				return err
			}
			if len(entries) > before && (m == nil || m.Points != int64(len(entries))) {
				t.Errorf("%s: member %+v with %d ledger entries: not one transaction's state", p, m, len(entries))
			}
			return nil
		})
	}
}

// TestCloseCommitsSubmitted: Close commits everything submitted before
// it; afterwards Submit and Update give ErrClosed.
func TestCloseCommitsSubmitted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := store.Open(path, store.Options{MaxBatch: 16})
	if err != nil {
		t.Fatal(err)
	}
	const n = 500
	dones := make([]<-chan error, n)
	for i := range dones {
		dones[i] = db.Submit(func(tx *store.Tx) error {
			g, err := tx.Group("tg/1")
			if err != nil {
				return err
			}
			return g.AppendLedger(store.LedgerEntry{Member: "a", Delta: int64(i)})
		})
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for i, c := range dones {
		if err := <-c; err != nil {
			t.Fatalf("op %d submitted before Close: %v", i, err)
		}
	}
	if err := <-db.Submit(func(*store.Tx) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Submit after Close = %v, want ErrClosed", err)
	}
	if err := db.Update(context.Background(), func(*store.Tx) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}

	db = openDB(t, path)
	entries := ledgerOf(t, db, "tg/1")
	if len(entries) != n {
		t.Fatalf("%d entries after Close, want %d", len(entries), n)
	}
	for i, e := range entries {
		if e.Delta != int64(i) {
			t.Fatalf("entry %d has delta %d", i, e.Delta)
		}
	}
}

// TestUpdateContextCanceled: a canceled context returns at once; the
// operation itself was queued and still commits (Update's caller just
// stops waiting for it).
func TestUpdateContextCanceled(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "pulse.db"))
	started, gate := make(chan struct{}), make(chan struct{})
	held := db.Submit(func(*store.Tx) error { close(started); <-gate; return nil })
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := db.Update(ctx, func(tx *store.Tx) error {
		g, err := tx.Group("tg/1")
		if err != nil {
			return err
		}
		return g.AppendLedger(store.LedgerEntry{Member: "late"})
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a canceled context = %v", err)
	}
	close(gate)
	<-held
	// A later op completes after the canceled one, which therefore ran.
	update(t, db, func(*store.Tx) error { return nil })
	if got := ledgerOf(t, db, "tg/1"); len(got) != 1 || got[0].Member != "late" {
		t.Errorf("ledger = %+v; the canceled Update's op was not run", got)
	}
}

// ---- writes in a read transaction ----

// TestWriteInViewPanicsOutOfView documents the contract: a write method
// called inside View panics, and View does not recover it, so the panic
// reaches View's caller. (Inside Update a panic is recovered and becomes
// the operation's error; see TestBatchIsolatesFailures.)
func TestWriteInViewPanicsOutOfView(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "pulse.db"))
	update(t, db, func(tx *store.Tx) error {
		_, err := wgroup(tx, "tg/1").MemberW("alice")
		return err
	})
	writes := []struct {
		name string
		fn   func(g *store.Group) error
	}{
		{"MemberW existing", func(g *store.Group) error { _, err := g.MemberW("alice"); return err }},
		{"MemberW new", func(g *store.Group) error { _, err := g.MemberW("bob"); return err }},
		{"DayW", func(g *store.Group) error { _, err := g.DayW(day0, "alice"); return err }},
		{"GroupDayW", func(g *store.Group) error { _, err := g.GroupDayW(day0); return err }},
		{"Seen", func(g *store.Group) error { _, err := g.Seen(day0, "x"); return err }},
		{"PruneSeen", func(g *store.Group) error { _, _, err := g.PruneSeen(day0, 0); return err }},
		{"AppendLedger", func(g *store.Group) error { return g.AppendLedger(store.LedgerEntry{Member: "alice", Delta: 1}) }},
		{"AppendRoster", func(g *store.Group) error { return g.AppendRoster(store.RosterEntry{Member: "alice"}) }},
		{"PutSettings", func(g *store.Group) error { return g.PutSettings(store.Settings{}) }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				_ = db.View(func(tx *store.Tx) error {
					g, err := tx.Group("tg/1")
					if err != nil || g == nil {
						t.Fatalf("group: %v, %v", g, err)
					}
					return w.fn(g)
				})
			}()
			if recovered == nil {
				t.Fatal("write in a read transaction did not panic")
			}
			if !strings.Contains(fmt.Sprint(recovered), "read transaction") {
				t.Errorf("panic %v does not say why", recovered)
			}
		})
	}
	// The store is still usable, and nothing was written.
	update(t, db, func(*store.Tx) error { return nil })
	view(t, db, func(tx *store.Tx) error {
		g := group(t, tx, "tg/1")
		if m, _ := g.Member("bob"); m != nil {
			t.Errorf("member created through a read transaction: %+v", m)
		}
		return nil
	})
	if got := ledgerOf(t, db, "tg/1"); len(got) != 0 {
		t.Errorf("ledger written through a read transaction: %+v", got)
	}
}
