// Package importer brings a community's history into Pulse: chat exports
// become past events recorded through the core's history path
// (bot.Bot.Ingest), so that activity aggregates, XP and levels come out as
// if Pulse had been there; leaderboards of other bots set XP directly.
//
// The formats live in subpackages: discordexport (DiscordChatExporter JSON
// and CSV), mee6 (MEE6 leaderboard pages) and wechatcsv (WeChatMsg/留痕 CSV).
// This package holds what they share: the parse→ingest pipeline, progress,
// positions in files, and the summary an operator reads at the end.
//
// Imports commit in batches. Every imported event carries the platform's
// id (or one derived stably from the record), and the core keeps imported
// ids for good, so re-running an import, or importing an overlapping
// export, records nothing twice: an import that stopped half-way resumes
// by running it again.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
)

// DefaultBatch is the number of events per Ingest call (one transaction).
const DefaultBatch = 10000

// FileError is a problem with an input file at a position.
type FileError struct {
	File   string
	Line   int64 // 1-based line (or CSV record line); 0 if unknown
	Offset int64 // byte offset; -1 if unknown
	Msg    string
	// Record is set when only one record is bad and the rest of the file
	// can still be read: -skip-bad skips such records and counts them.
	Record bool
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Line > 0 && e.Offset >= 0:
		fmt.Fprintf(&b, ": line %d (byte %d)", e.Line, e.Offset)
	case e.Line > 0:
		fmt.Fprintf(&b, ": line %d", e.Line)
	case e.Offset >= 0:
		fmt.Fprintf(&b, ": byte %d", e.Offset)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Where is the error's position for a summary line.
func (e *FileError) Where() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	case e.Offset >= 0:
		return fmt.Sprintf("%s@%d", e.File, e.Offset)
	}
	return e.File
}

// Skips counts records left out of an import, by reason, remembering
// where each reason was first seen.
type Skips struct {
	order []string
	n     map[string]int64
	first map[string]string
}

// Add counts n records skipped for reason; where, called only the first
// time a reason is seen (it may be nil), gives a position such as
// "file:line".
func (s *Skips) Add(reason string, n int64, where func() string) {
	if n <= 0 {
		return
	}
	if s.n == nil {
		s.n, s.first = make(map[string]int64), make(map[string]string)
	}
	if _, ok := s.n[reason]; !ok {
		s.order = append(s.order, reason)
		if where != nil {
			s.first[reason] = where()
		}
	}
	s.n[reason] += n
}

// Count returns how many records were skipped for reason.
func (s *Skips) Count(reason string) int64 { return s.n[reason] }

// Total is the number of records skipped for any reason.
func (s *Skips) Total() int64 {
	var t int64
	for _, n := range s.n {
		t += n
	}
	return t
}

// Reasons lists the reasons in the order they were first seen.
func (s *Skips) Reasons() []string { return append([]string(nil), s.order...) }

// Summary is what one import did to one group.
type Summary struct {
	Format string // "discord-export", "wechat-csv", …
	Group  string
	Files  int
	Bytes  int64 // bytes read

	// Records read from the files and turned into events.
	Messages  int64
	Reactions int64
	Joins     int64
	Leaves    int64

	// What the core did with them (bot.IngestResult, summed).
	Recorded   int64
	Duplicates int64
	Invalid    int64
	Batches    int

	Members  int          // distinct members with a message in the import
	Days     int          // distinct local days with a message
	First    calendar.Day // first and last such day
	Last     calendar.Day
	Location *time.Location

	Skipped Skips    // records left out, by reason
	Notes   []string // anything else the operator must know
	Elapsed time.Duration
}

// Events is the number of events sent to the core.
func (s *Summary) Events() int64 { return s.Messages + s.Reactions + s.Joins + s.Leaves }

// AddDay counts a local day that had a message; seen holds the days
// counted so far.
func (s *Summary) AddDay(d calendar.Day, seen map[calendar.Day]struct{}) {
	if _, ok := seen[d]; ok {
		return
	}
	seen[d] = struct{}{}
	s.Days++
	if s.First == 0 || d < s.First {
		s.First = d
	}
	if d > s.Last {
		s.Last = d
	}
}

// Notef adds a note.
func (s *Summary) Notef(format string, args ...any) {
	s.Notes = append(s.Notes, fmt.Sprintf(format, args...))
}

