package config

import (
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a configuration file.
type Error struct {
	File string // "" for a section checked outside a file (see Check)
	Line int    // 1-based; 0 if unknown
	// Option is the path of the option at fault, as in
	// groups."discord/1".xp.min; "" when the problem is not one option's.
	Option string
	Msg    string // what is wrong; it names the option as the file writes it
}

func (e *Error) Error() string {
	switch {
	case e.File == "":
		return e.Msg
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Errors are the problems of a file, by line, one per line of the text.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxErrors bounds how many problems one error reports.
const maxErrors = 30

// errorf records a problem at line of the option at path opt ("" if none).
func (d *decoder) errorf(line int, opt, format string, args ...any) {
	if d.quiet {
		return
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Option: opt, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems sorted by line, without repeats; nil if none.
func (d *decoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(d.errs, func(a, b *Error) int { return a.Line - b.Line })
	type shown struct {
		line int
		msg  string
	}
	var out Errors
	seen := map[shown]bool{}
	for _, e := range d.errs {
		if seen[shown{e.Line, e.Msg}] {
			continue
		}
		seen[shown{e.Line, e.Msg}] = true
		out = append(out, e)
	}
	if len(out) > maxErrors {
		more := len(out) - maxErrors
		out = append(out[:maxErrors], &Error{File: d.file, Msg: fmt.Sprintf("and %d more problems", more)})
	}
	return out
}
