package jsonscan

// structural marks the bytes Skip must look at outside strings.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// Skip passes over one value of any kind. Objects and arrays are passed
// over by their brackets alone (what is between them is not checked),
// nested at most 64 deep.
func (p *Parser) Skip() error {
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
				return p.Fail("values nested more than %d deep", len(stack))
			}
			stack[depth] = c
			depth++
		case '}', ']':
			if depth == 0 || (c == '}') != (stack[depth-1] == '{') {
				p.i = i
				return p.Fail("unexpected %q", c)
			}
			depth--
			if depth == 0 {
				p.i = i + 1
				return nil
			}
		}
	}
	return ErrMore
}
