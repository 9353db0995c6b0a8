package importer

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pulsebot/pulse/calendar"
)

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
	Reactions int64 // reactions by a known member, one event each
	// Count-only reactions (reactor unknown): the events (one per message)
	// and the reactions they carry.
	CountOnly          int64
	CountOnlyReactions int64
	Joins              int64
	Leaves             int64

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
func (s *Summary) Events() int64 { return s.Messages + s.Reactions + s.CountOnly + s.Joins + s.Leaves }

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
	if s.CountOnly > 0 {
		fmt.Fprintf(w, "  reactions  %s count-only (reactor unknown) on %s messages\n", Count(s.CountOnlyReactions), Count(s.CountOnly))
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
