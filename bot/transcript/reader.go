package transcript

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// MaxLine is the longest transcript line read; longer lines are refused.
const MaxLine = 1 << 20

// ErrTooLong reports a line longer than MaxLine. It is skipped and reading
// goes on, so one pasted blob does not fail a whole transcript.
var ErrTooLong = errors.New("line too long")

// Reader splits a transcript into numbered lines.
type Reader struct {
	r  *bufio.Reader
	no int
}

// NewReader reads lines from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 64<<10)} }

// Next returns the next line without its line ending, and its number
// (from 1). It returns io.EOF at the end, ErrTooLong for an overlong line
// (call Next again for the rest), and any other error from the reader.
func (r *Reader) Next() (no int, text string, err error) {
	var b []byte
	tooLong := false
	for {
		var chunk []byte
		chunk, err = r.r.ReadSlice('\n')
		if !tooLong && len(b)+len(chunk) <= MaxLine {
			b = append(b, chunk...)
		} else {
			tooLong, b = true, nil
		}
		if err != bufio.ErrBufferFull {
			break
		}
	}
	if err == io.EOF && len(b) == 0 && !tooLong {
		return 0, "", io.EOF
	}
	r.no++
	if err != nil && err != io.EOF {
		return r.no, "", err
	}
	if tooLong {
		return r.no, "", ErrTooLong
	}
	return r.no, strings.TrimRight(string(b), "\r\n"), nil
}
