package i18n

import (
	"regexp"
	"strings"
	"testing"
)

// Every text exists in both languages and takes the same arguments.
func TestCatalogComplete(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[dsvq]`)
	for key, m := range catalog {
		// Chinese needs no preposition in "给 X 加了": the only empty text.
		if (m.zh == "" && key != "grant.prep.+" && key != "grant.prep.-") || m.en == "" {
			t.Errorf("%s: missing a language", key)
		}
		if len(verb.FindAllString(m.zh, -1)) == 0 != (len(verb.FindAllString(m.en, -1)) == 0) {
			t.Errorf("%s: zh and en take different arguments", key)
		}
	}
}

// Every area's keys land in the one catalog under the area's prefix, and no
// two areas define the same full key.
func TestCatalogAreas(t *testing.T) {
	n := 0
	for _, a := range areas {
		if len(a.texts) == 0 {
			t.Errorf("area %q is empty", a.prefix)
		}
		n += len(a.texts)
		for k, want := range a.texts {
			if got, ok := catalog[a.prefix+k]; !ok || got != want {
				t.Errorf("%s%s: catalog has %q, want %q", a.prefix, k, got, want)
			}
		}
	}
	if n != len(catalog) {
		t.Errorf("%d texts in the areas, %d in the catalog: a key is defined twice", n, len(catalog))
	}
	for k := range coreTexts {
		for _, a := range areas {
			if a.prefix != "" && strings.HasPrefix(k, a.prefix) {
				t.Errorf("core key %q looks like one of area %q", k, a.prefix)
			}
		}
	}
}

func TestT(t *testing.T) {
	for _, tc := range []struct {
		locale, key string
		args        []any
		want        string
	}{
		{Zh, "discord.done", nil, "👌"},
		{En, "discord.unknown", nil, "Pulse doesn't know this command."},
		{Zh, "unknown", []any{"/x"}, "没有「/x」这个指令，发送「帮助」查看全部指令。"},
		{"fr", "chart.title", nil, "Daily activity"},
		{Zh, "chart.title", nil, "每日活跃"},
		{En, "demo.owners.growth", []any{2, 5, 1, 4}, "Over 2 weeks: 5 joined, 1 left, net +4"},
		{En, "no.such.key", nil, "no.such.key"},
	} {
		if got := T(tc.locale, tc.key, tc.args...); got != tc.want {
			t.Errorf("T(%s, %s) = %q, want %q", tc.locale, tc.key, got, tc.want)
		}
	}
}
