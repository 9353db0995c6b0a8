package digest_test

import (
	"testing"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
)

// TestGoalLine pins how goal lines read in both languages.
func TestGoalLine(t *testing.T) {
	tests := []struct {
		p      metrics.Progress
		zh, en string
	}{
		{metrics.Progress{Metric: "churn_risk", Target: 0, Current: 2, Deadline: "2027-01-31", Down: true, Remaining: 2, PerWeek: 1},
			"🎯 流失预警 2，目标降到 0，截止 2027-01-31：还需降低 2，每周需降 1",
			"🎯 churn risk 2 → at most 0 by 2027-01-31: 2 still to cut, -1 per week needed"},
		{metrics.Progress{Metric: "silent_ratio", Target: 0.1, Current: 0, Deadline: "2027-01-31", Down: true, Reached: true},
			"🎯 潜水率 0.0%，目标降到 10.0%，截止 2027-01-31：已达成 ✅",
			"🎯 silent ratio 0.0% → at most 10.0% by 2027-01-31: reached ✅"},
		{metrics.Progress{Metric: "checkin_rate", Target: 0.4, Current: 0.32, Deadline: "2027-01-31", Percent: 0.8, Remaining: 0.08, PerWeek: 0.02},
			"🎯 签到率 32.0% / 40.0% 截止 2027-01-31：每周还需 +2.0 个百分点",
			"🎯 check-in rate 32.0% / 40.0% by 2027-01-31: +2.0 pts per week needed"},
		{metrics.Progress{Metric: "wau", Target: 10, Current: 8, Deadline: "2027-01-31", Percent: 0.8, Remaining: 2, PerWeek: 1},
			"🎯 周活 8 / 10（80%）截止 2027-01-31：每周还需 +1",
			"🎯 WAU 8 / 10 (80%) by 2027-01-31: +1 per week needed"},
	}
	for _, tt := range tests {
		if got := digest.GoalLine(i18n.Zh, tt.p); got != tt.zh {
			t.Errorf("zh:\n got %s\nwant %s", got, tt.zh)
		}
		if got := digest.GoalLine(i18n.En, tt.p); got != tt.en {
			t.Errorf("en:\n got %s\nwant %s", got, tt.en)
		}
	}
}
