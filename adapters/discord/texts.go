package discord

import "github.com/pulsebot/pulse/bot/i18n"

// t formats one of the adapter's own texts (bot/i18n, under "discord.") in
// a locale; unknown locales read English.
func t(locale, key string, args ...any) string {
	return i18n.T(locale, "discord."+key, args...)
}
