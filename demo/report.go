package demo

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/i18n"
)

// Prefix starts every line the bot says, as in the console.
const Prefix = "pulse: "

// report renders a finished simulation. Each section is one function
// appended to sections; later work adds weekly metrics and digests there.
type report struct {
	sim    *sim
	rows   []bot.MemberRow // bot.Members at End
	digest *digest.Digest  // the last complete week's
	w      *bufio.Writer
}

var sections = []func(*report){
	(*report).header,
	(*report).members,
	(*report).admins,
	(*report).owners,
}

func (r *report) write(out io.Writer) error {
	r.w = bufio.NewWriter(out)
	for i, sec := range sections {
		if i > 0 {
			r.w.WriteString("\n")
		}
		sec(r)
	}
	return r.w.Flush()
}

// t formats one of the demo's texts in the report's locale.
func (r *report) t(key string, args ...any) string { return tr(r.sim.o.Locale, key, args...) }

// tr formats one of the demo's fixed lines (bot/i18n, under "demo.") in a
// locale; unknown locales read English.
func tr(locale, key string, args ...any) string {
	return i18n.T(locale, "demo."+key, args...)
}

func (r *report) line(key string, args ...any) { r.w.WriteString(r.t(key, args...) + "\n") }

func (r *report) heading(key string) {
	h := r.t(key)
	r.w.WriteString("== " + h + " ==\n")
}

func (r *report) date(t time.Time) string { return t.In(r.sim.loc).Format(time.DateOnly) }

// show prints an event the way the console transcript writes it, then
// the bot's replies.
func (r *report) show(sh shown) {
	if !sh.ok() {
		return
	}
	fmt.Fprintf(r.w, "[%s] %s: %s\n", sh.at.In(r.sim.loc).Format("2006-01-02 15:04"), sh.name, sh.text)
	for _, rep := range sh.replies {
		for _, l := range strings.Split(rep.Text, "\n") {
			r.w.WriteString(Prefix + l + "\n")
		}
	}
}

func (r *report) header() {
	s := r.sim
	r.w.WriteString(r.t("title") + "\n")
	r.line("group", s.o.Group, r.t("lang."+s.gs.Locale), s.loc.String())
	r.line("community", s.o.Members, len(s.admins), s.o.Weeks, r.date(s.first), r.date(s.o.End))
	m := s.sum
	r.line("ingested", m.Events, m.Messages, m.Checkins, m.Makeups, m.Reactions, m.Joins, m.Leaves)
	r.line("timing", m.Elapsed.Round(time.Millisecond), int(m.EventsPerSecond()))
}

func (r *report) members() {
	c := &r.sim.caps
	r.heading("members")
	if c.firstCheckin.ok() {
		r.line("members.checkin", r.date(c.firstCheckin.at))
		r.show(c.firstCheckin)
	}
	up := c.titleUp
	if !up.ok() {
		up = c.levelUp
	}
	if up.ok() {
		r.w.WriteString("\n")
		r.line("members.levelup")
		r.show(up)
	}
	if c.makeup.ok() {
		r.w.WriteString("\n")
		r.line("members.makeup")
		r.show(c.makeup)
	}
	if c.refused.ok() {
		r.w.WriteString("\n")
		r.line("members.refused")
		r.show(c.refused)
	}
	r.w.WriteString("\n")
	r.line("members.lastday")
	for i, sh := range c.lastDay {
		if i > 0 {
			r.w.WriteString("\n")
		}
		r.show(sh)
	}
}

// present lists the rows of members in the group, bots left out.
func (r *report) present() []bot.MemberRow {
	var out []bot.MemberRow
	for _, row := range r.rows {
		if row.Present && !row.Bot {
			out = append(out, row)
		}
	}
	return out
}

func (r *report) admins() {
	c := &r.sim.caps
	r.heading("admins")
	r.line("admins.grant")
	r.show(c.grant)
	if sp := c.spam; sp.done {
		r.w.WriteString("\n")
		r.line("admins.spam", sp.name, sp.copies, int(sp.span.Seconds()), sp.xpBefore, sp.xpAfter)
	}
	rows := r.present()
	n := min(15, len(rows))
	r.w.WriteString("\n")
	r.line("admins.table", n, len(rows))
	tab := [][]string{{"#", r.t("col.name"), r.t("col.level"), r.t("col.xp"), r.t("col.points"), r.t("col.streak"), r.t("col.checkins"), r.t("col.messages")}}
	for i, row := range rows[:n] {
		tab = append(tab, []string{
			strconv.Itoa(i + 1), row.Name, strconv.Itoa(row.Level), i64(row.XP), i64(row.Points),
			i64(row.Streak), i64(row.Checkins), i64(row.Messages),
		})
	}
	writeTable(r.w, tab, 1)
	if c.stats.ok() {
		r.w.WriteString("\n")
		r.line("admins.stats")
		r.show(c.goal)
		r.show(c.stats)
	}
}

func (r *report) owners() {
	s := r.sim
	r.heading("owners")
	rows := r.present()
	since := r.date(s.o.End.AddDate(0, 0, -29))
	silent := 0
	for _, row := range rows {
		if row.LastActive < since {
			silent++
		}
	}
	r.line("owners.present", len(rows), silent)
	r.line("owners.growth", s.o.Weeks, s.sum.Joins, s.sum.Leaves, s.sum.Joins-s.sum.Leaves)
	today := r.date(s.o.End)
	checked := 0
	var best *bot.MemberRow
	for i, row := range rows {
		if row.LastCheckin == today {
			checked++
		}
		if row.Streak > 0 && (best == nil || row.Streak > best.Streak) {
			best = &rows[i]
		}
	}
	pct := 0
	if len(rows) > 0 {
		pct = (checked*100 + len(rows)/2) / len(rows)
	}
	r.line("owners.checkins", today, checked, pct)
	if best != nil {
		r.line("owners.streak", i18n.Days(s.gs.Locale, best.Streak), best.Name)
	} else {
		r.line("owners.nostreak")
	}
	if d := r.digest; d != nil {
		r.w.WriteString("\n")
		r.line("owners.digest", d.Period, (len(d.Chart)+512)/1024)
		for _, l := range strings.Split(d.Private, "\n") {
			r.w.WriteString("pulse → " + s.admins[0].name + ": " + l + "\n")
		}
	}
}
