// Package i18n holds every user-facing text of Pulse in Chinese and
// English. A group's locale picks one; unknown locales read English.
package i18n

import (
	"fmt"
	"strings"
)

// Locales Pulse speaks.
const (
	Zh = "zh"
	En = "en"
)

// Valid reports whether locale is one Pulse speaks.
func Valid(locale string) bool { return locale == Zh || locale == En }

// T formats the text key in locale with args (fmt verbs).
func T(locale, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	f := m.en
	if locale == Zh {
		f = m.zh
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// Keys lists every text key (for tests).
func Keys() []string {
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	return keys
}

// Ordinal renders "3rd" / "第3个".
func Ordinal(locale string, n int64) string {
	if locale == Zh {
		return fmt.Sprintf("第%d个", n)
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// Days renders a number of days: "1 day", "3 days", "3 天".
func Days(locale string, n int64) string {
	switch {
	case locale == Zh:
		return fmt.Sprintf("%d 天", n)
	case n == 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Points renders an amount of points: "1 point", "5 points", "5 积分".
func Points(locale string, n int64) string {
	switch {
	case locale == Zh:
		return fmt.Sprintf("%d 积分", n)
	case n == 1 || n == -1:
		return fmt.Sprintf("%d point", n)
	}
	return fmt.Sprintf("%d points", n)
}

// Bar draws a text progress bar of width cells.
func Bar(into, span int64, width int) string {
	if span <= 0 {
		return strings.Repeat("▓", width)
	}
	full := int(into * int64(width) / span)
	if full > width {
		full = width
	}
	if full < 0 {
		full = 0
	}
	return strings.Repeat("▓", full) + strings.Repeat("░", width-full)
}

type text struct{ zh, en string }

var catalog = map[string]text{
	// check-in
	"checkin.ok": {
		"✅ %[1]s 签到成功，今天%[2]s签到！+%[3]d 积分%[4]s，连续签到 %[5]s，积分余额 %[6]d。",
		"✅ %[1]s checked in, %[2]s today! +%[3]d points%[4]s, streak %[5]s, balance %[6]d.",
	},
	"checkin.bonus":   {"（含连续奖励 %d）", " (incl. %d streak bonus)"},
	"checkin.xp":      {" +%d 经验。", " +%d XP."},
	"checkin.already": {"😊 %[1]s 今天已经签到过了（%[2]s签到），连续 %[3]s。明天再来！", "😊 %[1]s, you already checked in today (%[2]s), streak %[3]s. See you tomorrow!"},
	"level.progress":  {"等级 %[1]d %[2]s %[3]d/%[4]d 经验，距 %[5]d 级还差 %[6]d", "Level %[1]d %[2]s %[3]d/%[4]d XP, %[6]d to level %[5]d"},
	"level.max":       {"等级 %[1]d（已满级）", "Level %[1]d (top level)"},
	"level.up":        {"🎉 恭喜 %[1]s 升到 %[2]d 级%[3]s！", "🎉 %[1]s reached level %[2]d%[3]s!"},
	"level.title":     {"，获得头衔「%s」", " — %s"},

	// make-up
	"makeup.ok":         {"🩹 %[1]s 补签 %[2]s 成功，花费 %[3]d 积分，余额 %[4]d，连续签到 %[5]s。", "🩹 %[1]s made up %[2]s for %[3]d points; balance %[4]d, streak %[5]s."},
	"makeup.disabled":   {"本群没有开启补签。", "Make-up check-ins are off in this group."},
	"makeup.baddate":    {"看不懂日期「%s」，请写成 2026-01-31 的格式，例如：补签 %s", "I can't read the date %q; write it like 2026-01-31, e.g. /makeup %s"},
	"makeup.future":     {"%[1]s 还没到，不能补签。", "%[1]s hasn't happened yet; you can't make it up."},
	"makeup.today":      {"今天不用补签，直接发「签到」就好。", "No need to make up today: just /checkin."},
	"makeup.window":     {"%[1]s 超出了补签期限（最多补 %[2]d 天内的）。", "%[1]s is too long ago: make-ups reach back %[2]d days."},
	"makeup.beforejoin": {"%[1]s 你还没加入本群（%[2]s 加入），不能补签。", "You weren't in the group yet on %[1]s (you joined %[2]s)."},
	"makeup.already":    {"%[1]s 已经签到过了，不用补签。", "You already checked in on %[1]s."},
	"makeup.poor":       {"补签需要 %[1]d 积分，你现在只有 %[2]d 积分。", "A make-up costs %[1]d points; you have %[2]d."},
	"makeup.nothing":    {"最近 %d 天没有可以补签的日子，继续保持！", "Nothing to make up in the last %d days. Keep it up!"},
	"makeup.usage":      {"用法：补签 [日期]，例如：补签 2026-01-31", "Usage: /makeup [date], e.g. /makeup 2026-01-31"},

	// grants
	"grant.ok":         {"✅ %[1]s 给 %[2]s %[3]s %[4]s（%[5]s），%[2]s 现在有 %[6]d 积分。", "✅ %[1]s %[3]s %[4]s %[7]s %[2]s (%[5]s); %[2]s now has %[6]d."},
	"grant.verb.+":     {"加了", "granted"},
	"grant.verb.-":     {"扣了", "deducted"},
	"grant.prep.+":     {"", "to"},
	"grant.prep.-":     {"", "from"},
	"grant.noreason":   {"无备注", "no reason given"},
	"grant.denied":     {"抱歉，只有管理员可以加分或扣分。", "Sorry, only admins can grant or deduct points."},
	"grant.usage":      {"用法：加分 @成员 数量 [原因]，扣分 @成员 数量 [原因]", "Usage: /grant @member N [reason] (N may be negative), /deduct @member N [reason]"},
	"grant.amount":     {"「%s」不是有效的积分数量（1 到 1000000 的整数）。", "%q is not a valid amount (a whole number from 1 to 1,000,000)."},
	"grant.negative":   {"%[1]s 只有 %[2]d 积分，不能扣 %[3]d 分（积分不能为负）。", "%[1]s has only %[2]d points; can't deduct %[3]d (balances never go negative)."},
	"member.unknown":   {"本群里找不到成员「%s」。", "I don't know a member %q in this group."},
	"member.ambiguous": {"「%[1]s」对应多个成员（%[2]s），请用 @ 指定。", "%[1]q matches several members (%[2]s); please @mention one."},
	"member.bot":       {"机器人不参与积分。", "Bots don't take part in points."},

	// me
	"me.header":   {"📇 %[1]s · %[2]d 级%[3]s", "📇 %[1]s · level %[2]d%[3]s"},
	"me.titlefmt": {"「%s」", " (%s)"},
	"me.body": {
		"积分 %[1]d · 经验 %[2]d · 群内排名第 %[3]d/%[4]d\n连续签到 %[5]s（最长 %[6]s）· 累计签到 %[7]d 天 · 发言 %[8]d 条",
		"Points %[1]d · XP %[2]d · rank #%[3]d of %[4]d\nStreak %[5]s (best %[6]s) · check-ins %[7]d · messages %[8]d",
	},

	// top
	"top.title":    {"🏆 %[1]s排行榜（%[2]s）", "🏆 Top %[1]s (%[2]s)"},
	"top.points":   {"积分", "points"},
	"top.xp":       {"经验", "XP"},
	"top.messages": {"发言", "messages"},
	"top.streak":   {"连续签到", "streaks"},
	"top.week":     {"本周", "this week"},
	"top.all":      {"总榜", "all time"},
	"top.line":     {"%[1]d. %[2]s — %[3]d", "%[1]d. %[2]s — %[3]d"},
	"top.you":      {"你：第 %[1]d 名 — %[2]d", "You: #%[1]d — %[2]d"},
	"top.empty":    {"还没有数据，快来发言和签到吧！", "Nothing here yet: chat and check in to get on the board!"},
	"top.usage":    {"用法：排行 [积分|经验|发言|连续] [本周|总榜]", "Usage: /top [points|xp|messages|streak] [week|all]"},

	// help
	"help.member": {
		"🤖 Pulse 指令：\n签到 / 打卡 — 每日签到，赚积分\n补签 [日期] — 补上最近 %[1]d 天内漏掉的签到（%[2]d 积分）\n我的 / 积分 / 等级 — 我的积分、等级和排名\n排行 [积分|经验|发言|连续] [本周|总榜] — 排行榜\n签到排行 — 连续签到排行\n帮助 — 显示本帮助",
		"🤖 Pulse commands:\n/checkin — daily check-in for points\n/makeup [date] — fill a missed day within %[1]d days (%[2]d points)\n/me — your points, level and rank\n/top [points|xp|messages|streak] [week|all] — leaderboards\n/help — this help",
	},
	"help.admin": {
		"\n管理员：\n加分 @成员 数量 [原因] / 扣分 @成员 数量 [原因] — 调整积分（记入账本）",
		"\nAdmins:\n/grant @member N [reason], /deduct @member N [reason] — adjust points (logged in the ledger)",
	},
	"unknown": {"没有「%s」这个指令，发送「帮助」查看全部指令。", "There's no command %s; /help lists them."},
}
