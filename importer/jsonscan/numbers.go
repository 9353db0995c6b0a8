package jsonscan

// number reads the bytes of a number as written. It does not check their
// order: the caller converts them, or skips them.
func (p *Parser) number() ([]byte, error) {
	s := p.i
	for p.i < len(p.d) {
		switch c := p.d[p.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.i++
		default:
			if p.i == s {
				return nil, p.Fail("expected a number, found %s", p.Show())
			}
			return p.d[s:p.i], nil
		}
	}
	return nil, ErrMore
}

// Integer reads a number (or null, 0) as an int64, ignoring a fraction
// and an exponent.
func (p *Parser) Integer() (int64, error) {
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
			return 0, p.Fail("bad number %q", b)
		}
	}
	if neg {
		n = -n
	}
	return n, nil
}
