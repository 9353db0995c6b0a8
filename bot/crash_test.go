package bot_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// The crash test: a child process ingests events from several goroutines
// and prints the id of every event Handle acknowledged; the parent kills
// it with SIGKILL mid-stream, reopens the database and checks that every
// acknowledged event is there, that nothing beyond what was submitted is,
// and that every balance equals its ledger.

const (
	crashEnv     = "PULSE_CRASH_TEST_DB"
	crashGroup   = "crash/g1"
	crashWorkers = 8    // goroutines calling Handle, one event at a time each
	crashMembers = 6    // members per worker; each has one event a day
	crashAcks    = 3000 // acknowledged events to see before the kill
	crashGrant   = 5
)

var crashBase = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type crashKind int

const (
	crashMessage crashKind = iota // the member chats
	crashCheckin                  // the member checks in
	crashGrantK                   // the worker's admin grants the member points
	crashMakeup                   // the member asks for a make-up
)

// crashEvent is event i of worker w. Member j of worker w has exactly one
// event on each day, so a member-day's message count is 1 if and only if
// that event was sent by the member and recorded.
type crashEvent struct {
	id     string
	kind   crashKind
	member string // whose member-day this is
	day    calendar.Day
	ev     bot.Event
}

func crashAdmin(w int) bot.Member {
	return bot.Member{ID: fmt.Sprintf("w%d-admin", w), Name: fmt.Sprintf("Admin %d", w), IsAdmin: true}
}

func crashPlan(w, i int) crashEvent {
	di, j := i/crashMembers, i%crashMembers
	id := fmt.Sprintf("w%d-%d", w, i)
	member := fmt.Sprintf("w%d-m%d", w, j)
	at := crashBase.AddDate(0, 0, di).Add(12*time.Hour + time.Duration(j)*time.Second)
	c := crashEvent{id: id, kind: crashKind((di + j) % 4), member: member, day: calendar.DayOf(at, time.UTC)}
	c.ev = bot.Event{Kind: bot.KindMessage, Group: crashGroup, ID: id, Time: at, Member: bot.Member{ID: member, Name: member}}
	switch c.kind {
	case crashMessage:
		c.ev.Text = fmt.Sprintf("hello from %s on day %d", member, di)
	case crashCheckin:
		c.ev.Text = "/checkin"
	case crashGrantK:
		c.ev.Member = crashAdmin(w)
		c.ev.Text = fmt.Sprintf("/grant @%s %d %s", member, crashGrant, id)
		c.ev.Mentions = []bot.Member{{ID: member, Name: member}}
	case crashMakeup:
		c.ev.Text = "/makeup"
	}
	return c
}

// TestCrashChild is the child process of TestCrashRecovery.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process for TestCrashRecovery")
	}
	// Never outlive a parent that died without killing us.
	time.AfterFunc(5*time.Minute, func() { os.Exit(3) })
	db, err := store.Open(path, store.Options{})
	if err != nil {
		fmt.Printf("ERR open: %v\n", err)
		os.Exit(2)
	}
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(crashBase), Seed: 1})
	var wg sync.WaitGroup
	for w := 0; w < crashWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1_000_000; i++ {
				c := crashPlan(w, i)
				if _, err := core.Handle(context.Background(), c.ev); err != nil {
					os.Stdout.WriteString(fmt.Sprintf("ERR %s: %v\n", c.id, err))
					return
				}
				// One write per line: a pipe write this small is atomic.
				os.Stdout.WriteString("ack " + c.id + "\n")
			}
		}()
	}
	wg.Wait()
	os.Stdout.WriteString("done\n")
	select {} // wait for the kill
}

func TestCrashRecovery(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	var killedAfter time.Duration
	acked := make([]int, crashWorkers) // per worker: events 0..acked-1 acknowledged
	total := 0
	var problems []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		id, ok := strings.CutPrefix(line, "ack ")
		if !ok {
			if strings.HasPrefix(line, "ERR") || line == "done" {
				problems = append(problems, line)
			}
			continue
		}
		var w, i int
		if _, err := fmt.Sscanf(id, "w%d-%d", &w, &i); err != nil || w < 0 || w >= crashWorkers {
			problems = append(problems, "bad line "+strconv.Quote(line))
			continue
		}
		// Each worker acknowledges its events in order, one at a time.
		if i != acked[w] {
			problems = append(problems, fmt.Sprintf("worker %d acknowledged %d after %d", w, i, acked[w]-1))
		}
		acked[w] = i + 1
		total++
		if !killed && (total >= crashAcks || len(problems) > 0) {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed, killedAfter = true, time.Since(start)
		}
	}
	if !killed {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	if len(problems) > 0 || !killed {
		t.Fatalf("child failed (%v) after %d acks: %v\nstderr:\n%s", waitErr, total, problems, stderr.String())
	}
	t.Logf("child killed after %d acks in %v (%.0f acks/s); acks per worker %v", total, killedAfter.Round(time.Millisecond),
		float64(total)/killedAfter.Seconds(), acked)

	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	defer db.Close()
	checkCrashDB(t, db, acked)
	if t.Failed() {
		return
	}
	checkReplaysDropped(t, db, acked)
	t.Logf("whole test %v", time.Since(start).Round(time.Millisecond))
}

