// Package i18n holds every user-facing text of Pulse in Chinese and
// English. A group's locale picks one; unknown locales read English.
//
// The catalog is one map, written as one table per area (core.go,
// discord.go, wechat.go, demo.go, chart.go). The core's keys are bare; every
// other area's keys carry its prefix ("discord.roles.none").
package i18n

import "fmt"

// Locales Pulse speaks.
const (
	Zh = "zh"
	En = "en"
)

// Valid reports whether locale is one Pulse speaks.
func Valid(locale string) bool { return locale == Zh || locale == En }

// text is one entry of the catalog, in both languages.
type text struct{ zh, en string }

// area is one part of the catalog: its texts and the prefix of their keys.
type area struct {
	prefix string
	texts  map[string]text
}

// areas lists every part of the catalog.
var areas = []area{
	{"", coreTexts},
	{"discord.", discordTexts},
	{"wechat.", wechatTexts},
	{"demo.", demoTexts},
	{"chart.", chartTexts},
}

var catalog = merge(areas)

// merge joins the areas into one map of full keys. A key defined twice
// keeps its first text; TestCatalogAreas fails on it.
func merge(areas []area) map[string]text {
	n := 0
	for _, a := range areas {
		n += len(a.texts)
	}
	m := make(map[string]text, n)
	for _, a := range areas {
		for k, t := range a.texts {
			if _, dup := m[a.prefix+k]; !dup {
				m[a.prefix+k] = t
			}
		}
	}
	return m
}

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
