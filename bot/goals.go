package bot

import (
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// goal answers /goal set|list|clear for admins.
func (c *call) goal(args []string) error {
	if !c.ev.Member.IsAdmin && !c.ev.Member.IsOwner {
		c.answer(c.t("goal.denied"))
		return nil
	}
	sub := "list"
	if len(args) > 0 {
		sub = strings.ToLower(args[0])
		args = args[1:]
	}
	switch sub {
	case "list", "列表", "查看":
		if len(args) > 0 {
			break
		}
		eng, err := metrics.New(c.g, c.gs.Location)
		if err != nil {
			return err
		}
		progress, err := c.goalProgress(eng)
		if err != nil {
			return err
		}
		if len(progress) == 0 {
			c.answer(c.t("goal.empty"))
			return nil
		}
		lines := []string{c.t("goal.list")}
		for _, p := range progress {
			lines = append(lines, digest.GoalLine(c.loc, p))
		}
		c.answer(strings.Join(lines, "\n"))
		return nil
	case "set", "设置", "设定":
		if len(args) != 3 {
			break
		}
		name, ok := metrics.Lookup(args[0])
		if !ok {
			c.answer(c.t("goal.metric", args[0], strings.Join(metrics.Names, ", ")))
			return nil
		}
		target, ok := parseTarget(name, args[1])
		if !ok {
			c.answer(c.t("goal.target", args[1]))
			return nil
		}
		deadline, err := calendar.ParseDay(args[2])
		if err != nil || deadline <= c.day {
			c.answer(c.t("goal.deadline", args[2], c.day))
			return nil
		}
		if err := c.g.PutGoal(store.Goal{Metric: name, Target: target, Deadline: deadline, SetBy: c.ev.Member.ID, SetAt: c.ev.Time.Unix()}); err != nil {
			return err
		}
		c.answer(c.t("goal.set", digest.MetricName(c.loc, name), digest.Value(c.loc, name, target), deadline))
		return nil
	case "clear", "清除", "删除":
		if len(args) != 1 {
			break
		}
		name, ok := metrics.Lookup(args[0])
		if !ok {
			c.answer(c.t("goal.metric", args[0], strings.Join(metrics.Names, ", ")))
			return nil
		}
		had, err := c.g.DeleteGoal(name)
		if err != nil {
			return err
		}
		if !had {
			c.answer(c.t("goal.none", digest.MetricName(c.loc, name)))
			return nil
		}
		c.answer(c.t("goal.cleared", digest.MetricName(c.loc, name)))
		return nil
	}
	c.answer(c.t("goal.usage"))
	return nil
}

// goalProgress measures every goal over the last 7 days.
func (c *call) goalProgress(eng *metrics.Engine) ([]metrics.Progress, error) {
	goals, err := c.g.Goals()
	if err != nil || len(goals) == 0 {
		return nil, err
	}
	week, err := eng.Window(c.day, 7)
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Progress, 0, len(goals))
	for _, g := range goals {
		out = append(out, metrics.GoalProgress(g, week, c.day))
	}
	return out, nil
}

// parseTarget reads a goal's target; shares may be written 40% or 0.4.
func parseTarget(metric, s string) (float64, bool) {
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
