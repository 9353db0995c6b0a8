package bot

import "github.com/pulsebot/pulse/bot/i18n"

func ordinal(locale string, n int64) string { return i18n.Ordinal(locale, n) }

func barOf(into, span int64) string { return i18n.Bar(into, span, 10) }

func (c *call) days(n int64) string { return i18n.Days(c.loc, n) }
