package jsonscan

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// str reads a string and returns its raw contents (escapes not decoded).
func (p *Parser) str() ([]byte, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	if c != '"' {
		return nil, p.Fail("expected a string, found %s", p.Show())
	}
	j := p.i + 1
	for {
		k := bytes.IndexByte(p.d[j:], '"')
		if k < 0 {
			return nil, ErrMore
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

// Text reads a string or null (nil) and decodes its escapes. A lone or
// broken surrogate becomes U+FFFD; other bytes are passed as they are.
func (p *Parser) Text() ([]byte, error) {
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

// Scalar reads a string (decoded), a number (as written) or null (nil) as
// bytes: ids may be either a string or a number.
func (p *Parser) Scalar() ([]byte, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	switch {
	case c == '"':
		return p.Text()
	case c == 'n':
		return nil, p.lit("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.Fail("expected a string or number, found %s", p.Show())
}

// unescape decodes a string's escapes into the arena.
func (p *Parser) unescape(raw []byte) ([]byte, error) {
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
			return nil, p.Fail("bad escape at the end of a string")
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
				return nil, p.Fail(`bad \u escape in a string`)
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
			return nil, p.Fail("bad escape \\%c in a string", raw[i])
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