// crashState is what the parent reads back.
type crashState struct {
	members map[string]store.Member
	days    map[string]store.DayAgg // "day member"
	gdays   map[calendar.Day]store.GroupDay
	ledger  []store.LedgerEntry
}

func dk(d calendar.Day, id string) string { return d.String() + " " + id }

func readCrashState(t *testing.T, db *store.DB) crashState {
	t.Helper()
	s := crashState{members: map[string]store.Member{}, days: map[string]store.DayAgg{}, gdays: map[calendar.Day]store.GroupDay{}}
	err := db.View(func(tx *store.Tx) error {
		g, err := tx.Group(crashGroup)
		if err != nil || g == nil {
			return fmt.Errorf("group: %v, %v", g, err)
		}
		if err := g.ForEachMember(func(id string, m *store.Member) error { s.members[id] = *m; return nil }); err != nil {
			return err
		}
		if err := g.ForEachDay(0, 1<<31, func(d calendar.Day, id string, a *store.DayAgg) error { s.days[dk(d, id)] = *a; return nil }); err != nil {
			return err
		}
		if err := g.ForEachGroupDay(0, 1<<31, func(d calendar.Day, gd *store.GroupDay) error { s.gdays[d] = *gd; return nil }); err != nil {
			return err
		}
		return g.ForEachLedger(func(e store.LedgerEntry) error { s.ledger = append(s.ledger, e); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkCrashDB(t *testing.T, db *store.DB, acked []int) {
	s := readCrashState(t, db)
	grants := map[string][]store.LedgerEntry{} // by note (the grant's event id)
	sums := map[string]int64{}
	for _, e := range s.ledger {
		sums[e.Member] += e.Delta
		if e.Reason == "grant" || e.Reason == "deduct" {
			grants[e.Note] = append(grants[e.Note], e)
		}
	}

	// Every event, acknowledged or not: recorded exactly when it must be.
	adminMsgs := map[string]int64{} // "day admin" → grants recorded
	checked := 0
	for w := range acked {
		admin := crashAdmin(w).ID
		for i := 0; i <= acked[w]+2*crashMembers; i++ {
			c := crashPlan(w, i)
			// i < acked: acknowledged, must be there. i == acked: was maybe
			// in flight, either way. Beyond: never submitted.
			must, may := i < acked[w], i <= acked[w]
			var recorded bool
			if c.kind == crashGrantK {
				es := grants[c.id]
				recorded = len(es) > 0
				if len(es) > 1 {
					t.Errorf("grant %s recorded %d times", c.id, len(es))
				}
				if recorded {
					if e := es[0]; e.Member != c.member || e.Delta != crashGrant || e.Actor != admin {
						t.Errorf("grant %s recorded as %+v", c.id, e)
					}
					adminMsgs[dk(c.day, admin)]++
				}
				if a := s.days[dk(c.day, c.member)]; a.Messages != 0 {
					t.Errorf("%s on %s: %d messages, but only the admin spoke", c.member, c.day, a.Messages)
				}
			} else {
				a := s.days[dk(c.day, c.member)]
				if a.Messages > 1 {
					t.Errorf("event %s: %s has %d messages on %s, want at most 1", c.id, c.member, a.Messages, c.day)
				}
				recorded = a.Messages == 1
				if c.kind == crashCheckin && recorded != (a.Checkin == store.CheckinOnTime) {
					t.Errorf("check-in %s: recorded %v but day state %d", c.id, recorded, a.Checkin)
				}
				if c.kind != crashCheckin && a.Checkin == store.CheckinOnTime {
					t.Errorf("%s on %s checked in on time without a check-in event", c.member, c.day)
				}
			}
			switch {
			case must && !recorded:
				t.Errorf("acknowledged event %s (kind %d, %s on %s) is not in the database", c.id, c.kind, c.member, c.day)
			case !may && recorded:
				t.Errorf("event %s was never submitted but is in the database", c.id)
			}
			checked++
		}
	}
	for note, es := range grants {
		var w, i int
		if _, err := fmt.Sscanf(note, "w%d-%d", &w, &i); err != nil || w >= crashWorkers || i > acked[w] {
			t.Errorf("ledger entries %+v for an event never submitted", es)
		}
	}

	// Per member: balance = ledger sum ≥ 0; totals = sums of the days.
	msgs, checkins := map[string]int64{}, map[string]int64{}
	type sums3 struct{ msgs, ontime, makeups int64 }
	perDay := map[calendar.Day]*sums3{}
	for k, a := range s.days {
		ds, id, _ := strings.Cut(k, " ")
		d, err := calendar.ParseDay(ds)
		if err != nil {
			t.Fatal(err)
		}
		msgs[id] += a.Messages
		if a.Checkin != store.CheckinNone {
			checkins[id]++
		}
		if perDay[d] == nil {
			perDay[d] = &sums3{}
		}
		perDay[d].msgs += a.Messages
		switch a.Checkin {
		case store.CheckinOnTime:
			perDay[d].ontime++
		case store.CheckinMakeup:
			perDay[d].makeups++
		}
		if strings.HasSuffix(id, "-admin") && a.Messages != adminMsgs[k] {
			t.Errorf("admin %s on %s: %d messages, %d grants recorded", id, ds, a.Messages, adminMsgs[k])
		}
	}
	for id, m := range s.members {
		if m.Points != sums[id] {
			t.Errorf("member %s: Points %d, ledger sum %d", id, m.Points, sums[id])
		}
		if m.Points < 0 {
			t.Errorf("member %s: negative balance %d", id, m.Points)
		}
		if m.Messages != msgs[id] {
			t.Errorf("member %s: Messages %d, days sum to %d", id, m.Messages, msgs[id])
		}
		if m.Checkins != checkins[id] {
			t.Errorf("member %s: Checkins %d, %d days checked in", id, m.Checkins, checkins[id])
		}
		delete(sums, id)
	}
	for id, sum := range sums {
		t.Errorf("ledger entries (sum %d) for %s, who is not a member", sum, id)
	}
	for d, p := range perDay {
		gd := s.gdays[d]
		if gd.Messages != p.msgs || gd.Checkins != p.ontime || gd.Makeups != p.makeups {
			t.Errorf("group day %s = %+v; members' days sum to %d messages, %d check-ins, %d make-ups", d, gd, p.msgs, p.ontime, p.makeups)
		}
	}
	if len(s.members) < crashWorkers*(crashMembers+1) {
		t.Errorf("only %d members", len(s.members))
	}
	t.Logf("checked %d events, %d members, %d member-days, %d ledger entries", checked, len(s.members), len(s.days), len(s.ledger))
}

// checkReplaysDropped re-sends acknowledged events of the last days, as a
// reconnecting adapter would: the ids recorded before the crash make them
// duplicates, so nothing changes.
func checkReplaysDropped(t *testing.T, db *store.DB, acked []int) {
	var last calendar.Day
	for w := range acked {
		if d := crashPlan(w, acked[w]).day; d > last {
			last = d
		}
	}
	var replay []crashEvent
	for w := range acked {
		for i := acked[w] - 1; i >= 0; i-- {
			c := crashPlan(w, i)
			if c.day+10 < last {
				break
			}
			replay = append(replay, c)
		}
	}
	// Oldest day first, so the pruning a new day triggers keeps them all.
	for a := 1; a < len(replay); a++ {
		for b := a; b > 0 && replay[b].day < replay[b-1].day; b-- {
			replay[b], replay[b-1] = replay[b-1], replay[b]
		}
	}
	if len(replay) < crashWorkers {
		t.Fatalf("only %d events to replay", len(replay))
	}
	before := readCrashState(t, db)
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(crashBase), Seed: 2})
	for _, c := range replay {
		replies, err := core.Handle(context.Background(), c.ev)
		if err != nil {
			t.Fatalf("replay %s: %v", c.id, err)
		}
		if len(replies) != 0 {
			t.Errorf("replayed %s answered %q", c.id, replies[0].Text)
		}
	}
	after := readCrashState(t, db)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("replaying %d acknowledged events changed the database", len(replay))
	}
	t.Logf("replayed %d acknowledged events from %s on: dropped as duplicates", len(replay), last-10)
}
