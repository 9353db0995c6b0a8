package i18n

// wechatTexts answer the WeChat adapter's own commands (认领, 合并) and
// extend the core's help with them.
var wechatTexts = map[string]text{
	"help.member": {"\n认领 旧昵称 — 改名后找回自己原来的记录", "\n/claim OLDNAME — take back your record after a rename"},
	"help.admin":  {"\n合并 旧昵称 新昵称 — 把改名成员的旧记录合并到新昵称", "\n/merge OLD NEW — join a renamed member's old record to their new name"},
	"claim.usage": {
		"用法：认领 旧昵称 —— 把你改名前的记录（积分、等级、签到）找回到现在的你名下。",
		"Usage: /claim OLDNAME — moves the record you had under your old name (points, level, check-ins) to you.",
	},
	"claim.none": {
		"没有找到可以认领的「%s」的记录（正在群里的成员和已退群的成员不能被认领；请管理员使用 合并）。",
		"No record named \"%s\" can be claimed (members who are in the group now or who left cannot be claimed; ask an admin to /merge).",
	},
	"claim.self":      {"「%s」就是你现在的记录。", "\"%s\" is already your record."},
	"claim.ambiguous": {"有多条叫「%s」的记录：%s。请用编号认领，例如：认领 %s", "Several records are named \"%s\": %s. Claim one by its id, e.g. /claim %s"},
	"claim.ok":        {"✅ %s 已认领之前「%s」的记录（编号 %s），积分和等级都在。", "✅ %s now has the record of \"%s\" (id %s) back, with its points and level."},
	"merge.usage":     {"用法：合并 旧昵称 新昵称 —— 把改名成员的旧记录合并到他现在的身份（仅管理员）。", "Usage: /merge OLDNAME NEWNAME — gives a renamed member their old record (admins only)."},
	"merge.denied":    {"只有管理员可以合并成员记录。", "Only admins can merge member records."},
	"merge.nolive":    {"群里没有找到现在叫「%s」的成员。", "Nobody in the group is called \"%s\" now."},
	"merge.manylive":  {"群里有多位成员叫「%s」，请先让他们设置不同的群昵称。", "Several members are called \"%s\"; ask them to set different group nicknames first."},
	"merge.none":      {"没有找到「%s」的旧记录。", "No old record named \"%s\"."},
	"merge.present":   {"「%s」的记录属于一位正在群里的成员，不能合并。", "The record \"%s\" belongs to a member who is in the group now; it cannot be merged."},
	"merge.ok":        {"✅ 已把「%s」（编号 %s）的记录合并给 %s。", "✅ The record of \"%s\" (id %s) now belongs to %s."},
	"ambiguous.hint": {
		"提示：群里有多位成员叫「%s」，Pulse 无法分辨你们的历史记录。请设置不同的群昵称，然后用 认领 找回旧记录。",
		"Note: several members are called \"%s\", so Pulse cannot tell your histories apart. Please set different group nicknames, then /claim your old record.",
	},
}
