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
		err        error
	}{
		{"dau", "50", 50, nil},
		{"dau", "12.5", 12.5, nil}, // DAU is a mean of days, not a count
		{"dau", "0", 0, goals.ErrZero},
		{"dau", "50%", 0, goals.ErrTarget}, // a mean is not a share
		{"wau", "10", 10, nil},
		{"wau", "0.5", 0, goals.ErrCount}, // was read as 0.5, shown as "reach 1"
		{"wau", "0", 0, goals.ErrCount},
		{"wau", "10.5", 0, goals.ErrCount},
		{"wau", "10%", 0, goals.ErrTarget},
		{"members", "1", 1, nil},
		{"churn_risk", "0", 0, nil}, // down goals may aim for none
		{"churn_risk", "3", 3, nil},
		{"churn_risk", "0.5", 0, goals.ErrCountDown},
		{"left_members", "0", 0, nil},
		{"silent_members", "2.5", 0, goals.ErrCountDown},
		{"checkin_rate", "40%", 0.4, nil},
		{"checkin_rate", "0.4", 0.4, nil},
		{"checkin_rate", "40", 0.4, nil},
		{"checkin_rate", "0", 0, goals.ErrZero},
		{"checkin_rate", "140%", 0, goals.ErrTarget},
		{"silent_ratio", "0%", 0, nil},
		{"silent_ratio", "10%", 0.1, nil},
		{"dau", "-1", 0, goals.ErrTarget},
		{"dau", "lots", 0, goals.ErrTarget},
		{"wau", "NaN", 0, goals.ErrTarget},
	}
	for _, tt := range tests {
		got, err := goals.ParseTarget(tt.metric, tt.in)
		if err != tt.err || err == nil && (got-tt.want > 1e-9 || tt.want-got > 1e-9) {
			t.Errorf("ParseTarget(%q, %q) = %v, %v; want %v, %v", tt.metric, tt.in, got, err, tt.want, tt.err)
		}
	}
}
