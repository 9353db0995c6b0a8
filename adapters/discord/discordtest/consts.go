package discordtest

// Gateway intents the fake knows about (Discord's bit values).
const (
	IntentGuilds                = 1 << 0
	IntentGuildMembers          = 1 << 1
	IntentGuildMessages         = 1 << 9
	IntentGuildMessageReactions = 1 << 10
	IntentMessageContent        = 1 << 15

	// PrivilegedIntents must be allowed in the developer portal.
	PrivilegedIntents = IntentGuildMembers | IntentMessageContent | 1<<8
)

// Permission bits used by the fake.
const (
	PermAdministrator = 1 << 3
	PermManageGuild   = 1 << 5
	PermViewChannel   = 1 << 10
	PermSendMessages  = 1 << 11
	PermManageRoles   = 1 << 28
	permAll           = 1<<50 - 1
)

// Discord's error codes the fake answers with.
const (
	CodeUnknownChannel      = 10003
	CodeUnknownGuild        = 10004
	CodeUnknownMember       = 10007
	CodeUnknownRole         = 10011
	CodeUnknownWebhook      = 10015
	CodeUnknownInteraction  = 10062
	CodeAlreadyAcknowledged = 40060
	CodeMissingAccess       = 50001
	CodeCannotDM            = 50007
	CodeMissingPermissions  = 50013
	CodeInvalidFormBody     = 50035
)
