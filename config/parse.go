package config

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parseYAML parses data into a node tree; nil if there is no document or
// it cannot be parsed (then a problem is recorded).
func (d *decoder) parseYAML(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err != io.EOF {
			d.syntaxError(err, data)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		d.syntaxError(err, data)
		return nil
	default:
		d.errorf(extra.Line, "", "a second YAML document (after ---); the file must hold one")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// syntaxError records a yaml.v3 parse error, "yaml: line N: reason", as
// FILE:N: reason.
func (d *decoder) syntaxError(err error, data []byte) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, reason, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, reason
			}
		}
	}
	switch {
	case line == 0:
		line = guessLine(msg, data)
	case isParserProblem(msg):
		// yaml.v3 counts these from 0 (its scanner errors from 1).
		line++
	}
	if strings.Contains(msg, "cannot start any token") && bytes.Contains(data, []byte("\t")) {
		msg += " (tabs cannot indent YAML; use spaces)"
	}
	d.errorf(line, "", "invalid YAML: %s", msg)
}

// isParserProblem reports whether msg comes from yaml.v3's parser, rather
// than its scanner.
func isParserProblem(msg string) bool {
	for _, p := range []string{
		"did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected key", "did not find expected node content",
		"did not find expected '-' indicator", "did not find expected <",
		"found duplicate %", "found incompatible YAML document",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// guessLine finds the line of a yaml.v3 error that does not say it: errors
// on the first line (yaml.v3 omits line 1), unknown anchors and bad bytes.
func guessLine(msg string, data []byte) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name, _, _ = strings.Cut(name, "'")
		for i, l := range lines {
			if bytes.Contains(l, []byte("*"+name)) {
				return i + 1
			}
		}
		return 0
	}
	if strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8") {
		for i, l := range lines {
			if !utf8.Valid(l) || bytes.ContainsFunc(l, func(r rune) bool {
				return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
			}) {
				return i + 1
			}
		}
		return 0
	}
	var n yaml.Node
	if err := yaml.Unmarshal(lines[0], &n); err != nil && strings.HasSuffix(err.Error(), msg) {
		return 1
	}
	return 0
}
