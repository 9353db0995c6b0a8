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

// Progress is where a goal stands.
type Progress struct {
	Goal     store.Goal `json:"-"`
	Metric   string     `json:"metric"`
	Target   float64    `json:"target"`
	Deadline string     `json:"deadline"`
	Current  float64    `json:"current"`
	Percent  float64    `json:"percent"` // current ÷ target (target ÷ current when lower is better)
	Reached  bool       `json:"reached"`
	Overdue  bool       `json:"overdue"`
	// PerWeek is the change needed each remaining week to reach the
	// target by the deadline (negative for goals that go down).
	PerWeek   float64 `json:"per_week"`
	WeeksLeft float64 `json:"weeks_left"`
}

// GoalProgress measures a goal against the values of a window ending today.
func GoalProgress(g store.Goal, v Values, today calendar.Day) Progress {
	cur, _ := v.Get(g.Metric)
	p := Progress{Goal: g, Metric: g.Metric, Target: g.Target, Deadline: g.Deadline.String(), Current: cur}
	lower := LowerIsBetter(g.Metric)
	switch {
	case lower && cur <= g.Target, !lower && cur >= g.Target:
		p.Reached = true
	}
	switch {
	case g.Target == 0 && lower:
		p.Percent = map[bool]float64{true: 1, false: 0}[cur == 0]
	case lower && cur > 0:
		p.Percent = g.Target / cur
	case !lower && g.Target != 0:
		p.Percent = cur / g.Target
	}
	days := float64(g.Deadline) - float64(today)
	if days <= 0 {
		p.Overdue = !p.Reached
		return p
	}
	p.WeeksLeft = days / 7
	if !p.Reached {
		p.PerWeek = (g.Target - cur) / math.Max(p.WeeksLeft, 1.0/7)
	}
	return p
}
