package wechat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pulsebot/pulse/bot"
)

// Mentions.

// stripMention removes "@<name>\u2005" (or a space, or the end) of each of
// the bot's names and reports whether there was one.
func stripMention(text string, names ...string) (string, bool) {
	found := false
	for _, n := range names {
		if n == "" {
			continue
		}
		for _, at := range []string{"@", "＠"} {
			pat := at + n
			for from := 0; ; {
				i := strings.Index(text[from:], pat)
				if i < 0 {
					break
				}
				i += from
				end := i + len(pat)
				r, size := utf8.DecodeRuneInString(text[end:])
				switch {
				case end == len(text):
					text, found = text[:i], true
				case r == '\u2005' || unicode.IsSpace(r):
					text, found = text[:i]+text[end+size:], true
				default:
					from = end
					continue
				}
				from = i
			}
		}
	}
	if !found {
		return text, false
	}
	return strings.TrimSpace(text), true
}

// mentions finds "@name" of members in text, the longest name that fits
// at each @ (followed by \u2005, a space, punctuation or the end). The
// caller holds lg.listMu.
func (s *session) mentions(lg *liveGroup, text string, from *liveMember) []bot.Member {
	if !strings.ContainsAny(text, "@＠") {
		return nil
	}
	var out []bot.Member
	seen := map[string]bool{from.id: true}
	for i, r := range text {
		if r != '@' && r != '＠' {
			continue
		}
		rest := text[i+utf8.RuneLen(r):]
		best, bestLen, tie := (*liveMember)(nil), 0, false
		for _, lm := range lg.members {
			for _, n := range []string{lm.display, lm.nick} {
				if n == "" || len(n) < bestLen || !strings.HasPrefix(rest, n) {
					continue
				}
				after, _ := utf8.DecodeRuneInString(rest[len(n):])
				if len(rest) > len(n) && after != '\u2005' && !unicode.IsSpace(after) && !unicode.IsPunct(after) {
					continue
				}
				switch {
				case len(n) > bestLen:
					best, bestLen, tie = lm, len(n), false
				case best != lm:
					tie = true
				}
			}
		}
		if best == nil || tie || best.id == "" || seen[best.id] {
			continue
		}
		seen[best.id] = true
		out = append(out, s.member(lg, best))
	}
	return out
}
