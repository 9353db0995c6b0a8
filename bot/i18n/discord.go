package i18n

// discordTexts are what the Discord adapter itself says (errors, server
// checks, reward roles); the core's texts come with its replies.
var discordTexts = map[string]text{
	"error":        {"⚠️ 出了点问题，请稍后再试。", "⚠️ Something went wrong; please try again in a moment."},
	"done":         {"👌", "👌"},
	"guild.only":   {"Pulse 只在服务器里工作。", "Pulse works in servers, not in direct messages."},
	"not.served":   {"Pulse 没有在这个服务器启用。", "Pulse is not enabled in this server."},
	"unknown":      {"Pulse 不认识这个指令。", "Pulse doesn't know this command."},
	"roles.denied": {"抱歉，只有管理员可以同步身份组。", "Sorry, only admins can re-sync the reward roles."},
	"roles.none": {
		"本服务器没有设置等级奖励身份组（discord.guild_settings 里的 role_rewards）。",
		"This server has no level reward roles (role_rewards under discord.guild_settings).",
	},
	"roles.empty": {"还没有成员数据，没有需要同步的身份组。", "No members recorded yet: nothing to sync."},
	"roles.done": {
		"🔄 已按等级同步身份组：检查 %[1]d 名成员，添加 %[2]d 个、移除 %[3]d 个身份组，失败 %[4]d 个。",
		"🔄 Reward roles re-synced from levels: %[1]d members checked, %[2]d roles added, %[3]d removed, %[4]d failed.",
	},
	"role.forbidden": {
		"⚠️ Pulse 无法把身份组 <@&%[1]s>（%[2]d 级奖励）给 <@%[3]s>：Discord 拒绝了（缺少权限）。请给 Pulse 的身份组开启「管理身份组」权限，并在 服务器设置 → 身份组 里把它拖到奖励身份组之上。",
		"⚠️ Pulse couldn't give the role <@&%[1]s> (level %[2]d reward) to <@%[3]s>: Discord refused (Missing Permissions). Give Pulse's role the Manage Roles permission and drag it above the reward roles in Server Settings → Roles.",
	},
	"role.unknown": {
		"⚠️ %[2]d 级的奖励身份组 %[1]s 在本服务器不存在，请检查 discord.guild_settings 里的 role_rewards。",
		"⚠️ The level %[2]d reward role %[1]s does not exist in this server; check role_rewards under discord.guild_settings.",
	},
	"role.failed": {
		"⚠️ Pulse 无法调整 <@%[3]s> 的身份组 <@&%[1]s>（%[2]d 级奖励）：%[4]s",
		"⚠️ Pulse couldn't change the role <@&%[1]s> (level %[2]d reward) of <@%[3]s>: %[4]s",
	},
}