// Print writes the summary for an operator.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "%s → %s: %d file(s), %s read in %s\n", s.Format, s.Group, s.Files, Bytes(s.Bytes), s.Elapsed.Round(time.Millisecond))
	rate := ""
	if secs := s.Elapsed.Seconds(); secs >= 1 && s.Messages > 0 {
		rate = fmt.Sprintf(" (%s messages/s)", Count(int64(float64(s.Messages)/secs)))
	}
	fmt.Fprintf(w, "  messages   %s%s\n", Count(s.Messages), rate)
	if s.Reactions > 0 {
		fmt.Fprintf(w, "  reactions  %s\n", Count(s.Reactions))
	}
	if s.Joins > 0 || s.Leaves > 0 {
		fmt.Fprintf(w, "  joins      %s\n", Count(s.Joins))
	}
	if s.Leaves > 0 {
		fmt.Fprintf(w, "  leaves     %s\n", Count(s.Leaves))
	}
	fmt.Fprintf(w, "  members    %s with messages\n", Count(int64(s.Members)))
	if s.Days > 0 {
		zone := ""
		if s.Location != nil {
			zone = " (" + s.Location.String() + ")"
		}
		fmt.Fprintf(w, "  days       %s with messages, %s to %s%s\n", Count(int64(s.Days)), s.First, s.Last, zone)
	}
	fmt.Fprintf(w, "  recorded   %s events", Count(s.Recorded))
	if s.Duplicates > 0 {
		fmt.Fprintf(w, "; %s already imported before (skipped as duplicates)", Count(s.Duplicates))
	}
	if s.Invalid > 0 {
		fmt.Fprintf(w, "; %s refused by the core as invalid", Count(s.Invalid))
	}
	fmt.Fprintf(w, "; %d batch(es) committed\n", s.Batches)
	if t := s.Skipped.Total(); t > 0 {
		fmt.Fprintf(w, "  left out or not attributed (%s):\n", Count(t))
		for _, r := range s.Skipped.order {
			where := ""
			if f := s.Skipped.first[r]; f != "" {
				where = " (first at " + f + ")"
			}
			fmt.Fprintf(w, "    %10s  %s%s\n", Count(s.Skipped.n[r]), r, where)
		}
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// Count formats n with thousands separators.
func Count(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Bytes formats a size.
func Bytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Totals is what Run committed.
type Totals struct {
	bot.IngestResult
	Batches   int
	Committed int64 // events in committed batches (recorded + duplicates + invalid)
	Messages  int64 // message events in committed batches
}

// Add sums the totals into a summary.
func (t Totals) Add(s *Summary) {
	s.Recorded += int64(t.Recorded)
	s.Duplicates += int64(t.Duplicates)
	s.Invalid += int64(t.Invalid)
	s.Batches += t.Batches
}

// Emit hands one event to the pipeline. It fails when the import stops
// (the context ends, or a batch could not be committed).
type Emit func(ev bot.Event) error

// ErrStopped is returned by Emit once the ingest side has stopped.
var ErrStopped = errors.New("import stopped")

// Run records what produce emits through b.Ingest in batches of size
// events, parsing (produce, on its own goroutine) and committing (on the
// caller's) at the same time. Batches are committed in order, each in one
// transaction, and every committed batch is durable. When produce fails,
// what it emitted before the failure is committed first; the error is
// returned with the totals of what was committed, so the caller can say
// exactly what is on disk. A cancelled ctx stops after the batch being
// committed.
func Run(ctx context.Context, b *bot.Bot, size int, produce func(ctx context.Context, emit Emit) error) (Totals, error) {
	if size <= 0 {
		size = DefaultBatch
	}
	var tot Totals
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan []bot.Event, 1)
	free := make(chan []bot.Event, 3)
	for range 3 {
		free <- make([]bot.Event, 0, size)
	}
	var perr error
	go func() {
		defer close(full)
		var cur []bot.Event
		select {
		case cur = <-free:
		case <-pctx.Done():
			perr = pctx.Err()
			return
		}
		send := func() error {
			select {
			case full <- cur:
			case <-pctx.Done():
				return ErrStopped
			}
			select {
			case cur = <-free:
			case <-pctx.Done():
				return ErrStopped
			}
			return nil
		}
		perr = produce(pctx, func(ev bot.Event) error {
			cur = append(cur, ev)
			if len(cur) >= size {
				return send()
			}
			return nil
		})
		if len(cur) > 0 && pctx.Err() == nil {
			if err := send(); err != nil && perr == nil {
				perr = err
			}
		}
	}()
	var ierr error
	for evs := range full {
		if ierr != nil || ctx.Err() != nil {
			continue // drain: the producer is being stopped
		}
		// The batch is committed whole even if ctx ends meanwhile, so the
		// totals say exactly what is on disk.
		res, err := b.Ingest(context.WithoutCancel(ctx), evs)
		if err != nil {
			ierr = fmt.Errorf("commit batch %d: %w", tot.Batches+1, err)
			cancel()
			continue
		}
		tot.Batches++
		tot.Recorded += res.Recorded
		tot.Duplicates += res.Duplicates
		tot.Invalid += res.Invalid
		tot.Committed += int64(len(evs))
		for i := range evs {
			if evs[i].Kind == bot.KindMessage {
				tot.Messages++
			}
		}
		clear(evs) // drop references so the strings can be collected
		free <- evs[:0]
		if ctx.Err() != nil {
			cancel()
		}
	}
	switch {
	case ierr != nil:
		return tot, ierr
	case ctx.Err() != nil:
		return tot, fmt.Errorf("interrupted: %w", ctx.Err())
	case perr != nil && !errors.Is(perr, ErrStopped):
		return tot, perr
	}
	return tot, nil
}

// StoppedError explains an import that stopped before its end: what is
// committed, and that running the same command again resumes safely.
type StoppedError struct {
	Err       error
	Committed int64 // events committed by this run
	Messages  int64 // of which messages
	Batches   int
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("%v\nimport stopped: %s events (%s messages) in %d batch(es) were committed before the stop and are kept; nothing after them was recorded. Running the same command again resumes safely: what is already imported is skipped as duplicates",
		e.Err, Count(e.Committed), Count(e.Messages), e.Batches)
}

func (e *StoppedError) Unwrap() error { return e.Err }

// Stopped wraps a Run error with what was committed.
func Stopped(err error, t Totals) error {
	if err == nil {
		return nil
	}
	return &StoppedError{Err: err, Committed: t.Committed, Messages: t.Messages, Batches: t.Batches}
}

// SortedKeys returns a map's keys in order, for stable output.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
