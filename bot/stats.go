package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// parsePeriod reads /stats' argument: 7d, 30d, Nd, week (this week so
// far), month (this month so far), and their Chinese forms.
func parsePeriod(arg string, today calendar.Day) (digest.Period, bool) {
	a := strings.ToLower(strings.TrimSpace(arg))
	switch a {
	case "", "7d", "7天", "周", "近7天":
		return digest.Period{Key: "days", Days: 7}, true
	case "30d", "30天", "月", "近30天":
		return digest.Period{Key: "days", Days: 30}, true
	case "week", "本周":
		return digest.Period{Key: "week", Days: int(today-calendar.Monday(today)) + 1}, true
	case "month", "本月":
		_, _, d := today.Date()
		return digest.Period{Key: "month", Days: d}, true
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(a, "d"), "天"))
	if err != nil || n < 1 || n > 365 {
		return digest.Period{}, false
	}
	return digest.Period{Key: "days", Days: n}, true
}

// stats answers /stats for admins.
func (c *call) stats(args []string) error {
	if !c.ev.Member.IsAdmin && !c.ev.Member.IsOwner {
		c.answer(c.t("stats.denied"))
		return nil
	}
	arg := ""
	if len(args) > 1 {
		c.answer(c.t("stats.usage"))
		return nil
	}
	if len(args) == 1 {
		arg = args[0]
	}
	p, ok := parsePeriod(arg, c.day)
	if !ok {
		c.answer(c.t("stats.usage"))
		return nil
	}
	eng, err := metrics.New(c.g, c.gs.Location)
	if err != nil {
		return err
	}
	rep, err := eng.Report(c.day, p.Days)
	if err != nil {
		return err
	}
	progress, err := c.goalProgress(eng)
	if err != nil {
		return err
	}
	c.private(digest.StatsText(c.loc, p, rep, progress))
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

// view runs fn on a group in a read transaction, refusing unknown groups
// with the list of known ones.
func (b *Bot) view(group string, fn func(g *store.Group, gs *groupState) error) error {
	gs := b.group(group)
	return b.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		if g == nil {
			return fmt.Errorf("group %q: %w (groups: %v)", group, ErrNoGroup, tx.Groups())
		}
		return fn(g, gs)
	})
}

// Report computes a group's metrics for the days days ending at `to`.
func (b *Bot) Report(ctx context.Context, group string, to calendar.Day, days int) (metrics.Report, error) {
	var rep metrics.Report
	err := b.view(group, func(g *store.Group, gs *groupState) error {
		eng, err := metrics.New(g, gs.Location)
		if err != nil {
			return err
		}
		rep, err = eng.Report(to, days)
		return err
	})
	return rep, err
}

// Daily returns a group's per-day figures over from..to; from 0 means the
// group's first day.
func (b *Bot) Daily(ctx context.Context, group string, from, to calendar.Day) ([]metrics.Day, error) {
	var out []metrics.Day
	err := b.view(group, func(g *store.Group, gs *groupState) error {
		eng, err := metrics.New(g, gs.Location)
		if err != nil {
			return err
		}
		if from == 0 {
			if from, err = eng.FirstDay(); err != nil || from == 0 {
				return err
			}
		}
		out, err = eng.Daily(from, to)
		return err
	})
	return out, err
}

// Today is the current local day of a group.
func (b *Bot) Today(group string) calendar.Day {
	return calendar.DayOf(b.clock.Now(), b.group(group).Location)
}

// BuildDigest assembles a group's digest of the week starting monday.
func (b *Bot) BuildDigest(ctx context.Context, group string, monday calendar.Day, fontPath string, noChart bool) (digest.Digest, error) {
	var d digest.Digest
	err := b.view(group, func(g *store.Group, gs *groupState) error {
		var err error
		d, err = digest.Build(g, digest.Input{Locale: gs.Locale, Location: gs.Location, Curve: gs.curve, Week: monday, FontPath: fontPath, NoChart: noChart})
		return err
	})
	return d, err
}
