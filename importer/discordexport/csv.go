package discordexport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/importer"
)

// csvFile streams DiscordChatExporter's CSV variant:
//
//	AuthorID,Author,Date,Content,Attachments,Reactions
//
// It has no message ids, no guild, no message types, no bot flags, no
// replies and no mentions; reactions are counts only. Message ids are
// derived from the channel (the "[channel id]" DiscordChatExporter puts in
// file names, else the file's name), the author, the date, a hash of the
// content and the occurrence of that same record within its date, so a
// re-import of the same or an overlapping export is recognised.
type csvFile struct {
	*importer.CSV
	loc     *time.Location
	layout  string // Go layout of the Date column; "" tries the known ones
	known   string // the known layout that worked last
	channel string
	n       int
	msg     message

	lastDate string
	seen     map[uint64]int // records with the same hash at lastDate
	idbuf    []byte
}

var channelInName = regexp.MustCompile(`\[(\d{5,25})\]`)

func openCSV(path string, loc *time.Location, layout string) (*csvFile, error) {
	base, err := importer.OpenCSV(path)
	if err != nil {
		return nil, err
	}
	c := &csvFile{CSV: base, loc: loc, layout: layout, seen: map[uint64]int{}}
	for _, want := range []string{"authorid", "author", "date", "content"} {
		if _, ok := c.Cols[want]; !ok {
			c.Close()
			return nil, &importer.FileError{File: path, Line: 1, Offset: -1,
				Msg: fmt.Sprintf("no %q column: not a DiscordChatExporter CSV export (want AuthorID,Author,Date,Content,Attachments,Reactions)", want)}
		}
	}
	if m := channelInName.FindStringSubmatch(filepath.Base(path)); m != nil {
		c.channel = m[1]
	} else {
		c.channel = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return c, nil
}

func (c *csvFile) close() error    { return c.Close() }
func (c *csvFile) consumed() int64 { return c.Consumed() }

var discriminator = regexp.MustCompile(`#\d{4}$`)

// next returns the next record, nil at the end of the file. Errors with
// Record set concern that record only.
func (c *csvFile) next() (*message, error) {
	rec, err := c.R.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
			return nil, &importer.FileError{File: c.Path, Line: int64(pe.StartLine), Offset: -1, Msg: pe.Error(), Record: true}
		}
		return nil, c.Err(err)
	}
	c.n++
	line, _ := c.R.FieldPos(0)
	m := &c.msg
	m.reset()
	m.line = int64(line)
	m.off = -1
	recErr := func(format string, args ...any) error {
		return &importer.FileError{File: c.Path, Line: m.line, Offset: -1, Msg: fmt.Sprintf("record %d: ", c.n) + fmt.Sprintf(format, args...), Record: true}
	}
	if len(rec) < len(c.Cols) {
		return nil, recErr("%d fields, want %d", len(rec), len(c.Cols))
	}
	authorID, author, date, content := c.Field(rec, "authorid"), c.Field(rec, "author"), c.Field(rec, "date"), c.Field(rec, "content")
	if authorID == "" {
		return nil, recErr("no AuthorID")
	}
	t, err := c.date(date)
	if err != nil {
		return nil, recErr("%v", err)
	}
	m.t = t
	m.author.id = []byte(authorID)
	m.author.name = []byte(discriminator.ReplaceAllString(author, ""))
	m.content = []byte(content)
	m.attached = strings.TrimSpace(c.Field(rec, "attachments")) != ""
	m.csvReact = reactionCount(c.Field(rec, "reactions"))
	m.typ = []byte("Default")

	// A stable id: channel, author, date, content hash, occurrence.
	h := fnv.New64a()
	h.Write([]byte(authorID))
	h.Write([]byte{0})
	h.Write([]byte(content))
	sum := h.Sum64()
	if date != c.lastDate {
		c.lastDate = date
		clear(c.seen)
	}
	occ := c.seen[sum]
	c.seen[sum] = occ + 1
	id := append(c.idbuf[:0], "csv:"...)
	id = append(id, c.channel...)
	id = append(id, ':')
	id = strconv.AppendInt(id, t.Unix(), 10)
	id = append(id, ':')
	id = strconv.AppendUint(id, sum, 16)
	if occ > 0 {
		id = append(id, ':')
		id = strconv.AppendInt(id, int64(occ), 10)
	}
	c.idbuf = id
	m.id = id
	return m, nil
}

var reactionCountRE = regexp.MustCompile(`\((\d+)\)`)

// reactionCount sums "👍 (3),🎉 (1)".
func reactionCount(s string) int64 {
	if s == "" {
		return 0
	}
	var n int64
	for _, m := range reactionCountRE.FindAllStringSubmatch(s, -1) {
		k, _ := strconv.ParseInt(m[1], 10, 64)
		n += k
	}
	return n
}

// csvLayouts are the date formats DiscordChatExporter writes by default
// across versions and common locales ("g" in .NET: short date and time).
var csvLayouts = []string{
	"1/2/2006 3:04 PM",     // en-US "g" (current default)
	"1/2/2006 3:04:05 PM",  //
	"02-Jan-06 03:04 PM",   // older default "dd-MMM-yy hh:mm tt"
	"02-Jan-06 3:04 PM",    //
	"2006-01-02 15:04",     // ISO-like, sv-SE, zh-CN variants
	"2006-01-02 15:04:05",  //
	"2006/1/2 15:04",       // zh-CN "g"
	"02/01/2006 15:04",     // en-GB, fr-FR "g"
	"02.01.2006 15:04",     // de-DE "g"
	"2006-01-02T15:04:05",  //
	"01/02/2006 15:04",     //
	"Jan 2, 2006 3:04 PM",  //
	"2 Jan 2006 15:04",     //
	"02-Jan-06 15:04",      //
	"1/2/2006 15:04",       //
	"2006-01-02 3:04 PM",   //
	"2006-01-02 03:04 PM",  //
	"02-Jan-2006 03:04 PM", //
}

// date reads the Date column: an ISO 8601 timestamp (with or without an
// offset), unix seconds or milliseconds (-date-format unix/unixms), or
// one of the default .NET short formats in the CSV's zone. The layout
// that worked is tried first next time.
func (c *csvFile) date(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("no Date")
	}
	if c.layout != "" {
		t, err := time.ParseInLocation(c.layout, s, c.loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("Date %q does not match the layout %q", s, c.layout)
		}
		return t, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if len(s) >= 12 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if t, err := parseTimestamp([]byte(s), c.loc); err == nil {
		return t, nil
	}
	if c.known != "" {
		if t, err := time.ParseInLocation(c.known, s, c.loc); err == nil {
			return t, nil
		}
	}
	for _, l := range csvLayouts {
		if t, err := time.ParseInLocation(l, s, c.loc); err == nil {
			c.known = l
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("Date %q is in no known format (pass its Go layout with -csv-date, e.g. -csv-date \"1/2/2006 3:04 PM\")", s)
}
