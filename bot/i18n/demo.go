package i18n

// demoTexts are the fixed lines of the demo's report (pulse demo).
var demoTexts = map[string]text{
	"title":     {"Pulse 演示：一个模拟的社群", "Pulse demo: a simulated community"},
	"group":     {"群 %s · %s · 时区 %s", "Group %s · %s · time zone %s"},
	"community": {"%d 名成员（%d 位管理员，2 个机器人），共 %d 周：%s 至 %s", "%d members (%d admins, 2 bots) over %d weeks: %s – %s"},
	"ingested": {
		"共处理 %d 个事件：%d 条消息，%d 次签到，%d 次补签，%d 个表情回应，%d 人入群，%d 人退群",
		"Ingested %d events: %d messages, %d check-ins, %d make-ups, %d reactions, %d joins, %d leaves",
	},
	"timing":  {"耗时：%s（每秒 %d 个事件）", "Time taken: %s (%d events/s)"},
	"lang.en": {"英文", "English"},
	"lang.zh": {"中文", "Chinese"},

	"members":         {"成员看到的", "What members see"},
	"members.checkin": {"%s 的第一个签到：", "The first check-in of %s:"},
	"members.levelup": {"升级，在群里公告：", "A level-up, announced in the group:"},
	"members.makeup":  {"补签漏掉的一天：", "A make-up check-in (补签) for a missed day:"},
	"members.refused": {"不是管理员的成员想加分：", "A member who is not an admin tries to grant points:"},
	"members.lastday": {"最后一天的提问：", "Asked on the last day:"},

	"admins":       {"管理员看到的", "What admins see"},
	"admins.grant": {"管理员给欢迎新人最多的成员加分：", "An admin thanks the member who welcomed the most newcomers:"},
	"admins.spam": {
		"刷屏拿不到经验：%[1]s 在 %[3]d 秒内把同一段话发了 %[2]d 遍；发第一遍后经验 %[4]d，最后一遍后仍是 %[5]d。",
		"Spam earns nothing: %s posted the same text %d times in %d seconds; XP after the first copy %d, after the last %d.",
	},
	"admins.table": {"成员经验榜（在群 %[2]d 人中的前 %[1]d 名）：", "Members by XP (top %d of %d present):"},
	"admins.stats": {"管理员设定目标，并查看群数据（仅自己可见）：", "An admin sets a goal and asks for the numbers, privately:"},
	"col.name":     {"成员", "name"},
	"col.level":    {"等级", "level"},
	"col.xp":       {"经验", "XP"},
	"col.points":   {"积分", "points"},
	"col.streak":   {"连续签到", "streak"},
	"col.checkins": {"累计签到", "check-ins"},
	"col.messages": {"发言", "messages"},

	"owners":          {"群主看到的", "What owners see"},
	"owners.present":  {"在群成员：%d 人，其中 %d 人潜水（近 30 天没有发言或签到）", "Members present: %d, of whom %d silent (no message or check-in in the last 30 days)"},
	"owners.growth":   {"%d 周内：入群 %d 人，退群 %d 人，净增 %+d", "Over %d weeks: %d joined, %d left, net %+d"},
	"owners.checkins": {"%s 签到 %d 人（占在群成员的 %d%%）", "Checked in on %s: %d (%d%% of members present)"},
	"owners.streak":   {"当前最长连续签到：%s（%s）", "Longest current streak: %s (%s)"},
	"owners.nostreak": {"当前最长连续签到：无", "Longest current streak: none"},
	"owners.digest": {
		"周一的周报（%s）连同图表（%d KB 的 PNG）发在群里；群主私下收到完整版，含不公开的名单：",
		"Monday's weekly digest (%s) is posted in the group with its chart (%d KB PNG); owners get it privately with the lists that are not posted:",
	},
}
