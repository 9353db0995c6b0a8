package jsonscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// number is a number as written, in values returned by scan.
type number string

// value reads one value of any kind: map[string]any, []any, string,
// number, bool or nil.
func value(p *Parser) (any, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	switch c {
	case '{':
		if _, err := p.ObjectStart(); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for n := 0; ; n++ {
			k, end, err := p.Key(n)
			if err != nil {
				return nil, err
			}
			if end {
				return m, nil
			}
			key := string(k)
			if bytes.IndexByte(k, '\\') >= 0 {
				d, err := p.unescape(k)
				if err != nil {
					return nil, err
				}
				key = string(d)
			}
			v, err := value(p)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
	case '[':
		if _, err := p.ArrayStart(); err != nil {
			return nil, err
		}
		a := []any{}
		for n := 0; ; n++ {
			more, err := p.Elem(n)
			if err != nil {
				return nil, err
			}
			if !more {
				return a, nil
			}
			v, err := value(p)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case '"':
		b, err := p.Text()
		return string(b), err
	case 't', 'f':
		return p.Boolean()
	case 'n':
		_, err := p.Text()
		return nil, err
	}
	b, err := p.Scalar()
	return number(b), err
}

// atEnd is a step that succeeds only at the end of the input.
func atEnd(s *Scanner) error {
	err := s.Step(func(p *Parser) error {
		if err := p.WS(); err != nil {
			return err // ErrMore: read on
		}
		return p.Fail("data after the value: %s", p.Show())
	})
	var te *TruncatedError
	if errors.As(err, &te) {
		return nil
	}
	return err
}

// scanWith reads one value from r, in a single step, and checks that
// nothing but white space follows it.
func scanWith(r io.Reader, size int) (any, error) {
	s := NewScanner(r, size, 1<<20)
	var v any
	err := s.Step(func(p *Parser) error {
		var err error
		v, err = value(p)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := atEnd(s); err != nil {
		return nil, err
	}
	return v, nil
}

// readers are the ways the tests feed input: whole, in small buffers,
// and one byte per Read, so values straddle every buffer boundary.
var readers = []struct {
	name string
	size int
	wrap func(io.Reader) io.Reader
}{
	{"whole", 4096, func(r io.Reader) io.Reader { return r }},
	{"buffer=1", 1, func(r io.Reader) io.Reader { return r }},
	{"buffer=3", 3, func(r io.Reader) io.Reader { return r }},
	{"one-byte-reads", 2, iotest.OneByteReader},
	{"data-with-eof", 5, iotest.DataErrReader},
}

// scanAll scans in with every reader and fails the test unless they
// agree (value and error text alike); it returns the whole reader's.
func scanAll(t *testing.T, in string) (any, error) {
	t.Helper()
	var v0 any
	var err0 error
	for k, rd := range readers {
		v, err := scanWith(rd.wrap(strings.NewReader(in)), rd.size)
		if k == 0 {
			v0, err0 = v, err
			continue
		}
		if !reflect.DeepEqual(v, v0) || fmt.Sprint(err) != fmt.Sprint(err0) {
			t.Errorf("%q with %s: %#v, %v; whole: %#v, %v", in, rd.name, v, err, v0, err0)
		}
	}
	return v0, err0
}

type obj = map[string]any
type arr = []any

// stepAll runs read as one step over in with every reader, and fails the
// test unless they agree; it returns the whole reader's result.
func stepAll(t *testing.T, in string, read func(p *Parser) (any, error)) (any, error) {
	t.Helper()
	var v0 any
	var err0 error
	for k, rd := range readers {
		s := NewScanner(rd.wrap(strings.NewReader(in)), rd.size, 1<<10)
		var v any
		err := s.Step(func(p *Parser) error {
			var err error
			v, err = read(p)
			return err
		})
		if k == 0 {
			v0, err0 = v, err
			continue
		}
		if !reflect.DeepEqual(v, v0) || fmt.Sprint(err) != fmt.Sprint(err0) {
			t.Errorf("%q with %s: %#v, %v; whole: %#v, %v", in, rd.name, v, err, v0, err0)
		}
	}
	return v0, err0
}

// errMsg is err's message without its position.
func errMsg(err error) string {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
