// Package digest turns metrics into what people read in the chat: the
// compact /stats answer, goal lines and the weekly digest with its chart.
package digest

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
)

// count renders an integer with thousands separators (zh keeps digits plain).
func count(locale string, n float64) string {
	s := strconv.FormatInt(int64(math.Round(n)), 10)
	if locale == i18n.Zh || len(s) <= 4 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func decimal(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', 1, 64) }

func percent(r metrics.Ratio) string {
	if !r.Defined() {
		return "—"
	}
	return decimal(r.Value()*100) + "%"
}

func signed(locale string, n int64) string {
	if n > 0 {
		return "+" + count(locale, float64(n))
	}
	return count(locale, float64(n))
}

// change compares two amounts: ↑12.5%, ↓3.0%, → or (new).
func change(locale string, cur, prev float64) string {
	switch {
	case cur == prev:
		return "→"
	case prev == 0:
		return i18n.T(locale, "change.new")
	}
	pct := (cur - prev) / math.Abs(prev) * 100
	if pct > 0 {
		return "↑" + decimal(pct) + "%"
	}
	return "↓" + decimal(-pct) + "%"
}

// changePt compares two shares in percentage points: ↑1.2pt.
func changePt(locale string, cur, prev metrics.Ratio) string {
	if !cur.Defined() || !prev.Defined() {
		return ""
	}
	d := (cur.Value() - prev.Value()) * 100
	if math.Abs(d) < 0.05 {
		return "→"
	}
	arrow := "↑"
	if d < 0 {
		arrow, d = "↓", -d
	}
	return arrow + decimal(d) + i18n.T(locale, "pt")
}

// Value renders a metric's value: shares as %, means with a decimal.
func Value(locale, name string, v float64) string {
	switch {
	case metrics.IsRatio(name):
		return decimal(v*100) + "%"
	case name == "dau" || name == "messages_per_active":
		return decimal(v)
	}
	return count(locale, v)
}

// MetricName is a metric's name in the locale.
func MetricName(locale, name string) string { return i18n.T(locale, "m."+name) }

// Period describes a window for titles: "last 7 days", "this week".
type Period struct {
	Key  string // "days", "week", "month", "lastweek" or "lastmonth"
	Days int    // for "days"
}

// StatsText is the compact /stats answer: every headline metric with its
// change against the previous window, then goal progress, then today so
// far (when today is given: it is never part of the window). Changes are
// "—" without a previous window; sums are compared only when the previous
// window has as many days with data.
func StatsText(locale string, p Period, r metrics.Report, goals []metrics.Progress, today *metrics.Day) string {
	t := func(k string, a ...any) string { return i18n.T(locale, k, a...) }
	v, pv := r.Values, r.Previous
	label := t("period.days", p.Days)
	if p.Key != "days" {
		label = t("period." + p.Key)
	}
	var lines []string
	switch {
	case r.Days == 0 && r.Since != "" && (today == nil || r.Since != today.Date):
		lines = append(lines, t("stats.nodata", label, r.Since))
	case r.Days == 0:
		lines = append(lines, t("stats.nodays", label))
	default:
		var vs string
		switch {
		case r.PreviousDays == 0:
			vs = t("vs.none")
		case r.PreviousDays < r.Days:
			vs = t("vs.partial", r.PreviousDays)
		case p.Key == "days":
			vs = t("vs.days", r.PreviousDays)
		default:
			vs = t("vs." + p.Key)
		}
		prior, sums := r.PreviousDays > 0, r.PreviousDays == r.Days
		ch := func(cur, prev float64, ok bool) string {
			if !ok {
				return "—"
			}
			return change(locale, cur, prev)
		}
		lines = append(lines, t("stats.title", label, r.From, r.To, vs))
		if r.Since != "" {
			lines = append(lines, t("stats.since", r.Since, r.Days))
		}
		lines = append(lines,
			t("stats.members", count(locale, float64(v.Members)), ch(float64(v.Members), float64(pv.Members), prior), v.NewMembers, v.LeftMembers, signed(locale, v.NetMembers)),
			t("stats.active", decimal(v.DAU.Value()), ch(v.DAU.Value(), pv.DAU.Value(), prior),
				count(locale, float64(v.WAU)), ch(float64(v.WAU), float64(pv.WAU), prior),
				count(locale, float64(v.MAU)), ch(float64(v.MAU), float64(pv.MAU), prior)),
			t("stats.sticky", percent(v.Stickiness), changePt(locale, v.Stickiness, pv.Stickiness)),
			t("stats.msgs", count(locale, float64(v.Messages)), ch(float64(v.Messages), float64(pv.Messages), sums), ratioDecimal(v.MessagesPerActive)),
			t("stats.inter", percent(v.InteractionRate), changePt(locale, v.InteractionRate, pv.InteractionRate)),
			t("stats.growth", percent(v.Activation), percent(v.RetentionWoW), changePt(locale, v.RetentionWoW, pv.RetentionWoW)),
			t("stats.silent", count(locale, float64(v.SilentMembers)), percent(v.SilentRatio), count(locale, float64(v.ChurnRisk))),
			t("stats.checkin", percent(v.CheckinRate), changePt(locale, v.CheckinRate, pv.CheckinRate)),
		)
	}
	for _, g := range goals {
		lines = append(lines, GoalLine(locale, g))
	}
	if today != nil {
		lines = append(lines, t("stats.today", today.Active, today.Messages, today.Checkins, today.Joins))
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

func ratioDecimal(r metrics.Ratio) string {
	if !r.Defined() {
		return "—"
	}
	return decimal(r.Value())
}

// amount renders a goal's gap or pace: shares in percentage points
// ("2.0 pts"), other metrics as Value does.
func amount(locale, name string, v float64) string {
	if metrics.IsRatio(name) {
		return i18n.T(locale, "goal.pts", decimal(v*100))
	}
	return Value(locale, name, v)
}

// GoalLine renders one goal's progress. Goals that go up read "current /
// target" with the share of the target reached (counts and means only: a
// share's share would be a confusing figure); goals that go down read
// "current → at most target" with what is still to cut.
func GoalLine(locale string, g metrics.Progress) string {
	t := func(k string, a ...any) string { return i18n.T(locale, k, a...) }
	status := ""
	switch {
	case g.Reached:
		status = t("goal.reached")
	case g.Overdue:
		status = t("goal.overdue")
	case g.Down:
		status = t("goal.cut", amount(locale, g.Metric, g.Remaining), amount(locale, g.Metric, g.PerWeek))
	default:
		status = t("goal.pace", amount(locale, g.Metric, g.PerWeek))
	}
	cur, target := Value(locale, g.Metric, g.Current), Value(locale, g.Metric, g.Target)
	switch {
	case g.Down:
		return t("goal.line_down", MetricName(locale, g.Metric), cur, target, g.Deadline, status)
	case metrics.IsRatio(g.Metric):
		return t("goal.line_share", MetricName(locale, g.Metric), cur, target, g.Deadline, status)
	}
	return t("goal.line", MetricName(locale, g.Metric), cur, target, fmt.Sprintf("%.0f%%", math.Floor(g.Percent*100)), g.Deadline, status)
}
