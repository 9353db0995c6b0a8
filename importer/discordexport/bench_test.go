package discordexport

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/store"
)

// BenchmarkDiscordExport measures a whole import: a synthetic
// DiscordChatExporter export of b.N messages (written before the timer
// starts) parsed and recorded through the real core and store, every batch
// committed. "rich" messages look like a busy server's (about 1.1 KB each
// as exported, 1.4 events per message: replies, mentions, reactions with
// users, bots, joins); "plain" ones are the short member messages of the
// core's own BenchmarkIngestHistory. With channels=8 the messages are
// spread over eight files of one guild, merged by time.
//
//	go test ./importer/discordexport -run '^$' -bench 'DiscordExport$' -benchtime 300000x
func BenchmarkDiscordExport(b *testing.B) {
	for _, bc := range []struct {
		name     string
		channels int
		plain    bool
	}{{"rich/channels=1", 1, false}, {"rich/channels=8", 8, false}, {"plain/channels=1", 1, true}} {
		b.Run(bc.name, func(b *testing.B) {
			benchImport(b, bc.channels, b.N, bc.plain)
		})
	}
}

func benchImport(b *testing.B, channels, messages int, plain bool) {
	dir := b.TempDir()
	var paths []string
	var size int64
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range channels {
		p := filepath.Join(dir, fmt.Sprintf("chan%d.json", c))
		n, err := writeSynthFile(p, synth{guild: "42", channel: fmt.Sprint(7000 + c), members: 2000, start: start, seed: uint64(c + 1), idBase: uint64(1e15) + uint64(c)*1e9, plain: plain}, max(messages/channels, 1))
		if err != nil {
			b.Fatal(err)
		}
		size += n
		paths = append(paths, p)
	}
	db, err := store.Open(filepath.Join(dir, "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Clock: fixedClock{start.AddDate(5, 0, 0)}, Seed: 1})
	b.SetBytes(size / int64(max(b.N, 1)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	if _, err := Import(context.Background(), core, paths, Options{}); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(messages)/b.Elapsed().Seconds(), "msgs/s")
	// CPU time says what the import costs when other processes share the
	// machine and wall time does not.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(messages), "cpu-ns/msg")
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var rssMB = flag.Int("import.rss-mb", 0, "BenchmarkDiscordExportRSS: size in MB of the synthetic export to import (0 skips it)")

// BenchmarkDiscordExportRSS imports one synthetic export of -import.rss-mb
// megabytes and reports the process's peak resident set (ru_maxrss) and
// the import's throughput. Run it alone, so nothing else has raised the
// peak:
//
//	go test ./importer/discordexport -run '^$' -bench DiscordExportRSS -benchtime 1x -import.rss-mb 1024
func BenchmarkDiscordExportRSS(b *testing.B) {
	if *rssMB <= 0 {
		b.Skip("set -import.rss-mb (e.g. 1024) to run")
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "big.json")
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	// About 1,140 bytes per message in the synthetic format.
	n := *rssMB << 20 / 1140
	size, err := writeSynthFile(path, synth{guild: "42", channel: "7000", members: 5000, start: start, seed: 9, idBase: 1e15}, n)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	db, err := store.Open(filepath.Join(dir, "rss.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Clock: fixedClock{start.AddDate(8, 0, 0)}, Seed: 1})
	b.ResetTimer()
	for range b.N {
		if _, err := Import(context.Background(), core, []string{path}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB") // Linux reports KB
	b.ReportMetric(float64(size)/(1<<20), "export-MB")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if st, err := os.Stat(filepath.Join(dir, "rss.db")); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "db-MB")
	}
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// BenchmarkParse measures the parser and the conversion to events alone
// (nothing is recorded): the import's producer side.
//
//	go test ./importer/discordexport -run '^$' -bench 'Parse$' -benchtime 300000x
func BenchmarkParse(b *testing.B) {
	path := filepath.Join(b.TempDir(), "parse.json")
	size, err := writeSynthFile(path, synth{guild: "42", channel: "7000", members: 2000, start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), seed: 1, idBase: 1e15}, b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size / int64(b.N))
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	events := collect(b, path, func(bot.Event) {})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/msg")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/msg")
}

// BenchmarkCoreOnly records the events of a synthetic export, parsed
// beforehand, through bot.Ingest alone in batches of 10,000: the
// ceiling the core puts on an import of such messages.
//
//	go test ./importer/discordexport -run '^$' -bench CoreOnly -benchtime 300000x
func BenchmarkCoreOnly(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "core.json")
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := writeSynthFile(path, synth{guild: "42", channel: "7000", members: 2000, start: start, seed: 1, idBase: 1e15}, b.N); err != nil {
		b.Fatal(err)
	}
	var evs []bot.Event
	collect(b, path, func(ev bot.Event) { evs = append(evs, ev) })
	db, err := store.Open(filepath.Join(dir, "core.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Options{Clock: fixedClock{start.AddDate(5, 0, 0)}, Seed: 1})
	runtime.GC()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < len(evs); i += importer.DefaultBatch {
		if _, err := core.Ingest(context.Background(), evs[i:min(i+importer.DefaultBatch, len(evs))]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(len(evs))/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/msg")
}

// collect parses an export and hands its events to fn; it returns how
// many there were.
func collect(b *testing.B, path string, fn func(bot.Event)) int {
	j, err := openJSON(path, 1<<20, time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	defer j.close()
	n := 0
	c := &conv{group: "discord/42", guildID: "42", loc: time.UTC, sum: &importer.Summary{}, authors: map[string]int32{},
		days: importer.Days{Loc: time.UTC}, replies: newReplyMap(1 << 20)}
	c.emit = func(ev bot.Event) error { n++; fn(ev); return nil }
	f := &file{json: j}
	for {
		m, err := j.next()
		if err != nil {
			b.Fatal(err)
		}
		if m == nil {
			return n
		}
		if err := c.add(f, m); err != nil {
			b.Fatal(err)
		}
	}
}
