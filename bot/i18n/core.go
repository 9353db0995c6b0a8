package i18n

// coreTexts are the texts of the core's replies: check-in, points, levels,
// leaderboards, help, stats, goals and the weekly digest. Their keys carry
// no area prefix.
var coreTexts = map[string]text{
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
		"\n管理员：\n加分 @成员 数量 [原因] / 扣分 @成员 数量 [原因] — 调整积分（记入账本）\n统计 [7天|30天|本周|本月] — 群数据：日活、周活、留存、潜水、流失预警……\n目标 设置 指标 目标值 日期 / 目标 列表 / 目标 清除 指标 — 运营目标",
		"\nAdmins:\n/grant @member N [reason], /deduct @member N [reason] — adjust points (logged in the ledger)\n/stats [7d|30d|week|month] — the group's numbers: DAU, WAU, retention, silent members, churn risk…\n/goal set METRIC TARGET DATE, /goal list, /goal clear METRIC — dated goals",
	},
	// stats
	"stats.denied":  {"抱歉，只有管理员可以查看群数据。", "Sorry, only admins can see the group's stats."},
	"stats.usage":   {"用法：统计 [7天|30天|本周|本月]", "Usage: /stats [7d|30d|week|month]"},
	"stats.title":   {"📊 数据统计 · %[1]s（%[2]s 至 %[3]s），对比前 %[4]d 天", "📊 Stats · %[1]s (%[2]s – %[3]s) vs the %[4]d days before"},
	"period.days":   {"近 %d 天", "last %d days"},
	"period.week":   {"本周", "this week"},
	"period.month":  {"本月", "this month"},
	"stats.members": {"👥 成员 %[1]s %[2]s · 新增 %[3]d · 退出 %[4]d · 净增 %[5]s", "👥 Members %[1]s %[2]s · new %[3]d · left %[4]d · net %[5]s"},
	"stats.active":  {"🔥 日活 %[1]s %[2]s · 周活 %[3]s %[4]s · 月活 %[5]s %[6]s", "🔥 DAU %[1]s %[2]s · WAU %[3]s %[4]s · MAU %[5]s %[6]s"},
	"stats.sticky":  {"🧲 粘性（日活/月活）%[1]s %[2]s", "🧲 Stickiness (DAU/MAU) %[1]s %[2]s"},
	"stats.msgs":    {"💬 消息 %[1]s %[2]s · 人均 %[3]s 条", "💬 Messages %[1]s %[2]s · %[3]s per active member"},
	"stats.inter":   {"🤝 互动率 %[1]s %[2]s", "🤝 Interaction rate %[1]s %[2]s"},
	"stats.growth":  {"🌱 新人激活 %[1]s · 🔁 周留存 %[2]s %[3]s", "🌱 Activation %[1]s · 🔁 Week-over-week retention %[2]s %[3]s"},
	"stats.silent":  {"😶 潜水 %[1]s（%[2]s）· ⚠️ 流失预警 %[3]s", "😶 Silent %[1]s (%[2]s) · ⚠️ Churn risk %[3]s"},
	"stats.checkin": {"✅ 签到率 %[1]s %[2]s", "✅ Check-in rate %[1]s %[2]s"},
	"change.new":    {"（新）", "(new)"},
	"pt":            {"个百分点", "pt"},

	// goals
	"goal.denied":   {"抱歉，只有管理员可以设置目标。", "Sorry, only admins can manage goals."},
	"goal.usage":    {"用法：目标 设置 指标 目标值 截止日期（如：目标 设置 周活 200 2026-12-31）；目标 列表；目标 清除 指标", "Usage: /goal set METRIC TARGET DEADLINE (e.g. /goal set wau 200 2026-12-31), /goal list, /goal clear METRIC"},
	"goal.metric":   {"不认识指标「%[1]s」。可用：%[2]s", "I don't know the metric %[1]q. Known: %[2]s"},
	"goal.target":   {"「%s」不是有效的目标值（比例可写 40%% 或 0.4）。", "%q is not a valid target (shares can be written 40%% or 0.4)."},
	"goal.deadline": {"截止日期「%[1]s」无效：请写一个今天（%[2]s）之后的日期，如 2026-12-31。", "Deadline %[1]q is not valid: give a date after today (%[2]s), like 2026-12-31."},
	"goal.set":      {"🎯 已设置目标：%[1]s 在 %[3]s 前达到 %[2]s。", "🎯 Goal set: %[1]s to reach %[2]s by %[3]s."},
	"goal.cleared":  {"已清除 %s 的目标。", "Goal for %s cleared."},
	"goal.none":     {"%s 没有设置目标。", "There is no goal for %s."},
	"goal.empty":    {"还没有目标。管理员可以用「目标 设置 周活 200 2026-12-31」设置一个。", "No goals yet. Admins can set one: /goal set wau 200 2026-12-31"},
	"goal.line":     {"🎯 %[1]s %[2]s / %[3]s（%[4]s）截止 %[5]s：%[6]s", "🎯 %[1]s %[2]s / %[3]s (%[4]s) by %[5]s: %[6]s"},
	"goal.reached":  {"已达成 ✅", "reached ✅"},
	"goal.overdue":  {"已过期未达成", "deadline passed, not reached"},
	"goal.pace":     {"每周还需 %s", "%s per week needed"},
	"goal.list":     {"🎯 目标（按近 7 天计）：", "🎯 Goals (over the last 7 days):"},

	// digest
	"digest.title":      {"📰 周报 · %[1]s（%[2]s 至 %[3]s）", "📰 Weekly digest · %[1]s (%[2]s – %[3]s)"},
	"digest.kpis":       {"本周数据（对比上周）：", "This week (vs last week):"},
	"digest.kpi":        {"· %[1]s %[2]s（上周 %[3]s）%[4]s", "· %[1]s %[2]s (last week %[3]s) %[4]s"},
	"digest.top":        {"🏅 本周发言最多：", "🏅 Top contributors:"},
	"digest.topline":    {"%[1]d. %[2]s — %[3]d 条", "%[1]d. %[2]s — messages: %[3]d"},
	"digest.welcome":    {"👋 欢迎新成员：%s", "👋 Welcome to our new members: %s"},
	"digest.andmore":    {"等 %d 人", "and %d more"},
	"digest.levelups":   {"⬆️ 本周升级：%s", "⬆️ Levelled up this week: %s"},
	"digest.levelup":    {"%[1]s（%[2]d 级）", "%[1]s (level %[2]d)"},
	"digest.streaks":    {"🔥 签到之星：%s", "🔥 Check-in stars: %s"},
	"digest.streak":     {"%[1]s（本周 %[2]d 天，连续 %[3]d 天）", "%[1]s (%[2]d/7 days, streak %[3]d)"},
	"digest.streakweek": {"%[1]s（本周 %[2]d 天）", "%[1]s (%[2]d/7 days)"},
	"digest.goals":      {"🎯 目标进度：", "🎯 Goals:"},
	"digest.quiet":      {"本周群里很安静，下周见！", "A quiet week. See you next week!"},
	"digest.private":    {"🔒 仅群主可见：", "🔒 For owners only:"},
	"digest.segments":   {"用户分层：新人 %[1]d · 核心 %[2]d · 活跃 %[3]d · 偶尔 %[4]d · 潜水 %[5]d · 流失预警 %[6]d", "Segments: new %[1]d · core %[2]d · active %[3]d · casual %[4]d · silent %[5]d · at risk %[6]d"},
	"digest.atrisk":     {"⚠️ 流失预警（之前常来，最近 14 天没出现）：%s", "⚠️ Churn risk (used to come, gone 14 days): %s"},
	"digest.silentlist": {"😶 潜水（30 天无活动）：%s", "😶 Silent (no activity in 30 days): %s"},
	"digest.nobody":     {"无", "nobody"},
	"digest.chart":      {"📈 附图：%s每日活跃成员与消息数", "📈 Chart: daily active members and messages, %s"},
	"digest.chartweeks": {"近 %d 周", "last %d weeks"},
	"digest.chartweek":  {"本周", "this week"},

	// metric names
	"m.members": {"成员", "members"}, "m.dau": {"日活", "DAU"}, "m.wau": {"周活", "WAU"}, "m.mau": {"月活", "MAU"},
	"m.stickiness": {"粘性", "stickiness"}, "m.messages": {"消息", "messages"}, "m.messages_per_active": {"人均消息", "messages per active member"},
	"m.interaction_rate": {"互动率", "interaction rate"}, "m.new_members": {"新增成员", "new members"}, "m.left_members": {"退出成员", "members who left"},
	"m.net_members": {"净增成员", "net members"}, "m.activation": {"新人激活率", "activation"}, "m.retention_wow": {"周留存", "week-over-week retention"},
	"m.silent_members": {"潜水成员", "silent members"}, "m.silent_ratio": {"潜水率", "silent ratio"}, "m.churn_risk": {"流失预警", "churn risk"},
	"m.checkin_rate": {"签到率", "check-in rate"},

	"unknown": {"没有「%s」这个指令，发送「帮助」查看全部指令。", "There's no command %s; /help lists them."},
}
