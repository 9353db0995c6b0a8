package metrics_test

import (
	"math"
	"testing"

	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// TestGoalProgress checks hand-computed progress: direction, gap and the
// weekly pace rounded up (whole counts, tenths of a point for shares).
func TestGoalProgress(t *testing.T) {
	day := func(s string) calendar.Day {
		d, err := calendar.ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	today := day("2026-03-09")
	v := metrics.Values{
		WAU:         8,
		ChurnRisk:   2,
		DAU:         metrics.Ratio{Num: 29, Den: 7}, // 4.142857…
		SilentRatio: metrics.Ratio{Num: 0, Den: 10},
		CheckinRate: metrics.Ratio{Num: 32, Den: 100},
		LeftMembers: 3,
	}
	tests := []struct {
		name                string
		metric              string
		target              float64
		deadline            string
		down, reached, over bool
		percent             float64
		remaining, perWeek  float64
	}{
		// 2 to gain over 28 days = 4 weeks: 0.5/week rounds up to 1, never +0.
		{"wau unmet, pace rounds up", "wau", 10, "2026-04-06", false, false, false, 0.8, 2, 1},
		// 2 over 14 days = 2 weeks: exactly 1.
		{"wau exact pace", "wau", 10, "2026-03-23", false, false, false, 0.8, 2, 1},
		// 2 over 3 days: less than a week left, the whole gap this week.
		{"wau under a week", "wau", 10, "2026-03-12", false, false, false, 0.8, 2, 2},
		// 7 over 21 days = 3 weeks: 2.33 rounds up to 3.
		{"wau 15 in 3 weeks", "wau", 15, "2026-03-30", false, false, false, 8.0 / 15, 7, 3},
		{"wau reached", "wau", 8, "2026-04-06", false, true, false, 1, 0, 0},
		// churn risk 2 → at most 0 over 6 weeks: 1/3 per week rounds up to 1.
		{"churn down unmet", "churn_risk", 0, "2026-04-20", true, false, false, 0, 2, 1},
		{"churn down met at target", "churn_risk", 2, "2026-04-20", true, true, false, 0, 0, 0},
		{"churn down met below", "churn_risk", 5, "2026-04-20", true, true, false, 0, 0, 0},
		// 3 left, at most 1: 2 to cut over 7 days.
		{"left down unmet", "left_members", 1, "2026-03-16", true, false, false, 0, 2, 2},
		// silent ratio 0.0% ≤ 10.0%: met, a down goal has no % of target.
		{"silent ratio met at 0", "silent_ratio", 0.1, "2026-04-06", true, true, false, 0, 0, 0},
		// check-in 32% → 40%: 8 pts over 28 days = 2.0 pts per week.
		{"share in points", "checkin_rate", 0.4, "2026-04-06", false, false, false, 0.8, 0.08, 0.02},
		// 8 pts over 21 days: 2.666… pts rounds up to 2.7.
		{"share pace rounds up", "checkin_rate", 0.4, "2026-03-30", false, false, false, 0.8, 0.08, 0.027},
		// 0.1 pt over 10 weeks: 0.01 pt a week rounds up to the least step, 0.1 pt.
		{"share pace never 0", "checkin_rate", 0.321, "2026-05-18", false, false, false, 0.32 / 0.321, 0.001, 0.001},
		// DAU 4.14 → 5: 0.857 over 28 days, 0.214/week rounds up to 0.3.
		{"mean in tenths", "dau", 5, "2026-04-06", false, false, false, 29.0 / 35, 0.9, 0.3},
		{"overdue", "wau", 10, "2026-03-09", false, false, true, 0.8, 2, 0},
		{"past deadline but reached", "churn_risk", 2, "2026-03-01", true, true, false, 0, 0, 0},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, tt := range tests {
		p := metrics.GoalProgress(store.Goal{Metric: tt.metric, Target: tt.target, Deadline: day(tt.deadline)}, v, today)
		if p.Down != tt.down || p.Reached != tt.reached || p.Overdue != tt.over ||
			!near(p.Percent, tt.percent) || !near(p.Remaining, tt.remaining) || !near(p.PerWeek, tt.perWeek) {
			t.Errorf("%s: got down=%v reached=%v overdue=%v percent=%v remaining=%v perWeek=%v; want %v %v %v %v %v %v",
				tt.name, p.Down, p.Reached, p.Overdue, p.Percent, p.Remaining, p.PerWeek,
				tt.down, tt.reached, tt.over, tt.percent, tt.remaining, tt.perWeek)
		}
		if !p.Reached && !p.Overdue && p.PerWeek <= 0 {
			t.Errorf("%s: pace %v while unmet", tt.name, p.PerWeek)
		}
		if p.Percent > 1 && p.Down {
			t.Errorf("%s: down goal at %v%%", tt.name, p.Percent*100)
		}
	}
}
