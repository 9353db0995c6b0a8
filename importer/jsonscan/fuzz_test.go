package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzScan reads arbitrary input as one value, whole and in small
// buffers. It must not panic; every way of reading must find the same
// value, or an error of the same kind at the same place; valid JSON must
// read as encoding/json reads it, and Skip must pass over it.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `"x"`, `12 `, `{"a":[1,{"b":"]}"}],"c":{}}`,
		`{"id":"1","content":"hi \u00e9 \ud83d\ude00","reactions":[{"emoji":{"name":"👍"},"count":2}]}`,
		`["\"]", "\\", "x\\\"]"]`, `{"a":1 "b":2}`, `[tru]`, `"\ud83d\u0041"`, `"\u12G4"`, `[{"a":`,
		"\xEF\xBB\xBF{}", "[\n1,\n2\n3]", strings.Repeat("[", 70) + strings.Repeat("]", 70),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		v0, err0 := scanWith(bytes.NewReader(in), 4096)
		for _, size := range []int{1, 7} {
			v, err := scanWith(iotest.OneByteReader(bytes.NewReader(in)), size)
			if !sameResult(v, err, v0, err0) {
				t.Fatalf("%q with a %d-byte buffer: %#v, %v; whole: %#v, %v", in, size, v, err, v0, err0)
			}
		}
		if !json.Valid(in) || !utf8.Valid(in) {
			return
		}
		// A lone number at the end of the input may go on: end it.
		in = append(in, '\n')
		v, err := scanWith(bytes.NewReader(in), 4096)
		if err != nil {
			t.Fatalf("valid %q: %v", in, err)
		}
		d := json.NewDecoder(bytes.NewReader(in))
		d.UseNumber()
		var want any
		if err := d.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if want = numbers(want); !reflect.DeepEqual(v, want) {
			t.Fatalf("valid %q: %#v, encoding/json: %#v", in, v, want)
		}
		s := NewScanner(bytes.NewReader(in), 7, 1<<20)
		err = s.Step(func(p *Parser) error { return p.Skip() })
		var se *SyntaxError
		if errors.As(err, &se) && strings.Contains(se.Msg, "nested more than") {
			return
		}
		if err == nil {
			err = atEnd(s)
		}
		if err != nil {
			t.Fatalf("skip valid %q: %v", in, err)
		}
	})
}

// sameResult compares two reads of the same input. Error messages may
// differ only where a fault's character is cut by the buffer's end.
func sameResult(v any, err error, v0 any, err0 error) bool {
	if !reflect.DeepEqual(v, v0) || (err == nil) != (err0 == nil) {
		return false
	}
	var se, se0 *SyntaxError
	if errors.As(err, &se) != errors.As(err0, &se0) {
		return false
	}
	if se != nil {
		return se.Offset == se0.Offset && se.Line == se0.Line
	}
	return errMsg(err) == errMsg(err0)
}

// numbers turns encoding/json's json.Number into number.
func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		return number(v)
	case map[string]any:
		for k, e := range v {
			v[k] = numbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = numbers(e)
		}
	}
	return v
}
