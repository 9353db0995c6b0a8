// Package goals holds a group's dated goals: the words of /goal, reading a
// target, and each goal's progress over the last seven days.
package goals

import (
	"errors"
	"math"
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

// Why ParseTarget refuses a target.
var (
	// ErrTarget: not a number, negative, a % on a count, or a share above 100%.
	ErrTarget = errors.New("goals: not a valid target")
	// ErrCount: a count that goes up needs a whole number of at least 1.
	ErrCount = errors.New("goals: a count's target must be a whole number of at least 1")
	// ErrCountDown: a count that goes down needs a whole number (0 allowed).
	ErrCountDown = errors.New("goals: a count's target must be a whole number")
	// ErrZero: a share or mean that goes up needs a target above 0.
	ErrZero = errors.New("goals: the target must be above 0")
)

// ParseTarget reads a goal's target; shares may be written 40% or 0.4.
// Counts (metrics.IsCount) take whole numbers: at least 1 for goals that
// go up, 0 or more for goals that go down (churn risk at most 0).
func ParseTarget(metric, s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e9 {
		return 0, ErrTarget
	}
	down := metrics.LowerIsBetter(metric)
	switch {
	case metrics.IsRatio(metric):
		if pct || f > 1 {
			f /= 100
		}
		if f > 1 {
			return 0, ErrTarget
		}
	case pct:
		return 0, ErrTarget
	case metrics.IsCount(metric) && down:
		if f != math.Trunc(f) {
			return 0, ErrCountDown
		}
		return f, nil
	case metrics.IsCount(metric):
		if f != math.Trunc(f) || f < 1 {
			return 0, ErrCount
		}
		return f, nil
	}
	if f == 0 && !down {
		return 0, ErrZero
	}
	return f, nil
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
