package bot

import (
	"strconv"
	"strings"

	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/goals"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
)

// parsePeriod reads /stats' argument: 7d, 30d, Nd (the last N complete
// days), week and month (this week or month so far, today excluded),
// lastweek and lastmonth, and their Chinese forms.
func parsePeriod(arg string) (digest.Period, bool) {
	a := strings.ToLower(strings.TrimSpace(arg))
	switch a {
	case "", "7d", "7天", "周", "近7天":
		return digest.Period{Key: "days", Days: 7}, true
	case "30d", "30天", "月", "近30天":
		return digest.Period{Key: "days", Days: 30}, true
	case "week", "本周":
		return digest.Period{Key: "week"}, true
	case "month", "本月":
		return digest.Period{Key: "month"}, true
	case "lastweek", "last-week", "上周":
		return digest.Period{Key: "lastweek"}, true
	case "lastmonth", "last-month", "上月":
		return digest.Period{Key: "lastmonth"}, true
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(a, "d"), "天"))
	if err != nil || n < 1 || n > 365 {
		return digest.Period{}, false
	}
	return digest.Period{Key: "days", Days: n}, true
}

// spans turns a period into the window of complete days it covers and the
// window it is compared with; ok is false when the period has no complete
// day yet (this week on a Monday, this month on the 1st).
func spans(p digest.Period, today calendar.Day) (cur, prev metrics.Span, ok bool) {
	y := today - 1
	switch p.Key {
	case "week", "lastweek":
		mon := calendar.Monday(today)
		if p.Key == "lastweek" {
			return metrics.Span{From: mon - 7, To: mon - 1}, metrics.Span{From: mon - 14, To: mon - 8}, true
		}
		return metrics.Span{From: mon, To: y}, metrics.Span{From: mon - 7, To: y - 7}, mon < today
	case "month", "lastmonth":
		first := monthStart(today)
		prevFirst := monthStart(first - 1)
		if p.Key == "lastmonth" {
			return metrics.Span{From: prevFirst, To: first - 1}, metrics.Span{From: monthStart(prevFirst - 1), To: prevFirst - 1}, true
		}
		// The same days of last month, cut at its end (March 31 → February 28).
		return metrics.Span{From: first, To: y}, metrics.Span{From: prevFirst, To: min(prevFirst+(y-first), first-1)}, first < today
	}
	n := calendar.Day(p.Days)
	return metrics.Span{From: y - n + 1, To: y}, metrics.Span{From: y - 2*n + 1, To: y - n}, true
}

// monthStart is the first day of d's month.
func monthStart(d calendar.Day) calendar.Day {
	_, _, dom := d.Date()
	return d - calendar.Day(dom-1)
}

// stats answers /stats for admins: the period's complete days, and today
// so far on a line of its own.
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
	p, ok := parsePeriod(arg)
	if !ok {
		c.answer(c.t("stats.usage"))
		return nil
	}
	eng, err := metrics.New(c.g, c.gs.Location)
	if err != nil {
		return err
	}
	var rep metrics.Report
	if cur, prev, ok := spans(p, c.day); ok {
		if rep, err = eng.Compare(cur, prev); err != nil {
			return err
		}
	}
	progress, err := goals.Progress(c.g, eng, c.day-1)
	if err != nil {
		return err
	}
	days, err := eng.Daily(c.day, c.day)
	if err != nil {
		return err
	}
	var today *metrics.Day
	if len(days) == 1 {
		today = &days[0]
	}
	c.private(digest.StatsText(c.loc, p, rep, progress, today))
	return nil
}
