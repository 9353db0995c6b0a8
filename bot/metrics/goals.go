package metrics

import (
	"math"
	"strings"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// aliases maps the names members type (zh and en) to metric names.
var aliases = map[string]string{
	"成员": "members", "成员数": "members", "日活": "dau", "周活": "wau", "月活": "mau",
	"粘性": "stickiness", "消息": "messages", "消息数": "messages", "人均消息": "messages_per_active",
	"互动率": "interaction_rate", "新增": "new_members", "新成员": "new_members", "退出": "left_members",
	"净增": "net_members", "激活率": "activation", "留存": "retention_wow", "留存率": "retention_wow",
	"潜水": "silent_members", "潜水率": "silent_ratio", "流失预警": "churn_risk", "签到率": "checkin_rate",
	"retention": "retention_wow", "silent": "silent_members", "churn": "churn_risk",
}

// Lookup resolves a metric name or alias.
func Lookup(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if a, ok := aliases[s]; ok {
		return a, true
	}
	for _, n := range Names {
		if n == s {
			return n, true
		}
	}
	return "", false
}

// LowerIsBetter reports metrics whose goals are to go down.
func LowerIsBetter(name string) bool {
	switch name {
	case "silent_members", "silent_ratio", "churn_risk", "left_members":
		return true
	}
	return false
}

// IsCount reports metrics that are whole numbers (members, WAU, messages…),
// as against shares and means such as DAU or messages per active member.
func IsCount(name string) bool {
	return !IsRatio(name) && name != "dau" && name != "messages_per_active"
}

// Step is the smallest amount a goal's gap and pace are given in: 1 for a
// count, 0.001 (a tenth of a percentage point) for a share, 0.1 for a mean.
func Step(name string) float64 {
	switch {
	case IsRatio(name):
		return 0.001
	case IsCount(name):
		return 1
	}
	return 0.1
}

// ceilStep rounds x ≥ 0 up to a whole number of steps, ignoring the float
// noise of values that are already whole steps (0.021/0.001 is 21.000…04).
func ceilStep(x, step float64) float64 {
	return math.Ceil(x/step-1e-9) * step
}

// Progress is where a goal stands.
type Progress struct {
	Goal     store.Goal `json:"-"`
	Metric   string     `json:"metric"`
	Target   float64    `json:"target"`
	Deadline string     `json:"deadline"`
	Current  float64    `json:"current"`
	// Down is set for goals on metrics that should fall: they are met
	// when Current ≤ Target.
	Down bool `json:"down"`
	// Percent is Current ÷ Target for goals that go up (0 for down goals,
	// whose progress is the Remaining amount to cut).
	Percent float64 `json:"percent"`
	Reached bool    `json:"reached"`
	Overdue bool    `json:"overdue"`
	// Remaining is how far the goal still is: the amount to gain (up) or
	// to cut (down), in the metric's units (a fraction for shares),
	// rounded up to the metric's Step; 0 once reached.
	Remaining float64 `json:"remaining"`
	// PerWeek is the change needed each remaining week to reach the target
	// by the deadline, as a magnitude (a rise for up goals, a fall for
	// down goals), rounded up to the metric's Step; at least one Step
	// while the goal is unmet and the deadline ahead; 0 otherwise.
	PerWeek   float64 `json:"per_week"`
	WeeksLeft float64 `json:"weeks_left"`
}

// GoalProgress measures a goal against the values of a window ending today.
func GoalProgress(g store.Goal, v Values, today calendar.Day) Progress {
	cur, _ := v.Get(g.Metric)
	p := Progress{Goal: g, Metric: g.Metric, Target: g.Target, Deadline: g.Deadline.String(), Current: cur}
	p.Down = LowerIsBetter(g.Metric)
	const eps = 1e-9
	gap := g.Target - cur
	if p.Down {
		gap = cur - g.Target
	} else if g.Target > 0 {
		p.Percent = cur / g.Target
	}
	p.Reached = gap <= eps
	step := Step(g.Metric)
	if !p.Reached {
		p.Remaining = math.Max(ceilStep(gap, step), step)
	}
	days := float64(g.Deadline) - float64(today)
	if days <= 0 {
		p.Overdue = !p.Reached
		return p
	}
	p.WeeksLeft = days / 7
	if !p.Reached {
		// With less than a week left, what remains is needed this week.
		p.PerWeek = math.Max(ceilStep(gap/math.Max(p.WeeksLeft, 1), step), step)
	}
	return p
}
