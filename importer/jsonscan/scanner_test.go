package jsonscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

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
