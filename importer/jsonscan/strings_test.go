package jsonscan

import (
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", `"plain"`, "plain"},
		{"empty", `""`, ""},
		{"escaped quote", `"a\"b"`, `a"b`},
		{"backslash", `"\\"`, `\`},
		{"backslash then quote", `"a\\\"b"`, `a\"b`},
		{"two backslashes", `"\\\\"`, `\\`},
		{"short escapes", `"\/\b\f\n\r\t"`, "/\b\f\n\r\t"},
		{"u escapes", `"\u0041\u00e9\u00C9"`, "AéÉ"},
		{"u escape of NUL", `"\u0000"`, "\x00"},
		{"u escapes of CJK", `"\u4e2d\u6587"`, "中文"},
		{"surrogate pair", `"\ud83d\ude00"`, "😀"},
		{"surrogate pair in upper case", `"\uD83D\uDE00"`, "😀"},
		{"lone high surrogate at the end", `"x\ud83d"`, "x\uFFFD"},
		{"high surrogate then a letter", `"\ud83dx"`, "\uFFFDx"},
		{"high surrogate then a BMP escape", `"\ud83d\u0041"`, "\uFFFDA"},
		{"low surrogate first", `"\ude00\ud83d"`, "\uFFFD\uFFFD"},
		{"two high surrogates then a low", `"\ud83d\ud83d\ude00"`, "\uFFFD😀"},
		{"raw UTF-8", `"中文 😀"`, "中文 😀"},
		{"invalid UTF-8 passes", "\"\xff\"", "\xff"},
		{"mixed", `"é \u00e9\n\"q\""`, "é é\n\"q\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanAll(t, tt.in)
			if err != nil || got != tt.want {
				t.Errorf("%s = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestTextErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{`"\x"`, `bad escape \x in a string`},
		{`"\'"`, `bad escape \' in a string`},
		{`"\u12"`, `bad \u escape in a string`},
		{`"\u12G4"`, `bad \u escape in a string`},
		{`"\uZZZZ"`, `bad \u escape in a string`},
		{`"\ud83d\u12"`, `bad \u escape in a string`},
		{`{"a":x}`, `expected a string or number, found 'x'`},
	}
	for _, tt := range tests {
		_, err := scanAll(t, tt.in)
		if errMsg(err) != tt.msg {
			t.Errorf("%s: %v, want %q", tt.in, err, tt.msg)
		}
	}
	for _, tt := range tests[:6] {
		// Text on its own reports the same.
		_, err := stepAll(t, tt.in, func(p *Parser) (any, error) { b, err := p.Text(); return string(b), err })
		if errMsg(err) != tt.msg {
			t.Errorf("Text %s: %v, want %q", tt.in, err, tt.msg)
		}
	}
	_, err := stepAll(t, `12`, func(p *Parser) (any, error) { b, err := p.Text(); return string(b), err })
	if errMsg(err) != `expected a string, found '1'` {
		t.Errorf("Text on a number: %v", err)
	}
}

func TestScalar(t *testing.T) {
	tests := []struct {
		in   string
		want any // []byte as a string, nil for null
		msg  string
	}{
		{`"123"`, "123", ""},
		{`"a\u0062"`, "ab", ""},
		{`123 `, "123", ""},
		{`-5,`, "-5", ""},
		{`1.5e3]`, "1.5e3", ""},
		{`null`, nil, ""},
		{`{}`, nil, `expected a string or number, found '{'`},
		{`true`, nil, `expected a string or number, found 't'`},
	}
	for _, tt := range tests {
		got, err := stepAll(t, tt.in, func(p *Parser) (any, error) {
			b, err := p.Scalar()
			if b == nil {
				return nil, err
			}
			return string(b), err
		})
		if errMsg(err) != tt.msg || got != tt.want {
			t.Errorf("Scalar %s = %#v, %v; want %#v, %q", tt.in, got, err, tt.want, tt.msg)
		}
	}
}

func TestKeyIsRaw(t *testing.T) {
	got, err := stepAll(t, `{"a\nb":1}`, func(p *Parser) (any, error) {
		if _, err := p.ObjectStart(); err != nil {
			return nil, err
		}
		k, _, err := p.Key(0)
		return string(k), err
	})
	if err != nil || got != `a\nb` {
		t.Errorf("Key = %q, %v; want the raw a\\nb", got, err)
	}
}
