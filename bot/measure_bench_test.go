package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// history fills groups × members × days of activity through the core's
// history path: each member is active on a day with a probability drawn
// per member (a few very active, many occasional, some silent), joins
// spread over the first weeks, a few leaves, and check-ins.
func history(b *testing.B, path string, groups, members, days int, start time.Time) {
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Seed: 1, Clock: calendar.Fixed(start)})
	rng := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	evs := make([]bot.Event, 0, 20000)
	flush := func() {
		if _, err := core.Ingest(ctx, evs); err != nil {
			b.Fatal(err)
		}
		evs = evs[:0]
	}
	for g := 0; g < groups; g++ {
		key := fmt.Sprintf("bench/g%04d", g)
		p := make([]float64, members)
		for i := range p {
			p[i] = rng.Float64() * rng.Float64() * rng.Float64() // heavy tail
		}
		for d := 0; d < days; d++ {
			day := start.AddDate(0, 0, d)
			for i := 0; i < members; i++ {
				m := bot.Member{ID: fmt.Sprintf("m%05d", i)}
				if d == 0 {
					evs = append(evs, bot.Event{Kind: bot.KindJoin, Group: key, Member: m, Time: day})
				}
				if rng.Float64() >= p[i] {
					continue
				}
				t := day.Add(time.Duration(rng.IntN(86400)) * time.Second)
				ev := bot.Event{Kind: bot.KindMessage, Group: key, Member: m, Time: t, Text: "talking about the book"}
				if rng.IntN(4) == 0 {
					ev.ReplyTo = bot.Member{ID: fmt.Sprintf("m%05d", rng.IntN(members))}
				}
				evs = append(evs, ev)
				if len(evs) == cap(evs) {
					flush()
				}
			}
		}
	}
	flush()
}

// fixture builds (once per machine, in the temp dir) a database for the
// measurement benchmarks; building it is not what is measured.
func fixture(b *testing.B, name string, groups, members, days int) (string, time.Time) {
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(os.TempDir(), fmt.Sprintf("pulse-bench-%s-v2.db", name))
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".tmp"
		os.Remove(tmp)
		history(b, tmp, groups, members, days, start)
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	return path, start.AddDate(0, 0, days-1)
}

// BenchmarkStats: /stats on a group of 10,000 members with 365 days of
// history, as the report alone and as the chat command (a committed
// write transaction, like every event). p99 is reported in ms.
func BenchmarkStats(b *testing.B) {
	path, last := fixture(b, "stats", 1, 10000, 365)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Seed: 1, Clock: calendar.Fixed(last.Add(12 * time.Hour))})
	to := calendar.DayOf(last, time.UTC)
	p99 := func(b *testing.B, d []time.Duration) {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("report", func(b *testing.B) {
		d := make([]time.Duration, 0, b.N)
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := core.Report(context.Background(), "bench/g0000", to, 7); err != nil {
				b.Fatal(err)
			}
			d = append(d, time.Since(t0))
		}
		p99(b, d)
	})
	b.Run("chat", func(b *testing.B) {
		d := make([]time.Duration, 0, b.N)
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			r, err := core.Handle(context.Background(), bot.Event{Kind: bot.KindMessage, Group: "bench/g0000", Member: bot.Member{ID: "admin", IsAdmin: true}, Text: "/stats"})
			if err != nil || len(r) != 1 {
				b.Fatal(err, r)
			}
			d = append(d, time.Since(t0))
		}
		p99(b, d)
	})
}

// BenchmarkDigests: the weekly digests of 1,000 groups (50 members, 8
// weeks each), built without sending; with and without the chart.
func BenchmarkDigests(b *testing.B) {
	path, last := fixture(b, "digests", 1000, 50, 56)
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Seed: 1, Clock: calendar.Fixed(last)})
	monday := calendar.Monday(calendar.DayOf(last, time.UTC)) - 7
	for _, chart := range []bool{false, true} {
		b.Run(fmt.Sprintf("chart=%v", chart), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for g := 0; g < 1000; g++ {
					if _, err := core.BuildDigest(context.Background(), fmt.Sprintf("bench/g%04d", g), monday, "", !chart); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/1000-groups")
		})
	}
}
