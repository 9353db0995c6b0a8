// Package commands recognises Pulse's chat commands in Chinese and English.
// It only parses; the core decides what a command does.
package commands

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names of the commands the core understands.
const (
	Checkin = "checkin"
	Makeup  = "makeup"
	Me      = "me"
	Top     = "top"
	Help    = "help"
	Grant   = "grant"
	Deduct  = "deduct"
	Stats   = "stats"
	Goal    = "goal"
	Unknown = "unknown" // a "/word" Pulse does not know
)

// Command is a parsed command.
type Command struct {
	Name string
	Word string   // the word as typed, e.g. "签到" or "/checkin"
	Args []string // whitespace-separated arguments
}

// aliases maps every accepted word (without "/") to a command name and,
// for words that imply one, a first argument.
var aliases = map[string]struct {
	name string
	arg  string
	zh   bool // Chinese words work without the leading "/"
}{
	"checkin": {name: Checkin}, "签到": {name: Checkin, zh: true}, "打卡": {name: Checkin, zh: true},
	"makeup": {name: Makeup}, "补签": {name: Makeup, zh: true},
	"me": {name: Me}, "我的": {name: Me, zh: true}, "积分": {name: Me, zh: true}, "等级": {name: Me, zh: true},
	"rank": {name: Me}, "level": {name: Me}, "points": {name: Me},
	"top": {name: Top}, "leaderboard": {name: Top}, "排行": {name: Top, zh: true}, "排行榜": {name: Top, zh: true},
	"签到排行": {name: Top, arg: "streak", zh: true},
	"help": {name: Help}, "帮助": {name: Help, zh: true},
	"grant": {name: Grant}, "加分": {name: Grant, zh: true},
	"deduct": {name: Deduct}, "扣分": {name: Deduct, zh: true},
	"stats": {name: Stats}, "统计": {name: Stats, zh: true}, "数据": {name: Stats, zh: true},
	"goal": {name: Goal}, "goals": {name: Goal}, "目标": {name: Goal, zh: true},
}

// MaxLen is the longest text read as a command; longer is chat.
const MaxLen = 512

// Parse reads a message. ok is false for ordinary chat. A word after "/"
// that is not a command gives Name Unknown so the member can be told.
func Parse(text string) (c Command, ok bool) {
	if len(text) > MaxLen || !utf8.ValidString(text) {
		return c, false
	}
	s := strings.TrimSpace(text)
	slash := false
	if r, n := utf8.DecodeRuneInString(s); r == '/' || r == '／' {
		s, slash = s[n:], true
	}
	// The first word decides; ordinary chat costs no allocation.
	first := s
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		first = s[:i]
	}
	if first == "" {
		return c, false
	}
	word := strings.TrimRightFunc(first, isTrailingPunct)
	a, known := aliases[word]
	if !known && slash {
		a, known = aliases[strings.ToLower(word)]
	}
	switch {
	case known && (slash || a.zh):
	case slash && word != "" && !strings.ContainsRune(word, '/'):
		return Command{Name: Unknown, Word: "/" + word}, true
	default:
		return c, false
	}
	fields := strings.FieldsFunc(s, unicode.IsSpace)
	c = Command{Name: a.name, Word: word, Args: fields[1:]}
	if slash {
		c.Word = "/" + word
	}
	if a.arg != "" {
		c.Args = append([]string{a.arg}, c.Args...)
	}
	return c, true
}

func isTrailingPunct(r rune) bool {
	return strings.ContainsRune("!！。.~～", r)
}
