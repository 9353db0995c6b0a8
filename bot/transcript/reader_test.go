package transcript

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReader(t *testing.T) {
	long := strings.Repeat("x", MaxLine+1)
	tests := []struct {
		name string
		in   string
		want []string // text, or "!" for ErrTooLong
	}{
		{"empty", "", nil},
		{"one line without newline", "alice: hi", []string{"alice: hi"}},
		{"CRLF", "a: 1\r\nb: 2\r\n", []string{"a: 1", "b: 2"}},
		{"blank lines kept", "a: 1\n\n# c\n", []string{"a: 1", "", "# c"}},
		{"overlong skipped, rest read", "a: 1\n" + long + "\nb: 2\n", []string{"a: 1", "!", "b: 2"}},
		{"overlong at the end", "a: 1\n" + long, []string{"a: 1", "!"}},
		{"exactly MaxLine with newline", strings.Repeat("y", MaxLine-1) + "\n", []string{strings.Repeat("y", MaxLine-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(iotest.HalfReader(strings.NewReader(tt.in)))
			var got []string
			for want := 1; ; want++ {
				no, text, err := r.Next()
				if err == io.EOF {
					break
				}
				if no != want {
					t.Fatalf("line number %d, want %d", no, want)
				}
				switch {
				case errors.Is(err, ErrTooLong):
					text = "!"
				case err != nil:
					t.Fatal(err)
				}
				got = append(got, text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("lines %q, want %q", short(got), short(tt.want))
			}
		})
	}
}

func TestReaderError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(io.MultiReader(strings.NewReader("a: 1\nb: par"), iotest.ErrReader(boom)))
	if no, text, err := r.Next(); no != 1 || text != "a: 1" || err != nil {
		t.Fatalf("first line %d %q %v", no, text, err)
	}
	if no, _, err := r.Next(); no != 2 || !errors.Is(err, boom) {
		t.Fatalf("second line %d %v, want boom", no, err)
	}
}

func short(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if len(s) > 20 {
			s = s[:20] + "…"
		}
		out[i] = s
	}
	return out
}
