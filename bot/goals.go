package bot

import (
	"strings"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/goals"
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
	sub := goals.List
	if len(args) > 0 {
		sub, _ = goals.Sub(args[0])
		args = args[1:]
	}
	switch sub {
	case goals.List:
		if len(args) > 0 {
			break
		}
		eng, err := metrics.New(c.g, c.gs.Location)
		if err != nil {
			return err
		}
		progress, err := goals.Progress(c.g, eng, c.day)
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
	case goals.Set:
		if len(args) != 3 {
			break
		}
		name, ok := metrics.Lookup(args[0])
		if !ok {
			c.answer(c.t("goal.metric", args[0], strings.Join(metrics.Names, ", ")))
			return nil
		}
		target, err := goals.ParseTarget(name, args[1])
		switch err {
		case nil:
		case goals.ErrCount:
			c.answer(c.t("goal.count", args[1], digest.MetricName(c.loc, name)))
			return nil
		case goals.ErrCountDown:
			c.answer(c.t("goal.count_down", args[1], digest.MetricName(c.loc, name)))
			return nil
		case goals.ErrZero:
			c.answer(c.t("goal.zero", args[1], digest.MetricName(c.loc, name)))
			return nil
		default:
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
		key := "goal.set"
		if metrics.LowerIsBetter(name) {
			key = "goal.set_down"
		}
		c.answer(c.t(key, digest.MetricName(c.loc, name), digest.Value(c.loc, name, target), deadline))
		return nil
	case goals.Clear:
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
