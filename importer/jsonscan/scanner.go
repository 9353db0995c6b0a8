// Package jsonscan is a small streaming JSON scanner, written for one job:
// walking JSON files of several gigabytes (DiscordChatExporter exports)
// with bounded memory and few allocations, where encoding/json would
// either hold the whole file or allocate for every value.
//
// A Scanner reads its input into a buffer. The caller parses in steps: a
// step (one header value, one element of a huge array, …) parses a
// complete value from the buffered data with the Parser's methods. When
// the value runs past the buffered data, a method returns ErrMore; the
// step hands it back, and Step reads more input and starts the step again
// from where it started. A step must therefore only change its own state
// in ways that are safe to redo.
//
// Strings are returned as slices of the buffer (or, when they hold
// escapes, of a per-step arena): they are valid until the next Step.
// Nothing is allocated per value once the buffer and arena have grown to
// the size of the largest step.
package jsonscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Scanner buffers an input for a Parser and keeps its position.
type Scanner struct {
	r     io.Reader
	buf   []byte
	start int   // first byte of the current step
	end   int   // end of the data read so far
	off   int64 // input offset of buf[0]
	lines int64 // newlines in the input before buf[0]
	eof   bool
	max   int // largest buffer allowed
	p     Parser
}

// NewScanner returns a Scanner reading r with a buffer of size bytes,
// grown up to max bytes when a single step needs more.
func NewScanner(r io.Reader, size, max int) *Scanner {
	return &Scanner{r: r, buf: make([]byte, size), max: max}
}

// Step runs fn over the buffered data from the current position, reading
// more and starting fn again whenever it returns ErrMore. When fn returns
// nil, the position moves past what it consumed.
//
// An error from fn is returned as it is, except that a *SyntaxError gets
// its Offset and Line. When the input ends before fn could finish, the
// error is a *TruncatedError; when reading fails, a *ReadError.
func (s *Scanner) Step(fn func(p *Parser) error) error {
	p := &s.p
	for {
		p.d = s.buf[:s.end]
		p.i = s.start
		p.arena = p.arena[:0]
		err := fn(p)
		if err == nil {
			s.start = p.i
			return nil
		}
		if err != ErrMore {
			var se *SyntaxError
			if errors.As(err, &se) {
				se.Offset, se.Line = s.Locate(se.at)
			}
			return err
		}
		if ferr := s.fill(); ferr != nil {
			off, line := s.Locate(s.end)
			if ferr == io.EOF {
				sOff, sLine := s.Locate(s.start)
				return &TruncatedError{Offset: off, Line: line, StartOffset: sOff, StartLine: sLine}
			}
			return &ReadError{Offset: off, Line: line, Err: ferr}
		}
	}
}

// Consumed is how far the input has been read by completed steps.
func (s *Scanner) Consumed() int64 { return s.off + int64(s.start) }

// Offset returns the input offset of buffer index i (a Parser.Index of
// the last step).
func (s *Scanner) Offset(i int) int64 { return s.off + int64(i) }

// Locate returns the input offset and 1-based line of buffer index i. It
// counts the buffer's lines: use it for errors, not for every value.
func (s *Scanner) Locate(i int) (off int64, line int64) {
	i = min(max(i, 0), s.end)
	return s.off + int64(i), s.lines + int64(bytes.Count(s.buf[:i], []byte{'\n'})) + 1
}

// fill drops the bytes before start and reads more. It returns io.EOF
// when the input has no more bytes.
func (s *Scanner) fill() error {
	if s.eof {
		return io.EOF
	}
	if s.start > 0 {
		s.lines += int64(bytes.Count(s.buf[:s.start], []byte{'\n'}))
		s.off += int64(s.start)
		s.end = copy(s.buf, s.buf[s.start:s.end])
		s.start = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.max {
			return fmt.Errorf("a single value is larger than %d MB", s.max>>20)
		}
		nb := make([]byte, min(2*len(s.buf), s.max))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			if n == 0 {
				return io.EOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if tries > 100 {
			return io.ErrNoProgress
		}
	}
}
