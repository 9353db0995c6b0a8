package jsonscan

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

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
