// Package transcript reads Pulse's chat-transcript format: one line per
// message, join, leave or reaction, optionally timestamped. The console
// adapter speaks it, and the core's tests replay fixtures written in it.
package transcript

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// LineKind says what a transcript line holds.
type LineKind uint8

const (
	Blank    LineKind = iota // empty line or # comment
	Message                  // NAME: TEXT, or NAME > OTHER: TEXT for a reply
	Join                     // +NAME
	Leave                    // -NAME
	Reaction                 // *NAME > OTHER: NAME reacts to OTHER's last message
)

// Line is one parsed transcript line.
type Line struct {
	Kind    LineKind
	Time    time.Time // zero when the line has no [TIME]
	Name    string
	ReplyTo string // Message: the member replied to; Reaction: whose message
	Text    string
}

// Transcript time layouts besides RFC 3339, read in the group's zone.
var localLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"}

// ParseLine reads one transcript line. Times without a zone are in loc.
//
//	[2026-01-05 09:00] alice: 签到
//	[2026-01-05T09:00:00+08:00] bob > alice: welcome!
//	[2026-01-05 09:01] +carol
//	-dave
//	*erin > alice
//	# a comment
func ParseLine(s string, loc *time.Location) (Line, error) {
	var l Line
	if !utf8.ValidString(s) {
		return l, errors.New("not valid UTF-8")
	}
	s = strings.TrimSuffix(s, "\r")
	t := strings.TrimSpace(s)
	if t == "" || strings.HasPrefix(t, "#") {
		return l, nil
	}
	if strings.HasPrefix(t, "[") {
		end := strings.IndexByte(t, ']')
		if end < 0 {
			return l, errors.New("missing ']' after the time")
		}
		ts := strings.TrimSpace(t[1:end])
		tm, err := parseTime(ts, loc)
		if err != nil {
			return l, err
		}
		l.Time = tm
		t = strings.TrimSpace(t[end+1:])
		if t == "" {
			return l, errors.New("nothing after the time: want NAME: TEXT, +NAME or -NAME")
		}
	}
	switch t[0] {
	case '+', '-':
		l.Kind = Join
		if t[0] == '-' {
			l.Kind = Leave
		}
		l.Name = strings.TrimSpace(t[1:])
		if l.Name == "" {
			return l, fmt.Errorf("no name after %q", t[:1])
		}
		return l, nil
	case '*':
		l.Kind = Reaction
		who, whom, ok := strings.Cut(t[1:], ">")
		l.Name, l.ReplyTo = strings.TrimSpace(who), strings.TrimSpace(whom)
		if !ok || l.Name == "" || l.ReplyTo == "" {
			return l, errors.New("a reaction is *NAME > OTHER")
		}
		return l, nil
	}
	i := strings.IndexAny(t, ":：")
	if i < 0 {
		return l, errors.New("want NAME: TEXT, +NAME (join), -NAME (leave) or *NAME > OTHER (reaction)")
	}
	l.Kind = Message
	head := t[:i]
	_, n := utf8.DecodeRuneInString(t[i:])
	l.Text = strings.TrimSpace(t[i+n:])
	if who, whom, ok := strings.Cut(head, ">"); ok {
		head, l.ReplyTo = who, strings.TrimSpace(whom)
		if l.ReplyTo == "" {
			return l, errors.New("no name after '>' (a reply is NAME > OTHER: TEXT)")
		}
	}
	l.Name = strings.TrimSpace(head)
	if l.Name == "" {
		return l, errors.New("no name before ':'")
	}
	return l, nil
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339 (2026-01-05T09:00:00+08:00) or YYYY-MM-DD HH:MM[:SS]", s)
}
