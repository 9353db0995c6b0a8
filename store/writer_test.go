package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/pulsebot/pulse/store"
)

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
			chans = append(chans, db.Submit(context.Background(), func(tx *store.Tx) error {
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
	gateDone := db.Submit(context.Background(), func(tx *store.Tx) error {
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
		dones[i] = db.Submit(context.Background(), c.fn)
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
		dones[i] = db.Submit(context.Background(), func(tx *store.Tx) error {
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
	if err := <-db.Submit(context.Background(), func(*store.Tx) error { return nil }); !errors.Is(err, store.ErrClosed) {
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
	held := db.Submit(context.Background(), func(*store.Tx) error { close(started); <-gate; return nil })
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

// TestSubmitFullQueueCanceled: while the writer is held and its queue is
// full, Submit waits for room only until its context ends; the op is then
// refused with the context's error and never runs.
func TestSubmitFullQueueCanceled(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{MaxBatch: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	started, gate := make(chan struct{}), make(chan struct{})
	held := db.Submit(context.Background(), func(*store.Tx) error { close(started); <-gate; return nil })
	<-started
	// The queue holds 4×MaxBatch ops; fill it.
	var queued []<-chan error
	for range 4 {
		queued = append(queued, db.Submit(context.Background(), func(*store.Tx) error { return nil }))
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	done := make(chan (<-chan error))
	go func() { done <- db.Submit(ctx, func(*store.Tx) error { ran = true; return nil }) }()
	cancel()
	refused := <-done
	if err := <-refused; !errors.Is(err, context.Canceled) {
		t.Errorf("Submit on a full queue after cancel = %v, want context.Canceled", err)
	}
	close(gate)
	<-held
	for _, q := range queued {
		if err := <-q; err != nil {
			t.Fatal(err)
		}
	}
	update(t, db, func(*store.Tx) error { return nil })
	if ran {
		t.Error("the refused op ran")
	}
}
