package discordexport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a small streaming JSON scanner, written for one job: walk a
// DiscordChatExporter export of several gigabytes with bounded memory and
// few allocations. The file is read into a buffer; each step (the root's
// header values, then one message at a time) parses a complete value from
// the buffer, and when the value runs past the buffered data the step is
// started again after more is read. Parsed strings are slices of the
// buffer, valid until the next step.

// errMore says a step ran out of buffered input.
var errMore = errors.New("need more input")

// syntaxError is malformed JSON at a position of the buffer.
type syntaxError struct {
	at  int // index in the buffer
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// reader buffers a file for the scanner and keeps its position.
type reader struct {
	r     io.Reader
	buf   []byte
	start int   // first byte of the current step
	end   int   // end of the data read so far
	off   int64 // file offset of buf[0]
	lines int64 // newlines in the file before buf[0]
	eof   bool
	max   int // largest buffer allowed
}

func newReader(r io.Reader, size, max int) *reader {
	return &reader{r: r, buf: make([]byte, size), max: max}
}

// fill drops the bytes before start and reads more. It returns io.EOF
// when the file has no more bytes.
func (r *reader) fill() error {
	if r.eof {
		return io.EOF
	}
	if r.start > 0 {
		r.lines += int64(bytes.Count(r.buf[:r.start], []byte{'\n'}))
		r.off += int64(r.start)
		r.end = copy(r.buf, r.buf[r.start:r.end])
		r.start = 0
	}
	if r.end == len(r.buf) {
		if len(r.buf) >= r.max {
			return fmt.Errorf("a single value is larger than %d MB", r.max>>20)
		}
		nb := make([]byte, min(2*len(r.buf), r.max))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := r.r.Read(r.buf[r.end:])
		r.end += n
		if err == io.EOF {
			r.eof = true
			if n == 0 {
				return io.EOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if tries > 100 {
			return io.ErrNoProgress
		}
	}
}

// pos returns the file offset and 1-based line of buffer index i.
func (r *reader) pos(i int) (off int64, line int64) {
	i = min(max(i, 0), r.end)
	return r.off + int64(i), r.lines + int64(bytes.Count(r.buf[:i], []byte{'\n'})) + 1
}

// parser reads values from d starting at i.
type parser struct {
	d     []byte
	i     int
	arena []byte // decoded strings with escapes; reset per step
}

func (p *parser) fail(format string, args ...any) error {
	return &syntaxError{at: p.i, msg: fmt.Sprintf(format, args...)}
}

// ws skips white space; errMore if the data ends.
func (p *parser) ws() error {
	for p.i < len(p.d) {
		switch p.d[p.i] {
		case ' ', '\n', '\r', '\t':
			p.i++
		default:
			return nil
		}
	}
	return errMore
}

// peek returns the next byte after white space.
func (p *parser) peek() (byte, error) {
	if err := p.ws(); err != nil {
		return 0, err
	}
	return p.d[p.i], nil
}

func (p *parser) expect(c byte) error {
	b, err := p.peek()
	if err != nil {
		return err
	}
	if b != c {
		return p.fail("expected %q, found %s", c, p.show())
	}
	p.i++
	return nil
}

// show describes the byte at i for an error message.
func (p *parser) show() string {
	if p.i >= len(p.d) {
		return "end of data"
	}
	r, _ := utf8.DecodeRune(p.d[p.i:])
	return fmt.Sprintf("%q", r)
}

// str reads a string and returns its raw contents (escapes not decoded).
func (p *parser) str() ([]byte, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	if c != '"' {
		return nil, p.fail("expected a string, found %s", p.show())
	}
	j := p.i + 1
	for {
		k := bytes.IndexByte(p.d[j:], '"')
		if k < 0 {
			return nil, errMore
		}
		q := j + k
		bs := 0
		for q-1-bs > p.i && p.d[q-1-bs] == '\\' {
			bs++
		}
		if bs%2 == 0 {
			raw := p.d[p.i+1 : q]
			p.i = q + 1
			return raw, nil
		}
		j = q + 1
	}
}

// text reads a string or null and decodes its escapes.
func (p *parser) text() ([]byte, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	if c == 'n' {
		return nil, p.lit("null")
	}
	raw, err := p.str()
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw, nil
	}
	return p.unescape(raw)
}

// scalar reads a string, number or null as bytes (ids may be either).
func (p *parser) scalar() ([]byte, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	switch {
	case c == '"':
		return p.text()
	case c == 'n':
		return nil, p.lit("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.fail("expected a string or number, found %s", p.show())
}

func (p *parser) number() ([]byte, error) {
	s := p.i
	for p.i < len(p.d) {
		switch c := p.d[p.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.i++
		default:
			if p.i == s {
				return nil, p.fail("expected a number, found %s", p.show())
			}
			return p.d[s:p.i], nil
		}
	}
	return nil, errMore
}

// integer reads a number (or null, 0) as an int64, ignoring a fraction.
func (p *parser) integer() (int64, error) {
	c, err := p.peek()
	if err != nil {
		return 0, err
	}
	if c == 'n' {
		return 0, p.lit("null")
	}
	at := p.i
	b, err := p.number()
	if err != nil {
		return 0, err
	}
	var n int64
	neg := false
	for k, c := range b {
		switch {
		case c == '-' && k == 0:
			neg = true
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
		case c == '.' || c == 'e' || c == 'E':
			if neg {
				n = -n
			}
			return n, nil
		default:
			p.i = at
			return 0, p.fail("bad number %q", b)
		}
	}
	if neg {
		n = -n
	}
	return n, nil
}

// boolean reads true, false or null (false).
func (p *parser) boolean() (bool, error) {
	c, err := p.peek()
	if err != nil {
		return false, err
	}
	switch c {
	case 't':
		return true, p.lit("true")
	case 'f':
		return false, p.lit("false")
	case 'n':
		return false, p.lit("null")
	}
	return false, p.fail("expected true or false, found %s", p.show())
}

func (p *parser) lit(word string) error {
	if len(p.d)-p.i < len(word) {
		if bytes.HasPrefix([]byte(word), p.d[p.i:]) {
			return errMore
		}
		return p.fail("expected %s, found %s", word, p.show())
	}
	if string(p.d[p.i:p.i+len(word)]) != word {
		return p.fail("expected %s, found %s", word, p.show())
	}
	p.i += len(word)
	return nil
}

// isNull consumes a null if one is next.
func (p *parser) isNull() (bool, error) {
	c, err := p.peek()
	if err != nil || c != 'n' {
		return false, err
	}
	return true, p.lit("null")
}

// structural marks the bytes skip must look at outside strings.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// skip passes over one value of any kind.
func (p *parser) skip() error {
	c, err := p.peek()
	if err != nil {
		return err
	}
	switch c {
	case '"':
		_, err := p.str()
		return err
	case '{', '[':
	case 't':
		return p.lit("true")
	case 'f':
		return p.lit("false")
	case 'n':
		return p.lit("null")
	default:
		_, err := p.number()
		return err
	}
	// A nested value: track depth, passing over strings whole.
	var stack [64]byte
	depth := 0
	d := p.d
	for i := p.i; i < len(d); i++ {
		c := d[i]
		if !structural[c] {
			continue
		}
		switch c {
		case '"':
			p.i = i
			if _, err := p.str(); err != nil {
				return err
			}
			i = p.i - 1
		case '{', '[':
			if depth == len(stack) {
				p.i = i
				return p.fail("values nested more than %d deep", len(stack))
			}
			stack[depth] = c
			depth++
		case '}', ']':
			if depth == 0 || (c == '}') != (stack[depth-1] == '{') {
				p.i = i
				return p.fail("unexpected %q", c)
			}
			depth--
			if depth == 0 {
				p.i = i + 1
				return nil
			}
		}
	}
	return errMore
}

// objectStart consumes '{'; a null object reports ok false.
func (p *parser) objectStart() (ok bool, err error) {
	c, err := p.peek()
	if err != nil {
		return false, err
	}
	if c == 'n' {
		return false, p.lit("null")
	}
	if c != '{' {
		return false, p.fail("expected an object, found %s", p.show())
	}
	p.i++
	return true, nil
}

// key reads the next key of an object, or reports the object's end. n is
// the number of keys read so far.
func (p *parser) key(n int) (key []byte, end bool, err error) {
	c, err := p.peek()
	if err != nil {
		return nil, false, err
	}
	if c == '}' {
		p.i++
		return nil, true, nil
	}
	if n > 0 {
		if c != ',' {
			return nil, false, p.fail("expected ',' or '}' in an object, found %s", p.show())
		}
		p.i++
	}
	if key, err = p.str(); err != nil {
		return nil, false, err
	}
	if err := p.expect(':'); err != nil {
		return nil, false, err
	}
	return key, false, nil
}

// arrayStart consumes '['; a null array reports ok false.
func (p *parser) arrayStart() (ok bool, err error) {
	c, err := p.peek()
	if err != nil {
		return false, err
	}
	if c == 'n' {
		return false, p.lit("null")
	}
	if c != '[' {
		return false, p.fail("expected an array, found %s", p.show())
	}
	p.i++
	return true, nil
}

// elem reports whether another element follows in an array (consuming the
// comma), or the array's end.
func (p *parser) elem(n int) (more bool, err error) {
	c, err := p.peek()
	if err != nil {
		return false, err
	}
	if c == ']' {
		p.i++
		return false, nil
	}
	if n > 0 {
		if c != ',' {
			return false, p.fail("expected ',' or ']' in an array, found %s", p.show())
		}
		p.i++
	}
	return true, nil
}

// unescape decodes a string's escapes into the arena.
func (p *parser) unescape(raw []byte) ([]byte, error) {
	start := len(p.arena)
	a := p.arena
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			a = append(a, c)
			continue
		}
		i++
		if i >= len(raw) {
			return nil, p.fail("bad escape at the end of a string")
		}
		switch raw[i] {
		case '"', '\\', '/':
			a = append(a, raw[i])
		case 'b':
			a = append(a, '\b')
		case 'f':
			a = append(a, '\f')
		case 'n':
			a = append(a, '\n')
		case 'r':
			a = append(a, '\r')
		case 't':
			a = append(a, '\t')
		case 'u':
			r, ok := hex4(raw[i+1:])
			if !ok {
				return nil, p.fail(`bad \u escape in a string`)
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					r2, ok = hex4(raw[i+3:])
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			a = utf8.AppendRune(a, r)
		default:
			return nil, p.fail("bad escape \\%c in a string", raw[i])
		}
	}
	p.arena = a
	return a[start:], nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
