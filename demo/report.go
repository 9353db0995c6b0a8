package demo

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/digest"
	"github.com/pulsebot/pulse/bot/i18n"
)

// Prefix starts every line the bot says, as in the console.
const Prefix = "pulse: "

// texts are the demo's own fixed lines, by locale. They live here rather
// than in bot/i18n because only the demo prints them.
var texts = map[string]map[string]string{
	i18n.En: {
		"title":     "Pulse demo: a simulated community",
		"group":     "Group %s · %s · time zone %s",
		"community": "%d members (%d admins, 2 bots) over %d weeks: %s – %s",
		"ingested":  "Ingested %d events: %d messages, %d check-ins, %d make-ups, %d reactions, %d joins, %d leaves",
		"timing":    "Time taken: %s (%d events/s)",
		"lang.en":   "English",
		"lang.zh":   "Chinese",

		"members":         "What members see",
		"members.checkin": "The first check-in of %s:",
		"members.levelup": "A level-up, announced in the group:",
		"members.makeup":  "A make-up check-in (补签) for a missed day:",
		"members.refused": "A member who is not an admin tries to grant points:",
		"members.lastday": "Asked on the last day:",

		"admins":       "What admins see",
		"admins.grant": "An admin thanks the member who welcomed the most newcomers:",
		"admins.spam":  "Spam earns nothing: %s posted the same text %d times in %d seconds; XP after the first copy %d, after the last %d.",
		"admins.table": "Members by XP (top %d of %d present):",
		"admins.stats": "An admin sets a goal and asks for the numbers, privately:",
		"col.name":     "name",
		"col.level":    "level",
		"col.xp":       "XP",
		"col.points":   "points",
		"col.streak":   "streak",
		"col.checkins": "check-ins",
		"col.messages": "messages",

		"owners":          "What owners see",
		"owners.present":  "Members present: %d, of whom %d silent (no message or check-in in the last 30 days)",
		"owners.growth":   "Over %d weeks: %d joined, %d left, net %+d",
		"owners.checkins": "Checked in on %s: %d (%d%% of members present)",
		"owners.streak":   "Longest current streak: %s (%s)",
		"owners.nostreak": "Longest current streak: none",
		"owners.digest":   "Monday's weekly digest (%s) is posted in the group with its chart (%d KB PNG); owners get it privately with the lists that are not posted:",
	},
	i18n.Zh: {
		"title":     "Pulse 演示：一个模拟的社群",
		"group":     "群 %s · %s · 时区 %s",
		"community": "%d 名成员（%d 位管理员，2 个机器人），共 %d 周：%s 至 %s",
		"ingested":  "共处理 %d 个事件：%d 条消息，%d 次签到，%d 次补签，%d 个表情回应，%d 人入群，%d 人退群",
		"timing":    "耗时：%s（每秒 %d 个事件）",
		"lang.en":   "英文",
		"lang.zh":   "中文",

		"members":         "成员看到的",
		"members.checkin": "%s 的第一个签到：",
		"members.levelup": "升级，在群里公告：",
		"members.makeup":  "补签漏掉的一天：",
		"members.refused": "不是管理员的成员想加分：",
		"members.lastday": "最后一天的提问：",

		"admins":       "管理员看到的",
		"admins.grant": "管理员给欢迎新人最多的成员加分：",
		"admins.spam":  "刷屏拿不到经验：%[1]s 在 %[3]d 秒内把同一段话发了 %[2]d 遍；发第一遍后经验 %[4]d，最后一遍后仍是 %[5]d。",
		"admins.table": "成员经验榜（在群 %[2]d 人中的前 %[1]d 名）：",
		"admins.stats": "管理员设定目标，并查看群数据（仅自己可见）：",
		"col.name":     "成员",
		"col.level":    "等级",
		"col.xp":       "经验",
		"col.points":   "积分",
		"col.streak":   "连续签到",
		"col.checkins": "累计签到",
		"col.messages": "发言",

		"owners":          "群主看到的",
		"owners.present":  "在群成员：%d 人，其中 %d 人潜水（近 30 天没有发言或签到）",
		"owners.growth":   "%d 周内：入群 %d 人，退群 %d 人，净增 %+d",
		"owners.checkins": "%s 签到 %d 人（占在群成员的 %d%%）",
		"owners.streak":   "当前最长连续签到：%s（%s）",
		"owners.nostreak": "当前最长连续签到：无",
		"owners.digest":   "周一的周报（%s）连同图表（%d KB 的 PNG）发在群里；群主私下收到完整版，含不公开的名单：",
	},
}

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
func (r *report) t(key string, args ...any) string {
	m := texts[r.sim.o.Locale]
	f, ok := m[key]
	if !ok {
		f = texts[i18n.En][key]
	}
	return fmt.Sprintf(f, args...)
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

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// writeTable aligns cells by their width on a terminal (CJK characters
// take two columns); column left is left-aligned, the others right.
func writeTable(w *bufio.Writer, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], width(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			gap := strings.Repeat(" ", widths[i]-width(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if i == left {
				b.WriteString(cell + gap)
			} else {
				b.WriteString(gap + cell)
			}
		}
		w.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
}

// width is the number of terminal columns s takes.
func width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x1100:
			n++
		case unicode.Is(unicode.Han, r), r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF,
			r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
			r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x1F300 && r <= 0x1FAFF:
			n += 2
		default:
			n++
		}
	}
	return n
}
