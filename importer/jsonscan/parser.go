package jsonscan

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Parser reads values from the data of one step. Its methods skip white
// space before a value and return ErrMore when the data ends first.
type Parser struct {
	d     []byte
	i     int
	arena []byte // decoded strings with escapes; reset per step
}

// Index is the buffer index of the next byte, for Scanner.Offset and
// Scanner.Locate; it is valid until the next Step.
func (p *Parser) Index() int { return p.i }

// Fail returns a *SyntaxError at the current position.
func (p *Parser) Fail(format string, args ...any) error {
	return &SyntaxError{at: p.i, Msg: fmt.Sprintf(format, args...)}
}

// WS skips white space; ErrMore if the data ends.
func (p *Parser) WS() error {
	for p.i < len(p.d) {
		switch p.d[p.i] {
		case ' ', '\n', '\r', '\t':
			p.i++
		default:
			return nil
		}
	}
	return ErrMore
}

// SkipBOM skips a UTF-8 byte order mark at the current position.
func (p *Parser) SkipBOM() {
	if len(p.d)-p.i >= 3 && p.d[p.i] == 0xEF && p.d[p.i+1] == 0xBB && p.d[p.i+2] == 0xBF {
		p.i += 3
	}
}

// peek returns the next byte after white space.
func (p *Parser) peek() (byte, error) {
	if err := p.WS(); err != nil {
		return 0, err
	}
	return p.d[p.i], nil
}

func (p *Parser) expect(c byte) error {
	b, err := p.peek()
	if err != nil {
		return err
	}
	if b != c {
		return p.Fail("expected %q, found %s", c, p.Show())
	}
	p.i++
	return nil
}

// Show describes the next byte (the character it starts) for an error
// message.
func (p *Parser) Show() string {
	if p.i >= len(p.d) {
		return "end of data"
	}
	r, _ := utf8.DecodeRune(p.d[p.i:])
	return fmt.Sprintf("%q", r)
}

// Boolean reads true, false or null (false).
func (p *Parser) Boolean() (bool, error) {
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
	return false, p.Fail("expected true or false, found %s", p.Show())
}

func (p *Parser) lit(word string) error {
	if len(p.d)-p.i < len(word) {
		if bytes.HasPrefix([]byte(word), p.d[p.i:]) {
			return ErrMore
		}
		return p.Fail("expected %s, found %s", word, p.Show())
	}
	if string(p.d[p.i:p.i+len(word)]) != word {
		return p.Fail("expected %s, found %s", word, p.Show())
	}
	p.i += len(word)
	return nil
}

// ObjectStart consumes '{'; a null object reports ok false.
func (p *Parser) ObjectStart() (ok bool, err error) {
	c, err := p.peek()
	if err != nil {
		return false, err
	}
	if c == 'n' {
		return false, p.lit("null")
	}
	if c != '{' {
		return false, p.Fail("expected an object, found %s", p.Show())
	}
	p.i++
	return true, nil
}

// Key reads the next key of an object, or reports the object's end. n is
// the number of keys read so far. The key is raw: its escapes are not
// decoded.
func (p *Parser) Key(n int) (key []byte, end bool, err error) {
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
			return nil, false, p.Fail("expected ',' or '}' in an object, found %s", p.Show())
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

// ArrayStart consumes '['; a null array reports ok false.
func (p *Parser) ArrayStart() (ok bool, err error) {
	c, err := p.peek()
	if err != nil {
		return false, err
	}
	if c == 'n' {
		return false, p.lit("null")
	}
	if c != '[' {
		return false, p.Fail("expected an array, found %s", p.Show())
	}
	p.i++
	return true, nil
}

// Elem reports whether another element follows in an array (consuming the
// comma), or the array's end. n is the number of elements read so far.
func (p *Parser) Elem(n int) (more bool, err error) {
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
			return false, p.Fail("expected ',' or ']' in an array, found %s", p.Show())
		}
		p.i++
	}
	return true, nil
}
