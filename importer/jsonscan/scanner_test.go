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

func TestValues(t *testing.T) {
	tests := []struct {
		name, in string
		want     any
	}{
		{"empty object", `{}`, obj{}},
		{"object", `{"a":1,"b":"x","c":true,"d":false,"e":null}`, obj{"a": number("1"), "b": "x", "c": true, "d": false, "e": nil}},
		{"nested objects", `{"a":{"b":{"c":{}}}}`, obj{"a": obj{"b": obj{"c": obj{}}}}},
		{"repeated key keeps the last", `{"a":1,"a":2}`, obj{"a": number("2")}},
		{"escaped key", `{"a\u0062\n":1}`, obj{"ab\n": number("1")}},
		{"empty array", `[]`, arr{}},
		{"array", `[1,"two",true,false,null,{},[]]`, arr{number("1"), "two", true, false, nil, obj{}, arr{}}},
		{"nested arrays", `[[[]],[[1]]]`, arr{arr{arr{}}, arr{arr{number("1")}}}},
		{"array of objects", `[{"id":"1"},{"id":2}]`, arr{obj{"id": "1"}, obj{"id": number("2")}}},
		{"null", `null`, nil},
		{"string", `"hi"`, "hi"},
		{"true", `true`, true},
		{"number followed by white space", "12 ", number("12")},
		{"white space everywhere", " \t\r\n{ \n\t\"a\"\r\n :\n[ 1 ,\t2 ] ,\"b\" : { } }\r\n ", obj{"a": arr{number("1"), number("2")}, "b": obj{}}},
		{"no white space", `{"a":[1,{"b":null}],"c":"d"}`, obj{"a": arr{number("1"), obj{"b": nil}}, "c": "d"}},
		{"unicode text", `{"名前":"中文 😀"}`, obj{"名前": "中文 😀"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanAll(t, tt.in)
			if err != nil {
				t.Fatalf("%q: %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

// at returns the offset of the first mark in in, and its line.
func at(in, mark string) (int64, int64) {
	i := strings.Index(in, mark)
	return int64(i), int64(strings.Count(in[:i], "\n")) + 1
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, in string
		mark     string // the fault is at its first occurrence
		msg      string
	}{
		{"missing colon", "{\"a\":1,\n\"b\" 2}", "2}", `expected ':', found '2'`},
		{"missing comma in object", `{"a":1 "b":2}`, `"b"`, `expected ',' or '}' in an object, found '"'`},
		{"missing comma in array", "[1,\n2\n3]", "3]", `expected ',' or ']' in an array, found '3'`},
		{"key not a string", `{a:1}`, "a:", `expected a string, found 'a'`},
		{"trailing comma in object", `{"a":1,}`, "}", `expected a string, found '}'`},
		{"bad literal", `[tru]`, "tru", `expected true, found 't'`},
		{"bad null", `{"a":nul}`, "nul}", `expected null, found 'n'`},
		{"not a value", `{"a":x}`, "x", `expected a string or number, found 'x'`},
		{"not a value after a comma", "[1,]", "]", `expected a string or number, found ']'`},
		{"data after the value", `{} {}`, "{}\x00", ""},
		{"bad escape", `["ok", "a\qb"]`, `"a\`, `bad escape \q in a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanAll(t, tt.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: %v, want a *SyntaxError", tt.in, err)
			}
			if tt.msg == "" { // data after the value
				if se.Offset != 3 || !strings.Contains(se.Msg, "data after the value") {
					t.Errorf("%q: %+v", tt.in, se)
				}
				return
			}
			wantOff, wantLine := at(tt.in, tt.mark)
			if tt.name == "bad escape" {
				// Escapes are decoded once the string is read: the error is
				// at the string's end.
				wantOff = int64(len(tt.in) - 1)
			}
			if se.Msg != tt.msg || se.Offset != wantOff || se.Line != wantLine {
				t.Errorf("%q: %q at byte %d line %d, want %q at byte %d line %d", tt.in, se.Msg, se.Offset, se.Line, tt.msg, wantOff, wantLine)
			}
			if want := fmt.Sprintf("line %d, byte %d: %s", wantLine, wantOff, tt.msg); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

// TestShowNonASCII: a fault names the character found, not its first
// byte. When that character is cut by the end of the buffered data, Show
// sees only its first bytes and names U+FFFD instead (the offset and line
// are right either way).
func TestShowNonASCII(t *testing.T) {
	in := `{"a" é}`
	for _, rd := range readers {
		_, err := scanWith(rd.wrap(strings.NewReader(in)), rd.size)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != 5 || se.Line != 1 {
			t.Fatalf("%s: %v, want a syntax error at byte 5 line 1", rd.name, err)
		}
		if rd.name == "whole" && se.Msg != `expected ':', found 'é'` {
			t.Errorf("%s: %q", rd.name, se.Msg)
		}
		if !strings.HasPrefix(se.Msg, `expected ':', found '`) {
			t.Errorf("%s: %q", rd.name, se.Msg)
		}
	}
}

func TestTruncated(t *testing.T) {
	for _, in := range []string{
		``, `   `, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `[`, `[1,2`, `[1,2,`, `"abc`, `"abc\"`, `tr`, `nul`, `12`, "{\"a\":\n[{\"b\":\"c\\u12",
	} {
		_, err := scanAll(t, in)
		var te *TruncatedError
		if !errors.As(err, &te) {
			t.Errorf("%q: %v, want a *TruncatedError", in, err)
			continue
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%q: %v is not io.ErrUnexpectedEOF", in, err)
		}
		if te.Offset != int64(len(in)) || te.Line != int64(strings.Count(in, "\n"))+1 || te.StartOffset != 0 || te.StartLine != 1 {
			t.Errorf("%q: %+v", in, te)
		}
	}
}

// TestStreaming reads a long array one element per step with a buffer
// far smaller than the input: memory is bounded by the largest step.
func TestStreaming(t *testing.T) {
	var in strings.Builder
	in.WriteString("{\"header\":\"h\",\n\"items\":[\n")
	const n = 1000
	for i := range n {
		if i > 0 {
			in.WriteString(",\n")
		}
		fmt.Fprintf(&in, `{"id":%d,"s":"a\"b"}`, i)
	}
	in.WriteString("\n]}\n")
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			s := NewScanner(rd.wrap(strings.NewReader(in.String())), rd.size, 64)
			var header []byte
			err := s.Step(func(p *Parser) error {
				if _, err := p.ObjectStart(); err != nil {
					return err
				}
				if _, _, err := p.Key(0); err != nil {
					return err
				}
				var err error
				header, err = p.Text()
				return err
			})
			if err != nil || string(header) != "h" {
				t.Fatalf("header %q, %v", header, err)
			}
			header = bytes.Clone(header)
			if err := s.Step(func(p *Parser) error {
				if _, _, err := p.Key(1); err != nil {
					return err
				}
				_, err := p.ArrayStart()
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for i := 0; ; i++ {
				more := false
				var id int64
				var str []byte
				err := s.Step(func(p *Parser) error {
					var err error
					if more, err = p.Elem(i); err != nil || !more {
						return err
					}
					if _, err := p.ObjectStart(); err != nil {
						return err
					}
					for k := 0; ; k++ {
						key, end, err := p.Key(k)
						if err != nil || end {
							return err
						}
						switch string(key) {
						case "id":
							id, err = p.Integer()
						case "s":
							str, err = p.Text()
						}
						if err != nil {
							return err
						}
					}
				})
				if err != nil {
					t.Fatalf("element %d: %v", i, err)
				}
				if !more {
					if i != n {
						t.Fatalf("%d elements, want %d", i, n)
					}
					break
				}
				if id != int64(i) || string(str) != `a"b` {
					t.Fatalf("element %d: id %d, s %q", i, id, str)
				}
			}
			if err := s.Step(func(p *Parser) error { _, _, err := p.Key(2); return err }); err != nil {
				t.Fatal(err)
			}
			if got, want := s.Consumed(), int64(in.Len()-1); got != want {
				t.Errorf("Consumed() = %d, want %d", got, want)
			}
			if err := atEnd(s); err != nil {
				t.Error(err)
			}
			if len(s.buf) > max(64, rd.size) {
				t.Errorf("the buffer grew to %d bytes", len(s.buf))
			}
		})
	}
}

// TestPositionAcrossRefills: offsets and lines stay those of the input
// after the buffer has been refilled many times.
func TestPositionAcrossRefills(t *testing.T) {
	in := "[\n" + strings.Repeat("1,\n", 200) + "2\n3]"
	wantOff, wantLine := at(in, "3]")
	for _, rd := range readers {
		s := NewScanner(rd.wrap(strings.NewReader(in)), rd.size, 16)
		if err := s.Step(func(p *Parser) error { _, err := p.ArrayStart(); return err }); err != nil {
			t.Fatal(err)
		}
		var err error
		for i := 0; err == nil; i++ {
			var idx int
			err = s.Step(func(p *Parser) error {
				if _, err := p.Elem(i); err != nil {
					return err
				}
				if err := p.WS(); err != nil {
					return err
				}
				idx = p.Index()
				_, err := p.Integer()
				return err
			})
			if err == nil && i == 1 {
				if off, line := s.Locate(idx); off != 5 || line != 3 || s.Offset(idx) != 5 {
					t.Errorf("%s: element 1 at byte %d line %d (Offset %d), want byte 5 line 3", rd.name, off, line, s.Offset(idx))
				}
			}
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != wantOff || se.Line != wantLine {
			t.Errorf("%s: %v, want a syntax error at byte %d line %d", rd.name, err, wantOff, wantLine)
		}
	}
}

// TestStepRestarts: a step runs again from its start after more input is
// read, and sees the same data.
func TestStepRestarts(t *testing.T) {
	s := NewScanner(iotest.OneByteReader(strings.NewReader(`{"a":"b\nc","d":"e\tf"}`)), 1, 1<<10)
	runs := 0
	var a, d []byte
	err := s.Step(func(p *Parser) error {
		runs++
		if _, err := p.ObjectStart(); err != nil {
			return err
		}
		var err error
		if _, _, err = p.Key(0); err != nil {
			return err
		}
		if a, err = p.Text(); err != nil {
			return err
		}
		if _, _, err = p.Key(1); err != nil {
			return err
		}
		if d, err = p.Text(); err != nil {
			return err
		}
		_, _, err = p.Key(2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Both decoded strings live in the step's arena: the second must not
	// overwrite the first.
	if string(a) != "b\nc" || string(d) != "e\tf" {
		t.Errorf("a %q, d %q", a, d)
	}
	if runs < 10 {
		t.Errorf("the step ran %d times reading one byte at a time", runs)
	}
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("{\n\"a\":"), iotest.ErrReader(boom))
	_, err := scanWith(r, 64)
	var re *ReadError
	if !errors.As(err, &re) || !errors.Is(err, boom) || re.Offset != 6 || re.Line != 2 {
		t.Errorf("%v, want a *ReadError at byte 6 line 2 wrapping boom", err)
	}

	big := `["` + strings.Repeat("x", 3<<20) + `"]`
	_, err = scanWith(strings.NewReader(big), 1<<10)
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "a single value is larger than 1 MB") {
		t.Errorf("%v, want a *ReadError: a single value is larger than 1 MB", err)
	}

	_, err = scanWith(stuck{}, 64)
	if !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("%v, want io.ErrNoProgress", err)
	}
}

// stuck is a reader that never returns data.
type stuck struct{}

func (stuck) Read([]byte) (int, error) { return 0, nil }

func TestSkipBOM(t *testing.T) {
	for _, in := range []string{"\xEF\xBB\xBF{\"a\":1}", "{\"a\":1}"} {
		s := NewScanner(strings.NewReader(in), 64, 64)
		var v any
		err := s.Step(func(p *Parser) error {
			p.SkipBOM()
			var err error
			v, err = value(p)
			return err
		})
		if err != nil || !reflect.DeepEqual(v, obj{"a": number("1")}) {
			t.Errorf("%q: %#v, %v", in, v, err)
		}
	}
}

func TestNullContainers(t *testing.T) {
	s := NewScanner(strings.NewReader(`[null, null]`), 64, 64)
	err := s.Step(func(p *Parser) error {
		if _, err := p.ArrayStart(); err != nil {
			return err
		}
		if _, err := p.Elem(0); err != nil {
			return err
		}
		if ok, err := p.ObjectStart(); ok || err != nil {
			return fmt.Errorf("ObjectStart on null: %v, %v", ok, err)
		}
		if _, err := p.Elem(1); err != nil {
			return err
		}
		if ok, err := p.ArrayStart(); ok || err != nil {
			return fmt.Errorf("ArrayStart on null: %v, %v", ok, err)
		}
		if more, err := p.Elem(2); more || err != nil {
			return fmt.Errorf("Elem at the end: %v, %v", more, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ in, msg string }{
		{`[`, "expected an object, found '['"},
		{`"x"`, "expected an object, found '\"'"},
	} {
		s := NewScanner(strings.NewReader(tt.in), 64, 64)
		err := s.Step(func(p *Parser) error { _, err := p.ObjectStart(); return err })
		var se *SyntaxError
		if !errors.As(err, &se) || se.Msg != tt.msg {
			t.Errorf("ObjectStart on %q: %v, want %q", tt.in, err, tt.msg)
		}
	}
	s = NewScanner(strings.NewReader(`{`), 64, 64)
	err = s.Step(func(p *Parser) error { _, err := p.ArrayStart(); return err })
	if se := (*SyntaxError)(nil); !errors.As(err, &se) || se.Msg != "expected an array, found '{'" {
		t.Errorf("ArrayStart on {: %v", err)
	}
}

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
