package digest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot/checkin"
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
	id, name string
	index    uint32 // bit in the activity and presence bitmaps
	xp       int64  // now; less xpAfter, as at the week's end
	counted  int64  // this week's contributions
	xpIn     int64  // this week
	xpAfter  int64  // since the week
	checks   int64  // days of the week checked in, make-ups included
	streak   int64  // as at the week's end, for check-in stars
}

// Build assembles the digest of in.Week for the group. Every figure is
// as at the end of the week's Sunday, so building a past week's digest
// again gives the post: KPIs, segments and the chart come from the
// metrics engine, which reads no day after the window; contributions,
// check-ins and streaks from the week's day aggregates (a streak from the
// days before it too); level-ups from the XP earned that week and after;
// the welcome list from the week's joins and presence at its end; goals
// from those set by then. What cannot be replayed is named where it is
// used: display names are today's, and a goal changed or cleared since is
// shown as it is now or not at all.
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
			people[id] = &person{id: id, name: m.Name, index: m.Index, xp: m.XP}
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	// This week's and later days: contributions, check-ins, and the XP
	// earned since, to know each member's level at the end of the week
	// (the member's XP now less what later days earned; XP set outright
	// by an import after the week is the one change this cannot undo).
	err = g.ForEachDay(from, ^calendar.Day(0), func(day calendar.Day, id string, a *store.DayAgg) error {
		p := people[id]
		if p == nil {
			return nil
		}
		if day > to {
			p.xpAfter += a.XP
			return nil
		}
		p.counted += contributions(a)
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

	// Top contributors rank by contributions (see contributions), not by
	// every message: commands and what the spam filters stopped do not
	// count. Ties keep the members' id order.
	top := append([]*person(nil), list...)
	sort.SliceStable(top, func(i, j int) bool { return top[i].counted > top[j].counted })
	if len(top) > 0 && top[0].counted > 0 {
		line("")
		line(t("digest.top"))
		for i, p := range top {
			if i == 5 || p.counted == 0 {
				break
			}
			line(t("digest.topline", i+1, p.name, p.counted))
		}
	}

	// New members are welcomed from the week's join events alone, never
	// from activity: those who joined during the week and were still in
	// the group at its end.
	present := eng.Present(to)
	var joined []string
	seen := map[string]bool{}
	err = g.ForEachRoster(from.Start(in.Location).Unix(), (to + 1).Start(in.Location).Unix(), func(r store.RosterEntry) error {
		if p := people[r.Member]; r.Join && p != nil && !seen[r.Member] && present.Has(p.index) {
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
			if p.streak, err = streakAt(g, p.id, to); err != nil {
				return d, err
			}
			stars = append(stars, p)
		}
	}
	sort.SliceStable(stars, func(i, j int) bool {
		if stars[i].checks != stars[j].checks {
			return stars[i].checks > stars[j].checks
		}
		return stars[i].streak > stars[j].streak
	})
	if len(stars) > 0 {
		var s []string
		for i, p := range stars {
			if i == 3 {
				break
			}
			if st := p.streak; st > 0 {
				s = append(s, t("digest.streak", p.name, p.checks, st))
			} else {
				s = append(s, t("digest.streakweek", p.name, p.checks))
			}
		}
		line(t("digest.streaks", strings.Join(s, sep(loc))))
	}

	// Goals set after the week were not there when it ended. A goal is
	// kept as its last setting, so one changed since shows as it is now,
	// and one cleared since is gone.
	all, err := g.Goals()
	if err != nil {
		return d, err
	}
	var goals []store.Goal
	end := (to + 1).Start(in.Location).Unix()
	for _, gl := range all {
		if gl.SetAt < end {
			goals = append(goals, gl)
		}
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

// contributions is a member-day's count for the top contributors: its
// Counted messages. A record from before Counted existed has only
// Messages (commands and repeats included), which stands in for it, so a
// week recorded before then ranks by messages as it used to.
func contributions(a *store.DayAgg) int64 {
	if a.PreCounted {
		return a.Messages
	}
	return a.Counted
}

// streakAt is the member's check-in streak as it stood at the end of day
// d, from the day aggregates alone (never the member's current streak,
// which later check-ins move): the run of consecutive checked-in days, on
// time or made up, ending at d, or ending the day before when d itself was
// missed (that streak was still alive at d's end). 0 when neither was
// checked in. A make-up done after the week for a day in it or before
// changes the figure: the make-up mended that day.
func streakAt(g *store.Group, id string, d calendar.Day) (int64, error) {
	n, err := checkin.StreakAt(g, id, d)
	if err != nil || n > 0 {
		return n, err
	}
	return checkin.StreakAt(g, id, d-1)
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
