package discordexport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pulsebot/pulse/importer"
)

// user is an author, a mentioned member or a reacting member; the byte
// slices point into the file's buffer.
type user struct {
	id, name, nickname []byte
	isBot              bool
}

func (u *user) reset() { *u = user{} }

// display is the name members see: the server nickname, else the name.
func (u *user) display() []byte {
	if len(u.nickname) > 0 {
		return u.nickname
	}
	return u.name
}

type reaction struct {
	emojiID, emojiName []byte
	count              int64
	users              []user
	hasUsers           bool
}

// message is one record of an export, JSON or CSV, valid until the next
// record of its file is read.
type message struct {
	id, typ, timestamp, content []byte
	author                      user
	reactions                   []reaction
	mentions                    []user
	refID, refGuild             []byte
	hasRef                      bool

	// Set after parsing.
	t        time.Time
	snow     uint64 // numeric id, 0 if none
	off      int64  // file offset of the record
	line     int64  // CSV: its line
	attached bool   // CSV: has attachments
	csvReact int64  // CSV: reactions (counts only)
}

func (m *message) reset() {
	reactions, mentions := m.reactions[:0], m.mentions[:0]
	*m = message{reactions: reactions, mentions: mentions}
}

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
	r    *reader
	p    parser
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
	j := &jsonFile{path: path, f: f, size: st.Size(), r: newReader(f, bufSize, 64<<20), loc: loc}
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
func (j *jsonFile) consumed() int64 { return j.r.off + int64(j.r.start) }

// step runs fn over the buffered data from the current position, reading
// more and starting fn again whenever it runs out.
func (j *jsonFile) step(fn func() error) error {
	for {
		j.p.d = j.r.buf[:j.r.end]
		j.p.i = j.r.start
		j.p.arena = j.p.arena[:0]
		err := fn()
		if err == nil {
			j.r.start = j.p.i
			return nil
		}
		if err != errMore {
			return j.wrap(err)
		}
		if ferr := j.r.fill(); ferr != nil {
			if ferr == io.EOF {
				return j.truncated()
			}
			off, line := j.r.pos(j.r.end)
			return &importer.FileError{File: j.path, Line: line, Offset: off, Msg: "read: " + ferr.Error()}
		}
	}
}

func (j *jsonFile) wrap(err error) error {
	var se *syntaxError
	if errors.As(err, &se) {
		off, line := j.r.pos(se.at)
		return &importer.FileError{File: j.path, Line: line, Offset: off, Msg: "malformed JSON: " + se.msg}
	}
	return err
}

func (j *jsonFile) truncated() error {
	off, line := j.r.pos(j.r.end)
	what := "before the export's header ended"
	switch j.state {
	case stMessages:
		sOff, sLine := j.r.pos(j.r.start)
		what = fmt.Sprintf("inside the messages array, after message %d (the unfinished record starts at line %d, byte %d)", j.n, sLine, sOff)
	case stRoot:
		if j.n > 0 {
			what = "after the messages array, before the export's end"
		}
	}
	return &importer.FileError{File: j.path, Line: line, Offset: off, Msg: "unexpected end of file " + what + ": the file is truncated"}
}

// header reads the root's opening and one of its members.
func (j *jsonFile) header() error {
	p := &j.p
	if j.state == stStart {
		if len(p.d)-p.i >= 3 && p.d[p.i] == 0xEF && p.d[p.i+1] == 0xBB && p.d[p.i+2] == 0xBF {
			p.i += 3
		}
		ok, err := p.objectStart()
		if err != nil {
			return err
		}
		if !ok {
			return p.fail("the export is null")
		}
		j.state = stRoot
		return nil
	}
	key, end, err := p.key(j.rootKeys)
	if err != nil {
		return err
	}
	if end {
		if err := p.ws(); err != errMore {
			if err == nil {
				return p.fail("data after the end of the export: %s", p.show())
			}
			return err
		}
		j.state = stDone
		return nil
	}
	switch string(key) {
	case "guild":
		id, name, _, err := j.named()
		if err != nil {
			return err
		}
		j.guildID, j.guildName, j.sawGuild = id, name, true
	case "channel":
		id, name, parent, err := j.named()
		if err != nil {
			return err
		}
		j.channelID, j.channelName, j.parentID = id, name, parent
	case "messages":
		if j.n > 0 || j.state == stMessages {
			return p.fail("a second \"messages\" array")
		}
		ok, err := p.arrayStart()
		if err != nil {
			return err
		}
		if ok {
			j.state = stMessages
			j.n = 0
		}
	default:
		if err := p.skip(); err != nil {
			return err
		}
	}
	j.rootKeys++
	return nil
}

