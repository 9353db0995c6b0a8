package digest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// Input says which week to digest and how.
type Input struct {
	Locale   string
	Location *time.Location
	Curve    *growth.Curve
	Week     calendar.Day // the Monday of the week covered
	FontPath string       // CJK font for zh charts; "" to search the usual places
	NoChart  bool
}

// Digest is one group's weekly digest.
type Digest struct {
	Group   string
	Period  string // ISO week, e.g. 2026-W47
	Public  string // posted in the group
	Private string // sent to owners: the public part plus what must not be posted
	Chart   []byte // PNG, nil when NoChart
	Report  metrics.Report
}

type person struct {
	id, name        string
	xp, streak      int64
	lastCheckin     calendar.Day
	messages, xpIn  int64 // this week
	xpAfter, checks int64
	present         bool
}

// Build assembles the digest of in.Week for the group.
func Build(g *store.Group, in Input) (Digest, error) {
	loc := in.Locale
	t := func(k string, a ...any) string { return i18n.T(loc, k, a...) }
	from, to := in.Week, in.Week+6
	d := Digest{Group: g.Key(), Period: calendar.WeekName(from)}
	eng, err := metrics.New(g, in.Location)
	if err != nil {
		return d, err
	}
	if d.Report, err = eng.Report(to, 7); err != nil {
		return d, err
	}
	v, pv := d.Report.Values, d.Report.Previous

	people := map[string]*person{}
	err = g.ForEachMember(func(id string, m *store.Member) error {
		if !m.IsBot {
			people[id] = &person{id: id, name: m.Name, xp: m.XP, streak: m.Streak, lastCheckin: m.LastCheckin, present: m.Present}
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	// This week's and later days: contributions, check-ins, and the XP
	// earned since, to know each member's level at the end of the week.
	err = g.ForEachDay(from, ^calendar.Day(0), func(day calendar.Day, id string, a *store.DayAgg) error {
		p := people[id]
		if p == nil {
			return nil
		}
		if day > to {
			p.xpAfter += a.XP
			return nil
		}
		p.messages += a.Messages
		p.xpIn += a.XP
		if a.Checkin != store.CheckinNone {
			p.checks++
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	list := make([]*person, 0, len(people))
	for _, p := range people {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })

	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	y1, m1, d1 := from.Date()
	y2, m2, d2 := to.Date()
	line(t("digest.title", d.Period, fmt.Sprintf("%04d-%02d-%02d", y1, m1, d1), fmt.Sprintf("%04d-%02d-%02d", y2, m2, d2)))
	line("")
	line(t("digest.kpis"))
	kpi := func(name string) {
		cur, _ := v.Get(name)
		prev, _ := pv.Get(name)
		ch := change(loc, cur, prev)
		if metrics.IsRatio(name) {
			cr, pr := ratioOf(v, name), ratioOf(pv, name)
			ch = changePt(loc, cr, pr)
			line(strings.TrimRight(t("digest.kpi", capital(MetricName(loc, name)), percent(cr), percent(pr), ch), " "))
			return
		}
		line(t("digest.kpi", capital(MetricName(loc, name)), Value(loc, name, cur), Value(loc, name, prev), ch))
	}
	for _, name := range []string{"members", "wau", "dau", "messages", "new_members", "left_members", "retention_wow", "interaction_rate", "checkin_rate", "silent_ratio"} {
		kpi(name)
	}

	top := append([]*person(nil), list...)
	sort.SliceStable(top, func(i, j int) bool { return top[i].messages > top[j].messages })
	if len(top) > 0 && top[0].messages > 0 {
		line("")
		line(t("digest.top"))
		for i, p := range top {
			if i == 5 || p.messages == 0 {
				break
			}
			line(t("digest.topline", i+1, p.name, p.messages))
		}
	}

	var joined []string
	seen := map[string]bool{}
	err = g.ForEachRoster(from.Start(in.Location).Unix(), (to + 1).Start(in.Location).Unix(), func(r store.RosterEntry) error {
		if p := people[r.Member]; r.Join && p != nil && !seen[r.Member] {
			seen[r.Member] = true
			joined = append(joined, p.name)
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	if len(joined) > 0 {
		line("")
		line(t("digest.welcome", names(loc, joined, 12)))
	}

	if in.Curve != nil {
		var ups []string
		for _, p := range list {
			end := in.Curve.Level(p.xp - p.xpAfter)
			if start := in.Curve.Level(p.xp - p.xpAfter - p.xpIn); end > start {
				ups = append(ups, t("digest.levelup", p.name, end))
			}
		}
		if len(ups) > 0 {
			line(t("digest.levelups", names(loc, ups, 12)))
		}
	}

	stars := make([]*person, 0)
	for _, p := range list {
		if p.checks > 0 {
			stars = append(stars, p)
		}
	}
	sort.SliceStable(stars, func(i, j int) bool {
		if stars[i].checks != stars[j].checks {
			return stars[i].checks > stars[j].checks
		}
		return streakAt(stars[i], to) > streakAt(stars[j], to)
	})
	if len(stars) > 0 {
		var s []string
		for i, p := range stars {
			if i == 3 {
				break
			}
			if st := streakAt(p, to); st > 0 {
				s = append(s, t("digest.streak", p.name, p.checks, st))
			} else {
				s = append(s, t("digest.streakweek", p.name, p.checks))
			}
		}
		line(t("digest.streaks", strings.Join(s, sep(loc))))
	}

	goals, err := g.Goals()
	if err != nil {
		return d, err
	}
	if len(goals) > 0 {
		line("")
		line(t("digest.goals"))
		for _, gl := range goals {
			line(GoalLine(loc, metrics.GoalProgress(gl, v, to)))
		}
	}
	if v.Messages == 0 && v.NewMembers == 0 && v.Checkins == 0 {
		line("")
		line(t("digest.quiet"))
	}

	if !in.NoChart {
		days, err := eng.Daily(chartStart(g, to), to)
		if err != nil {
			return d, err
		}
		font := ""
		if loc == i18n.Zh {
			font = FindCJKFont(in.FontPath)
		}
		if d.Chart, err = Chart(days, loc, "", font, from.String()); err != nil {
			return d, err
		}
		line("")
		line(t("digest.chart", chartSpan(loc, len(days))))
	}
	d.Public = strings.TrimRight(b.String(), "\n")

	s := d.Report.Segments
	var p strings.Builder
	p.WriteString(d.Public + "\n\n" + t("digest.private") + "\n")
	p.WriteString(t("digest.segments", s.New, s.Core, s.Active, s.Casual, s.Silent, s.AtRisk) + "\n")
	p.WriteString(t("digest.atrisk", orNobody(loc, names(loc, s.AtRiskNames, 30))) + "\n")
	p.WriteString(t("digest.silentlist", orNobody(loc, names(loc, s.SilentNames, 30))))
	if len(s.SilentNewNames) > 0 {
		p.WriteString("\n" + t("digest.silentnew", names(loc, s.SilentNewNames, 30)))
	}
	d.Private = p.String()
	return d, nil
}

// streakAt is the member's streak as it stood at the end of day d, when
// their last check-in is known to be that day or the one before.
func streakAt(p *person, d calendar.Day) int64 {
	if p.lastCheckin == d || p.lastCheckin+1 == d {
		return p.streak
	}
	return 0
}

// chartStart is 8 weeks before to, or the group's first day if later.
func chartStart(g *store.Group, to calendar.Day) calendar.Day {
	from := to - 55
	first := to
	_ = g.ForEachGroupDay(from, to, func(d calendar.Day, _ *store.GroupDay) error {
		if d < first {
			first = d
		}
		return nil
	})
	return first
}

// chartSpan names the weeks a chart of n days covers: "last 6 weeks", or
// "this week" when it is only the digest's own.
func chartSpan(locale string, n int) string {
	weeks := (n + 6) / 7
	if weeks <= 1 {
		return i18n.T(locale, "digest.chartweek")
	}
	return i18n.T(locale, "digest.chartweeks", weeks)
}

func ratioOf(v metrics.Values, name string) metrics.Ratio {
	switch name {
	case "stickiness":
		return v.Stickiness
	case "interaction_rate":
		return v.InteractionRate
	case "activation":
		return v.Activation
	case "retention_wow":
		return v.RetentionWoW
	case "silent_ratio":
		return v.SilentRatio
	case "checkin_rate":
		return v.CheckinRate
	}
	return metrics.Ratio{}
}

func sep(locale string) string {
	if locale == i18n.Zh {
		return "、"
	}
	return ", "
}

// names joins up to max names and says how many more there are.
func names(locale string, list []string, max int) string {
	if len(list) <= max {
		return strings.Join(list, sep(locale))
	}
	return strings.Join(list[:max], sep(locale)) + " " + i18n.T(locale, "digest.andmore", len(list)-max)
}

func orNobody(locale, s string) string {
	if s == "" {
		return i18n.T(locale, "digest.nobody")
	}
	return s
}

// capital starts a label with a capital letter (English labels start lines).
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
