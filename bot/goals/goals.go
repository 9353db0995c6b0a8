// Package goals holds a group's dated goals: the words of /goal, reading a
// target, and each goal's progress over the last seven days.
package goals

import (
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// What /goal does.
const (
	List  = "list"
	Set   = "set"
	Clear = "clear"
)

// Sub reads /goal's first word in English or Chinese; ok is false for a
// word it does not know.
func Sub(word string) (string, bool) {
	switch strings.ToLower(word) {
	case "list", "列表", "查看":
		return List, true
	case "set", "设置", "设定":
		return Set, true
	case "clear", "清除", "删除":
		return Clear, true
	}
	return "", false
}

// ReadOnly reports whether /goal with args changes nothing (it lists).
func ReadOnly(args []string) bool {
	if len(args) == 0 {
		return true
	}
	sub, ok := Sub(args[0])
	return ok && sub == List
}

// ParseTarget reads a goal's target; shares may be written 40% or 0.4.
func ParseTarget(metric, s string) (float64, bool) {
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || f < 0 || f > 1e9 {
		return 0, false
	}
	if metrics.IsRatio(metric) {
		if pct || f > 1 {
			f /= 100
		}
		return f, f <= 1
	}
	return f, !pct
}

// Progress measures every goal of g over the 7 days ending at day.
func Progress(g *store.Group, eng *metrics.Engine, day calendar.Day) ([]metrics.Progress, error) {
	gs, err := g.Goals()
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	week, err := eng.Window(day, 7)
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Progress, 0, len(gs))
	for _, goal := range gs {
		out = append(out, metrics.GoalProgress(goal, week, day))
	}
	return out, nil
}
