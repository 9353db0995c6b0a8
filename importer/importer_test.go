package importer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/store"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var t0 = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

func newBot(t *testing.T) *bot.Bot {
	b, _ := newBotDB(t)
	return b
}

func newBotDB(t *testing.T) (*bot.Bot, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return bot.New(db, bot.Options{Clock: fixedClock{t0}, Seed: 1}), db
}

func msg(i int) bot.Event {
	return bot.Event{Kind: bot.KindMessage, Group: "test/g", ID: fmt.Sprint(i), Member: bot.Member{ID: fmt.Sprint("m", i%7)},
		Time: t0.Add(time.Duration(i) * time.Minute), Text: fmt.Sprint("message number ", i)}
}

func messages(t *testing.T, b *bot.Bot) int64 {
	t.Helper()
	rows, err := b.Members(context.Background(), "test/g", b.Clock().Now())
	if err != nil && !errors.Is(err, bot.ErrNoGroup) {
		t.Fatal(err)
	}
	var n int64
	for _, r := range rows {
		n += r.Messages
	}
	return n
}

func TestRunBatches(t *testing.T) {
	b := newBot(t)
	tot, err := importer.Run(context.Background(), b, 10, func(ctx context.Context, emit importer.Emit) error {
		for i := range 95 {
			if err := emit(msg(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || tot.Batches != 10 || tot.Recorded != 95 || tot.Committed != 95 || tot.Messages != 95 {
		t.Fatalf("%v %+v", err, tot)
	}
	if n := messages(t, b); n != 95 {
		t.Errorf("%d messages recorded", n)
	}
}

// TestRunProducerError: what was emitted before a failure is committed,
// and the totals say so.
func TestRunProducerError(t *testing.T) {
	b := newBot(t)
	boom := errors.New("boom")
	tot, err := importer.Run(context.Background(), b, 10, func(ctx context.Context, emit importer.Emit) error {
		for i := range 25 {
			if err := emit(msg(i)); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) || tot.Committed != 25 || tot.Batches != 3 {
		t.Fatalf("%v %+v", err, tot)
	}
	if n := messages(t, b); n != 25 {
		t.Errorf("%d messages recorded, want 25", n)
	}
	se := importer.Stopped(err, tot)
	if !errors.Is(se, boom) || !strings.Contains(se.Error(), "25 events (25 messages) in 3 batch(es) were committed") {
		t.Errorf("stopped: %v", se)
	}
}

// TestRunCancel: a cancelled context stops after the batch being
// committed; what is committed is exactly what the totals say.
func TestRunCancel(t *testing.T) {
	b := newBot(t)
	ctx, cancel := context.WithCancel(context.Background())
	tot, err := importer.Run(ctx, b, 10, func(ctx context.Context, emit importer.Emit) error {
		for i := range 1000 {
			if i == 35 {
				cancel()
			}
			if err := emit(msg(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if n := messages(t, b); n != tot.Committed || n == 0 || n > 40 {
		t.Errorf("%d messages recorded, totals say %d", n, tot.Committed)
	}
}

// TestRunIngestError: a batch the core refuses stops the producer.
func TestRunIngestError(t *testing.T) {
	b, db := newBotDB(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	emitted := 0
	_, err := importer.Run(context.Background(), b, 10, func(ctx context.Context, emit importer.Emit) error {
		for i := range 100000 {
			if err := emit(msg(i)); err != nil {
				return err
			}
			emitted++
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "commit batch 1") || emitted > 100 {
		t.Fatalf("error %v after %d events", err, emitted)
	}
}

func TestMerge(t *testing.T) {
	streams := [][]int{{1, 4, 4, 9}, {}, {2, 3, 4, 10, 11}, {0}}
	pos := make([]int, len(streams))
	var got []string
	err := importer.Merge(len(streams), func(i int) (*int, error) {
		if pos[i] == len(streams[i]) {
			return nil, nil
		}
		v := &streams[i][pos[i]]
		pos[i]++
		return v, nil
	}, func(a, b *int) bool { return *a < *b }, func(i int, v *int) error {
		got = append(got, fmt.Sprintf("%d:%d", *v, i))
		return nil
	})
	want := "0:3 1:0 2:2 3:2 4:0 4:0 4:2 9:0 10:2 11:2"
	if err != nil || strings.Join(got, " ") != want {
		t.Errorf("merge: %v %s; want %s", err, strings.Join(got, " "), want)
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000"} {
		if got := importer.Count(n); got != want {
			t.Errorf("Count(%d) = %s", n, got)
		}
	}
	e := &importer.FileError{File: "a.json", Line: 3, Offset: 40, Msg: "bad"}
	if e.Error() != "a.json: line 3 (byte 40): bad" || e.Where() != "a.json:3" {
		t.Errorf("%v / %s", e, e.Where())
	}
	p := &importer.Progress{Total: 1000}
	p.Bytes.Store(250)
	p.Messages.Store(5000)
	line := p.Line(2 * time.Second)
	for _, want := range []string{"25%", "250 B / 1000 B", "5,000 messages", "2,500 msg/s", "ETA 0:06"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress %q lacks %q", line, want)
		}
	}
}
