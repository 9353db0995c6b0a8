package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// BenchmarkIngest measures sustained durable ingest of message events
// through the real core and store: every event is committed (fsync'd)
// before it counts. One producer keeps a window of events in flight, the
// way an adapter with a busy gateway does.
func BenchmarkIngest(b *testing.B) {
	for _, members := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
			benchIngest(b, members)
		})
	}
}

func benchIngest(b *testing.B, members int) {
	path := filepath.Join(b.TempDir(), "bench.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(start), Seed: 1})
	ids := make([]string, members)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%05d", i)
	}
	texts := []string{"good morning everyone", "has anyone tried the new release?", "thanks, that helped a lot", "see you at the meetup"}
	const window = 4096
	queue := make([]*bot.Pending, 0, window)
	ctx := context.Background()
	wait := func() {
		if _, err := queue[0].Wait(ctx); err != nil {
			b.Fatal(err)
		}
		queue = queue[1:]
	}
	// A day of traffic is 20 messages per member, spread over the day.
	perDay := members * 20
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		day, k := i/perDay, i%perDay
		ev := bot.Event{
			Kind:   bot.KindMessage,
			Group:  "bench/g1",
			ID:     fmt.Sprint(i),
			Member: bot.Member{ID: ids[k%members], Name: ids[k%members]},
			Time:   start.AddDate(0, 0, day).Add(time.Duration(k) * 86400 * time.Second / time.Duration(perDay)),
			Text:   texts[i%len(texts)],
		}
		if i%7 == 0 {
			ev.ReplyTo = bot.Member{ID: ids[(k+1)%members]}
		}
		p, err := core.Submit(ctx, ev)
		if err != nil {
			b.Fatal(err)
		}
		if len(queue) == window {
			wait()
		}
		queue = append(queue, p)
	}
	for len(queue) > 0 {
		wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	days := b.N/perDay + 1
	memberDays := min(b.N, members*days)
	b.ReportMetric(float64(db.Size())/float64(memberDays), "dbbytes/member-day")
}

// BenchmarkIngestHistory measures the import path: batches of past events
// applied in one transaction each.
func BenchmarkIngestHistory(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	core := bot.New(db, bot.Options{Clock: calendar.Fixed(start), Seed: 1})
	const members, batch = 2000, 10000
	ids := make([]string, members)
	for i := range ids {
		ids[i] = fmt.Sprintf("%d", 100000000000+i)
	}
	evs := make([]bot.Event, 0, batch)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % members
		evs = append(evs, bot.Event{
			Kind: bot.KindMessage, Group: "discord/1", ID: fmt.Sprint(1e12 + i),
			Member: bot.Member{ID: ids[k], Name: ids[k]},
			Time:   start.Add(time.Duration(i) * 3 * time.Second),
			Text:   "a message from the archive",
		})
		if len(evs) == batch || i == b.N-1 {
			if _, err := core.Ingest(context.Background(), evs); err != nil {
				b.Fatal(err)
			}
			evs = evs[:0]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
