package discordexport

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/pulsebot/pulse/importer"
	"github.com/pulsebot/pulse/importer/jsonscan"
)

// Root parsing states.
const (
	stStart = iota
	stRoot
	stMessages
	stDone
)

// jsonFile streams one DiscordChatExporter JSON export.
type jsonFile struct {
	path string
	f    *os.File
	size int64
	s    *jsonscan.Scanner
	loc  *time.Location

	state    int
	rootKeys int
	n        int // messages read
	msg      message

	guildID, guildName     string
	channelID, channelName string
	parentID               string // the channel's category, or a thread's channel
	sawGuild               bool
}

// openJSON opens an export and reads its header up to the first message.
func openJSON(path string, bufSize int, loc *time.Location) (*jsonFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	j := &jsonFile{path: path, f: f, size: st.Size(), s: jsonscan.NewScanner(f, bufSize, 64<<20), loc: loc}
	for j.state < stMessages {
		if err := j.step(j.header); err != nil {
			f.Close()
			return nil, err
		}
		if j.state == stDone {
			f.Close()
			return nil, &importer.FileError{File: path, Offset: -1, Msg: "no \"messages\" array: not a DiscordChatExporter JSON export"}
		}
	}
	return j, nil
}

func (j *jsonFile) close() error { return j.f.Close() }

// consumed is how far the file has been read.
func (j *jsonFile) consumed() int64 { return j.s.Consumed() }

// step runs fn over the buffered data from the current position, reading
// more and starting fn again whenever it runs out.
func (j *jsonFile) step(fn func(p *jsonscan.Parser) error) error {
	if err := j.s.Step(fn); err != nil {
		return j.wrap(err)
	}
	return nil
}

func (j *jsonFile) wrap(err error) error {
	var se *jsonscan.SyntaxError
	if errors.As(err, &se) {
		return &importer.FileError{File: j.path, Line: se.Line, Offset: se.Offset, Msg: "malformed JSON: " + se.Msg}
	}
	var te *jsonscan.TruncatedError
	if errors.As(err, &te) {
		return j.truncated(te)
	}
	var re *jsonscan.ReadError
	if errors.As(err, &re) {
		return &importer.FileError{File: j.path, Line: re.Line, Offset: re.Offset, Msg: "read: " + re.Err.Error()}
	}
	return err
}

func (j *jsonFile) truncated(te *jsonscan.TruncatedError) error {
	what := "before the export's header ended"
	switch j.state {
	case stMessages:
		what = fmt.Sprintf("inside the messages array, after message %d (the unfinished record starts at line %d, byte %d)", j.n, te.StartLine, te.StartOffset)
	case stRoot:
		if j.n > 0 {
			what = "after the messages array, before the export's end"
		}
	}
	return &importer.FileError{File: j.path, Line: te.Line, Offset: te.Offset, Msg: "unexpected end of file " + what + ": the file is truncated"}
}

// header reads the root's opening and one of its members.
func (j *jsonFile) header(p *jsonscan.Parser) error {
	if j.state == stStart {
		p.SkipBOM()
		ok, err := p.ObjectStart()
		if err != nil {
			return err
		}
		if !ok {
			return p.Fail("the export is null")
		}
		j.state = stRoot
		return nil
	}
	key, end, err := p.Key(j.rootKeys)
	if err != nil {
		return err
	}
	if end {
		if err := p.WS(); err != jsonscan.ErrMore {
			if err == nil {
				return p.Fail("data after the end of the export: %s", p.Show())
			}
			return err
		}
		j.state = stDone
		return nil
	}
	switch string(key) {
	case "guild":
		id, name, _, err := j.named(p)
		if err != nil {
			return err
		}
		j.guildID, j.guildName, j.sawGuild = id, name, true
	case "channel":
		id, name, parent, err := j.named(p)
		if err != nil {
			return err
		}
		j.channelID, j.channelName, j.parentID = id, name, parent
	case "messages":
		if j.n > 0 || j.state == stMessages {
			return p.Fail("a second \"messages\" array")
		}
		ok, err := p.ArrayStart()
		if err != nil {
			return err
		}
		if ok {
			j.state = stMessages
			j.n = 0
		}
	default:
		if err := p.Skip(); err != nil {
			return err
		}
	}
	j.rootKeys++
	return nil
}

// named reads an object's id, name and categoryId (guild, channel).
func (j *jsonFile) named(p *jsonscan.Parser) (id, name, parent string, err error) {
	ok, err := p.ObjectStart()
	if err != nil || !ok {
		return "", "", "", err
	}
	for n := 0; ; n++ {
		key, end, err := p.Key(n)
		if err != nil {
			return "", "", "", err
		}
		if end {
			return id, name, parent, nil
		}
		var b []byte
		switch string(key) {
		case "id":
			b, err = p.Scalar()
			id = string(b)
		case "name":
			b, err = p.Text()
			name = string(b)
		case "categoryId":
			b, err = p.Scalar()
			parent = string(b)
		default:
			err = p.Skip()
		}
		if err != nil {
			return "", "", "", err
		}
	}
}

// errRecord marks a record that is well-formed JSON but unusable.
type errRecord struct{ msg string }

func (e errRecord) Error() string { return e.msg }

// next returns the next message, or nil at the end of the export. A
// *importer.FileError with Record set concerns that message only: the
// next call goes on with the one after it.
func (j *jsonFile) next() (*message, error) {
	for j.state == stMessages {
		more := false
		at := 0
		err := j.step(func(p *jsonscan.Parser) error {
			var err error
			if more, err = p.Elem(j.n); err != nil || !more {
				return err
			}
			if err := p.WS(); err != nil {
				return err
			}
			at = p.Index()
			return decodeMessage(p, &j.msg)
		})
		if err != nil {
			return nil, err
		}
		if !more {
			j.state = stRoot
			break
		}
		j.n++
		m := &j.msg
		// The buffer is unchanged since the step: at is still the
		// message's start. Lines are only counted for errors (it costs a
		// scan of the buffer).
		m.off = j.s.Offset(at)
		if err := j.check(m); err != nil {
			off, line := j.s.Locate(at)
			return nil, &importer.FileError{File: j.path, Line: line, Offset: off, Msg: fmt.Sprintf("message %d: %v", j.n, err), Record: true}
		}
		return m, nil
	}
	for j.state == stRoot {
		if err := j.step(j.header); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// check validates a parsed message and fills its time and numeric id.
func (j *jsonFile) check(m *message) error {
	switch {
	case len(m.id) == 0:
		return errRecord{"no id"}
	case len(m.typ) == 0:
		return errRecord{"no type"}
	case len(m.timestamp) == 0:
		return errRecord{"no timestamp"}
	case len(m.author.id) == 0:
		return errRecord{"no author id"}
	}
	t, err := parseTimestamp(m.timestamp, j.loc)
	if err != nil {
		return err
	}
	m.t = t
	m.snow = snowflake(m.id)
	return nil
}

// snowflake reads a numeric id; 0 if it is not one.
func snowflake(b []byte) uint64 {
	if len(b) == 0 || len(b) > 20 {
		return 0
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0
		}
		n = n*10 + d
	}
	return n
}
