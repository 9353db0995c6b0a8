package jsonscan

import "testing"

func TestNumbers(t *testing.T) {
	// Numbers are returned as written.
	for _, in := range []string{"0", "-1", "3.25", "1e10", "-2.5E-3", "1E+2", "123456789012345678901234567890"} {
		got, err := scanAll(t, "["+in+"]")
		if err != nil || len(got.([]any)) != 1 || got.([]any)[0] != number(in) {
			t.Errorf("[%s] = %#v, %v", in, got, err)
		}
	}
}

func TestInteger(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		msg  string
	}{
		{"0,", 0, ""},
		{"42 ", 42, ""},
		{"-7]", -7, ""},
		{"3.9,", 3, ""},   // the fraction is dropped
		{"-3.9,", -3, ""}, // towards zero
		{"1e5,", 1, ""},   // and so is an exponent
		{"9223372036854775807 ", 9223372036854775807, ""},
		{"null", 0, ""},
		{"+1 ", 0, `bad number "+1"`},
		{"1-2 ", 0, `bad number "1-2"`},
		{"--1 ", 0, `bad number "--1"`},
		{`"1"`, 0, `expected a number, found '"'`},
		{"x", 0, `expected a number, found 'x'`},
		{"nul", 0, "need more input"}, // Step reads on, then: truncated
	}
	for _, tt := range tests {
		got, err := stepAll(t, tt.in, func(p *Parser) (any, error) { return p.Integer() })
		msg := errMsg(err)
		if tt.msg == "need more input" {
			if _, ok := err.(*TruncatedError); ok {
				msg = tt.msg
			}
		}
		if msg != tt.msg || got != tt.want {
			t.Errorf("Integer %q = %v, %v; want %d, %q", tt.in, got, err, tt.want, tt.msg)
		}
	}
	// A bad number is reported at its start.
	_, err := stepAll(t, " 1-2 ", func(p *Parser) (any, error) { return p.Integer() })
	if se, ok := err.(*SyntaxError); !ok || se.Offset != 1 {
		t.Errorf("bad number: %v, want it at byte 1", err)
	}
	// A number at the very end of the input may go on: it is truncated.
	_, err = stepAll(t, "12", func(p *Parser) (any, error) { return p.Integer() })
	if _, ok := err.(*TruncatedError); !ok {
		t.Errorf("12 at the end: %v, want a *TruncatedError", err)
	}
}

func TestBoolean(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		msg  string
	}{
		{"true", true, ""},
		{"false", false, ""},
		{"null", false, ""},
		{" \n true", true, ""},
		{"trux", false, "expected true, found 't'"},
		{"fals3", false, "expected false, found 'f'"},
		{"1", false, "expected true or false, found '1'"},
		{`"true"`, false, `expected true or false, found '"'`},
	}
	for _, tt := range tests {
		got, err := stepAll(t, tt.in, func(p *Parser) (any, error) { return p.Boolean() })
		if errMsg(err) != tt.msg || err == nil && got != tt.want {
			t.Errorf("Boolean %q = %v, %v; want %v, %q", tt.in, got, err, tt.want, tt.msg)
		}
	}
}
