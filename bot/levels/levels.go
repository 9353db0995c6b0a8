// Package levels holds message XP and the levels it reaches: MEE6's rules
// (a random amount at most once per cooldown, nothing for short messages
// or a repeat of the last one) on the group's level curve.
package levels

import (
	"math/rand/v2"
	"unicode"

	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/store"
)

// Message is what the XP rules look at in a message.
type Message struct {
	Time        int64 // Unix seconds
	Length      int   // in characters
	TextUnknown bool  // the platform did not give the text (length unknown)
	NoXP        bool  // a channel that earns nothing
	Repeat      bool  // the same text as the member's last message
}

// Counts reports whether a message (not a command) passes the spam
// filters and so counts as a contribution: it is not a repeat of the
// member's previous message and it has at least the minimum length (a
// message whose text the platform did not give passes the length rule).
// The cooldown and a channel that earns no XP only limit XP: a message
// they leave without XP still counts.
func Counts(r growth.XPRules, msg Message) bool {
	return !msg.Repeat && (msg.TextUnknown || msg.Length >= r.MinLength)
}

// MessageXP decides the XP a message earns member m: ok is false when the
// rules give nothing. When ok, the roll is made and the cooldown restarts.
func MessageXP(r growth.XPRules, m *store.Member, msg Message, rng *rand.Rand) (xp int64, ok bool) {
	switch {
	case msg.NoXP, !Counts(r, msg):
		return 0, false
	case m.LastXPAt != 0 && msg.Time-m.LastXPAt < int64(r.Cooldown.Seconds()) && msg.Time >= m.LastXPAt:
		return 0, false
	}
	xp = int64(r.Min)
	if r.Max > r.Min {
		xp += rng.Int64N(int64(r.Max-r.Min) + 1)
	}
	m.LastXPAt = msg.Time
	return xp, true
}

// Add gives member m xp (counted in agg, the member's day too) and returns
// the levels before and after.
func Add(c *growth.Curve, m *store.Member, agg *store.DayAgg, xp int64) (before, after int) {
	before = c.Level(m.XP)
	m.XP += xp
	agg.XP += xp
	return before, c.Level(m.XP)
}

// TextHash identifies a message's text for the repeat filter: case and
// runs of spaces do not matter. It allocates nothing (it runs per message).
func TextHash(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	space := false
	started := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			h = (h ^ ' ') * prime
			space = false
		}
		started = true
		r = unicode.ToLower(r)
		for r >= 0x80 {
			h = (h ^ uint64(r&0xff)) * prime
			r >>= 8
		}
		h = (h ^ uint64(r)) * prime
	}
	return h
}
