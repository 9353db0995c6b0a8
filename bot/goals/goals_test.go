package goals_test

import (
	"strings"
	"testing"

	"github.com/pulsebot/pulse/bot/goals"
)

func TestSubAndReadOnly(t *testing.T) {
	tests := []struct {
		args     string
		sub      string
		readOnly bool
	}{
		{"", "", true},
		{"list", goals.List, true},
		{"查看", goals.List, true},
		{"LIST", goals.List, true},
		{"set dau 50 2027-01-01", goals.Set, false},
		{"设置 dau 50 2027-01-01", goals.Set, false},
		{"clear dau", goals.Clear, false},
		{"删除 dau", goals.Clear, false},
		{"frobnicate", "", false},
	}
	for _, tt := range tests {
		args := strings.Fields(tt.args)
		if len(args) > 0 {
			if sub, _ := goals.Sub(args[0]); sub != tt.sub {
				t.Errorf("Sub(%q) = %q, want %q", args[0], sub, tt.sub)
			}
		}
		if got := goals.ReadOnly(args); got != tt.readOnly {
			t.Errorf("ReadOnly(%q) = %v, want %v", tt.args, got, tt.readOnly)
		}
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		metric, in string
		want       float64
		ok         bool
	}{
		{"dau", "50", 50, true},
		{"dau", "50%", 0, false}, // a count is not a share
		{"checkin_rate", "40%", 0.4, true},
		{"checkin_rate", "0.4", 0.4, true},
		{"checkin_rate", "40", 0.4, true},
		{"checkin_rate", "140%", 0, false},
		{"dau", "-1", 0, false},
		{"dau", "lots", 0, false},
	}
	for _, tt := range tests {
		got, ok := goals.ParseTarget(tt.metric, tt.in)
		if ok != tt.ok || ok && (got-tt.want > 1e-9 || tt.want-got > 1e-9) {
			t.Errorf("ParseTarget(%q, %q) = %v, %v; want %v, %v", tt.metric, tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
