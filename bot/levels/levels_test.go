package levels_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/bot/levels"
	"github.com/pulsebot/pulse/store"
)

// TestCounts: the spam filters decide what counts as a contribution; the
// cooldown and no-XP channels only withhold XP.
func TestCounts(t *testing.T) {
	r := growth.XPRules{Min: 15, Max: 25, Cooldown: 60 * time.Second, MinLength: 2}
	tests := []struct {
		name       string
		msg        levels.Message
		counts, xp bool
	}{
		{"ordinary", levels.Message{Time: 1000, Length: 5}, true, true},
		{"minimum length", levels.Message{Time: 1000, Length: 2}, true, true},
		{"too short", levels.Message{Time: 1000, Length: 1}, false, false},
		{"repeat", levels.Message{Time: 1000, Length: 5, Repeat: true}, false, false},
		{"text unknown", levels.Message{Time: 1000, TextUnknown: true}, true, true},
		{"no-XP channel", levels.Message{Time: 1000, Length: 5, NoXP: true}, true, false},
		{"inside the cooldown", levels.Message{Time: 130, Length: 5}, true, false},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range tests {
		m := store.Member{LastXPAt: 100}
		if got := levels.Counts(r, tt.msg); got != tt.counts {
			t.Errorf("%s: Counts = %v, want %v", tt.name, got, tt.counts)
		}
		if _, ok := levels.MessageXP(r, &m, tt.msg, rng); ok != tt.xp {
			t.Errorf("%s: earns XP = %v, want %v", tt.name, ok, tt.xp)
		}
	}
}
