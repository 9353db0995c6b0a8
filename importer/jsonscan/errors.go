package jsonscan

import (
	"errors"
	"fmt"
	"io"
)

// ErrMore says a step ran out of buffered input. A step returns it as it
// gets it, and Step reads more and runs the step again.
var ErrMore = errors.New("need more input")

// SyntaxError is malformed JSON.
type SyntaxError struct {
	Msg    string // what is wrong, e.g. `expected ',' or '}' in an object, found 'x'`
	Offset int64  // input offset of the fault (set by Step)
	Line   int64  // its 1-based line (set by Step)
	at     int    // its index in the buffer
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, byte %d: %s", e.Line, e.Offset, e.Msg)
}

// TruncatedError says the input ended inside a step.
type TruncatedError struct {
	Offset, Line           int64 // where the input ended
	StartOffset, StartLine int64 // where the unfinished step started
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("unexpected end of input at line %d, byte %d (the unfinished value starts at line %d, byte %d)", e.Line, e.Offset, e.StartLine, e.StartOffset)
}

// Unwrap makes a TruncatedError an io.ErrUnexpectedEOF.
func (e *TruncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// ReadError is a failure to read more input, or a single step needing
// more than the Scanner's largest buffer.
type ReadError struct {
	Offset, Line int64 // how far the input had been read
	Err          error
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("read at line %d, byte %d: %v", e.Line, e.Offset, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }
