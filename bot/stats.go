package bot

import (
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/goals"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
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
	progress, err := goals.Progress(c.g, eng, c.day)
	if err != nil {
		return err
	}
	c.private(digest.StatsText(c.loc, p, rep, progress))
	return nil
}