// named reads an object's id, name and categoryId (guild, channel).
func (j *jsonFile) named() (id, name, parent string, err error) {
	p := &j.p
	ok, err := p.objectStart()
	if err != nil || !ok {
		return "", "", "", err
	}
	for n := 0; ; n++ {
		key, end, err := p.key(n)
		if err != nil {
			return "", "", "", err
		}
		if end {
			return id, name, parent, nil
		}
		var b []byte
		switch string(key) {
		case "id":
			b, err = p.scalar()
			id = string(b)
		case "name":
			b, err = p.text()
			name = string(b)
		case "categoryId":
			b, err = p.scalar()
			parent = string(b)
		default:
			err = p.skip()
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
		err := j.step(func() error {
			var err error
			if more, err = j.p.elem(j.n); err != nil || !more {
				return err
			}
			if err := j.p.ws(); err != nil {
				return err
			}
			at = j.p.i
			return j.p.message(&j.msg)
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
		m.off = j.r.off + int64(at)
		if err := j.check(m); err != nil {
			off, line := j.r.pos(at)
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

// message parses one message object.
func (p *parser) message(m *message) error {
	m.reset()
	ok, err := p.objectStart()
	if err != nil {
		return err
	}
	if !ok {
		return p.fail("a message is null")
	}
	for n := 0; ; n++ {
		key, end, err := p.key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "id":
			m.id, err = p.scalar()
		case "type":
			m.typ, err = p.text()
		case "timestamp":
			m.timestamp, err = p.text()
		case "content":
			m.content, err = p.text()
		case "author":
			err = p.user(&m.author)
		case "reactions":
			err = p.reactions(m)
		case "mentions":
			err = p.users(&m.mentions)
		case "reference":
			err = p.reference(m)
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
	}
}

// user parses a user object; null leaves it empty.
func (p *parser) user(u *user) error {
	u.reset()
	ok, err := p.objectStart()
	if err != nil || !ok {
		return err
	}
	for n := 0; ; n++ {
		key, end, err := p.key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "id":
			u.id, err = p.scalar()
		case "name":
			u.name, err = p.text()
		case "nickname":
			u.nickname, err = p.text()
		case "isBot":
			u.isBot, err = p.boolean()
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
	}
}

// users parses an array of users, reusing the slice.
func (p *parser) users(list *[]user) error {
	*list = (*list)[:0]
	ok, err := p.arrayStart()
	if err != nil || !ok {
		return err
	}
	for n := 0; ; n++ {
		more, err := p.elem(n)
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
		if len(*list) < cap(*list) {
			*list = (*list)[:len(*list)+1]
		} else {
			*list = append(*list, user{})
		}
		if err := p.user(&(*list)[len(*list)-1]); err != nil {
			return err
		}
	}
}

func (p *parser) reactions(m *message) error {
	ok, err := p.arrayStart()
	if err != nil || !ok {
		return err
	}
	for n := 0; ; n++ {
		more, err := p.elem(n)
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
		if len(m.reactions) < cap(m.reactions) {
			m.reactions = m.reactions[:len(m.reactions)+1]
		} else {
			m.reactions = append(m.reactions, reaction{})
		}
		r := &m.reactions[len(m.reactions)-1]
		users := r.users[:0]
		*r = reaction{users: users}
		if err := p.reaction(r); err != nil {
			return err
		}
	}
}

func (p *parser) reaction(r *reaction) error {
	ok, err := p.objectStart()
	if err != nil || !ok {
		return err
	}
	for n := 0; ; n++ {
		key, end, err := p.key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "emoji":
			err = p.emoji(r)
		case "count":
			r.count, err = p.integer()
		case "users":
			r.hasUsers = true
			err = p.users(&r.users)
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *parser) emoji(r *reaction) error {
	ok, err := p.objectStart()
	if err != nil || !ok {
		return err
	}
	for n := 0; ; n++ {
		key, end, err := p.key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "id":
			r.emojiID, err = p.scalar()
		case "name":
			r.emojiName, err = p.text()
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *parser) reference(m *message) error {
	ok, err := p.objectStart()
	if err != nil || !ok {
		return err
	}
	m.hasRef = true
	for n := 0; ; n++ {
		key, end, err := p.key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "messageId":
			m.refID, err = p.scalar()
		case "guildId":
			m.refGuild, err = p.scalar()
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
	}
}
