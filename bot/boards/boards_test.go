package boards_test

import (
	"strings"
	"testing"

	"github.com/pulsebot/pulse/bot/boards"
)

func TestParseTop(t *testing.T) {
	tests := []struct {
		args           string
		metric, period string
		ok             bool
	}{
		{"", boards.Points, boards.All, true},
		{"xp week", boards.XP, boards.Week, true},
		{"本周 发言", boards.Messages, boards.Week, true},
		{"WEEK Points", boards.Points, boards.Week, true},
		{"连续 本周", boards.Streak, boards.All, true}, // a streak has no week
		{"经验 总榜", boards.XP, boards.All, true},
		{"xp monthly", "", "", false},
	}
	for _, tt := range tests {
		m, p, ok := boards.ParseTop(strings.Fields(tt.args))
		if m != tt.metric || p != tt.period || ok != tt.ok {
			t.Errorf("ParseTop(%q) = %q %q %v; want %q %q %v", tt.args, m, p, ok, tt.metric, tt.period, tt.ok)
		}
	}
}
