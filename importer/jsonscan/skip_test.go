package jsonscan

import (
	"errors"
	"strings"
	"testing"
)

// skipThen skips the first element of an array and reads the second, a
// string.
func skipThen(p *Parser) (any, error) {
	if _, err := p.ArrayStart(); err != nil {
		return nil, err
	}
	if _, err := p.Elem(0); err != nil {
		return nil, err
	}
	if err := p.Skip(); err != nil {
		return nil, err
	}
	if _, err := p.Elem(1); err != nil {
		return nil, err
	}
	b, err := p.Text()
	return string(b), err
}

func TestSkip(t *testing.T) {
	for _, v := range []string{
		`1`, `-2.5e3`, `"str"`, `"with \"escaped\" quotes \\"`, `true`, `false`, `null`,
		`{}`, `[]`, `{"a":1}`, `[1,2,3]`,
		`{"a":[1,{"b":"]}"}],"c":{}}`,                // brackets inside strings
		`["\"]", "\\", "x\\\"]"]`,                    // escaped quotes and backslashes
		`[[[[[[[[[[]]]]]]]]]]`,                       // deep
		"{\n\t\"a\" : [ 1 , 2 ] ,\n \"b\" : { } \n}", // white space
		`{"é":"中文 😀"}`,
		strings.Repeat("[", 64) + strings.Repeat("]", 64), // as deep as allowed
	} {
		got, err := stepAll(t, "["+v+",\"after\"]", skipThen)
		if err != nil || got != "after" {
			t.Errorf("skip %s: %q, %v", v, got, err)
		}
	}
}

func TestSkipErrors(t *testing.T) {
	tests := []struct {
		v, msg string
		at     int // offset of the fault in v
	}{
		{`[}`, `unexpected '}'`, 1},
		{`{]`, `unexpected ']'`, 1},
		{`{"a":[1}]`, `unexpected '}'`, 7},
		{strings.Repeat("[", 65) + strings.Repeat("]", 65), "values nested more than 64 deep", 64},
		{`tru,`, `expected true, found 't'`, 0},
		{`x`, `expected a number, found 'x'`, 0},
	}
	for _, tt := range tests {
		_, err := stepAll(t, "["+tt.v+",\"after\"]", skipThen)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Msg != tt.msg || se.Offset != int64(1+tt.at) {
			t.Errorf("skip %s: %v, want %q at byte %d", tt.v, err, tt.msg, 1+tt.at)
		}
	}
	// Skipping stops at the value's end: what follows it is not checked.
	got, err := stepAll(t, `[{"a":1}} ,"after"]`, func(p *Parser) (any, error) {
		if _, err := p.ArrayStart(); err != nil {
			return nil, err
		}
		if _, err := p.Elem(0); err != nil {
			return nil, err
		}
		if err := p.Skip(); err != nil {
			return nil, err
		}
		return p.Index(), nil
	})
	if err != nil || got != 8 {
		t.Errorf("after the skip: %v, %v; want index 8", got, err)
	}
	// A value cut by the end of the input is truncated, whatever the
	// buffer's size.
	for _, in := range []string{`[{"a":[1,2`, `[{"a":"]}`, `["abc`, `[12`, `[nul`} {
		_, err := stepAll(t, in, skipThen)
		var te *TruncatedError
		if !errors.As(err, &te) || te.Offset != int64(len(in)) {
			t.Errorf("skip %s: %v, want a *TruncatedError at its end", in, err)
		}
	}
}
