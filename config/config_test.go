package config

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestDefault(t *testing.T) {
	c := Default()
	if c.DB != "pulse.db" || c.Log != (LogConfig{Level: "info", Format: "text"}) {
		t.Errorf("db/log = %q %+v", c.DB, c.Log)
	}
	if c.Console.Group != "demo" || c.Console.Enabled {
		t.Errorf("console = %+v", c.Console)
	}
	if c.Defaults.DedupDays != 14 || c.Defaults.Locale != "" || c.Defaults.Timezone != "" {
		t.Errorf("defaults = %+v", c.Defaults)
	}
	if c.Groups == nil || len(c.Groups) != 0 {
		t.Errorf("groups = %#v, want empty map", c.Groups)
	}
	if pr := checkGroup(c.Defaults, nil); len(pr) != 0 {
		t.Errorf("defaults do not validate: %v", pr)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"empty", ""},
		{"blank lines", "\n\n  \n"},
		{"comments only", "# nothing configured\n# yet\n"},
		{"empty document", "---\n"},
		{"null", "~\n"},
		{"empty sections", "log:\ndefaults:\ngroups:\nconsole:\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.src), "empty.yaml")
			if err != nil {
				t.Fatal(err)
			}
			sameConfig(t, c, Default())
			if g := c.Group("console/demo"); g.Locale != "en" || g.Timezone != "UTC" || g.DedupDays != 14 {
				t.Errorf("console/demo = %+v", g)
			}
		})
	}
}

func TestOverlay(t *testing.T) {
	c, err := Load("testdata/overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wantDefaults := clone(c.Defaults)
	defaultTitles := defaultGrowth().Levels.Titles
	for _, tc := range []struct {
		key            string
		locale, tz     string
		admins, owners []string
		xpMin, xpMax   int
		milestones     map[int]int
		titles         []Title
	}{
		{"discord/1", "en", "Europe/Berlin", []string{"alice"}, nil, 20, 30, map[int]int{7: 20, 30: 100}, defaultTitles},
		{"discord/2", "zh", "Europe/Berlin", []string{"root"}, nil, 15, 30, map[int]int{3: 5},
			[]Title{{From: 0, Zh: "萌新", En: "Newbie"}}},
		{"wechat/读书会", "zh", "Europe/Berlin", []string{"root"}, []string{"olivia"}, 15, 30, map[int]int{7: 20, 30: 100}, defaultTitles},
		{"telegram/empty", "en", "Europe/Berlin", []string{"root"}, nil, 15, 30, map[int]int{7: 20, 30: 100}, defaultTitles},
		{"slack/unlisted", "en", "Europe/Berlin", []string{"root"}, nil, 15, 30, map[int]int{7: 20, 30: 100}, defaultTitles},
	} {
		t.Run(tc.key, func(t *testing.T) {
			g := c.Group(tc.key)
			if g.Locale != tc.locale || g.Timezone != tc.tz {
				t.Errorf("locale, timezone = %q, %q; want %q, %q", g.Locale, g.Timezone, tc.locale, tc.tz)
			}
			if !slices.Equal(g.Admins, tc.admins) || !slices.Equal(g.Owners, tc.owners) {
				t.Errorf("admins, owners = %q, %q; want %q, %q", g.Admins, g.Owners, tc.admins, tc.owners)
			}
			if g.XP.Min != tc.xpMin || g.XP.Max != tc.xpMax {
				t.Errorf("xp = %d..%d, want %d..%d", g.XP.Min, g.XP.Max, tc.xpMin, tc.xpMax)
			}
			// Options nobody set keep their defaults.
			if g.XP.Cooldown != time.Minute || g.DedupDays != 14 || g.Checkin.Points != 10 || g.Levels.Curve != "mee6" {
				t.Errorf("unset options changed: cooldown %v, dedup_days %d, checkin.points %d, curve %q",
					g.XP.Cooldown, g.DedupDays, g.Checkin.Points, g.Levels.Curve)
			}
			if !reflect.DeepEqual(g.Checkin.Milestones, tc.milestones) {
				t.Errorf("milestones = %v, want %v", g.Checkin.Milestones, tc.milestones)
			}
			if !reflect.DeepEqual(g.Levels.Titles, tc.titles) {
				t.Errorf("titles = %v, want %v", g.Levels.Titles, tc.titles)
			}
			// Scribbling on the result changes neither Defaults nor the
			// next result.
			before := c.Group(tc.key)
			g.Admins[0] = "mallory"
			g.Checkin.Milestones[99] = 1
			g.Levels.Titles[0].En = "scribbled"
			if !reflect.DeepEqual(c.Defaults, wantDefaults) {
				t.Errorf("Defaults changed to %+v", c.Defaults)
			}
			if again := c.Group(tc.key); !reflect.DeepEqual(again, before) {
				t.Errorf("second Group = %+v, want %+v", again, before)
			}
		})
	}
	// Groups holds each listed group over the defaults, before platform
	// defaults.
	if g, ok := c.Groups["discord/1"]; !ok || g.XP.Min != 20 || g.XP.Max != 30 || g.Locale != "" {
		t.Errorf(`Groups["discord/1"] = %+v, %v`, g, ok)
	}
	if len(c.Groups) != 4 {
		t.Errorf("Groups has %d entries, want 4", len(c.Groups))
	}
}

func TestGroupPlatformDefaults(t *testing.T) {
	for _, tc := range []struct {
		src, key   string
		locale, tz string
	}{
		{"", "wechat/读书会", "zh", "Asia/Shanghai"},
		{"", "discord/1234", "en", "UTC"},
		{"", "console/demo", "en", "UTC"},
		{"", "telegram/-100", "en", "UTC"},
		{"", "wechatwork/x", "en", "UTC"},
		{"", "wechat", "zh", "Asia/Shanghai"},
		{"defaults: {locale: en}", "wechat/a", "en", "Asia/Shanghai"},
		{"defaults: {timezone: Europe/Paris}", "wechat/a", "zh", "Europe/Paris"},
		{"defaults: {locale: zh, timezone: Asia/Tokyo}", "discord/1", "zh", "Asia/Tokyo"},
		{"groups: {wechat/a: {timezone: UTC}}", "wechat/a", "zh", "UTC"},
		{"groups: {discord/1: {locale: zh}}", "discord/1", "zh", "UTC"},
		{"groups: {discord/1: {locale: zh}}", "discord/2", "en", "UTC"},
	} {
		t.Run(tc.key+" "+tc.src, func(t *testing.T) {
			c, err := Parse([]byte(tc.src), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			g := c.Group(tc.key)
			if g.Locale != tc.locale || g.Timezone != tc.tz {
				t.Errorf("locale, timezone = %q, %q; want %q, %q", g.Locale, g.Timezone, tc.locale, tc.tz)
			}
			if loc := g.Location(); loc.String() != tc.tz {
				t.Errorf("Location = %v, want %v", loc, tc.tz)
			}
		})
	}
}

// A Config built in Go, without YAML nodes: a group's non-zero fields
// override the defaults.
func TestGroupBuiltInGo(t *testing.T) {
	c := Default()
	c.Groups["console/demo"] = GroupConfig{Locale: "zh", Admins: []string{"alice"}, Growth: Growth{XP: XPConfig{Max: 40}}}
	g := c.Group("console/demo")
	if g.Locale != "zh" || g.Timezone != "UTC" || !slices.Equal(g.Admins, []string{"alice"}) {
		t.Errorf("group = %+v", g)
	}
	if g.XP.Max != 40 || g.XP.Min != 15 || g.DedupDays != 14 || g.Checkin.Points != 10 {
		t.Errorf("growth = %+v, dedup_days %d", g.Growth, g.DedupDays)
	}
	g.Admins[0] = "mallory"
	if c.Groups["console/demo"].Admins[0] != "alice" {
		t.Error("Group shares Admins with Groups")
	}
}

func TestMergeKeysAndAliases(t *testing.T) {
	src := `
groups:
  discord/1: &club
    locale: zh
    xp: {min: 5, max: 10}
  discord/2:
    <<: *club
    xp: {max: 50}
  discord/3: *club
`
	c, err := Parse([]byte(src), "merge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key          string
		xpMin, xpMax int
	}{
		{"discord/1", 5, 10},
		{"discord/2", 15, 50}, // YAML merges are shallow: xp is replaced, min comes from defaults
		{"discord/3", 5, 10},
	} {
		g := c.Group(tc.key)
		if g.Locale != "zh" || g.XP.Min != tc.xpMin || g.XP.Max != tc.xpMax {
			t.Errorf("%s: locale %q, xp %d..%d; want zh, %d..%d", tc.key, g.Locale, g.XP.Min, g.XP.Max, tc.xpMin, tc.xpMax)
		}
	}
}

// Ids written as numbers are read as the text written, not as numbers.
func TestTextKeepsItsSpelling(t *testing.T) {
	c, err := Parse([]byte("groups:\n  discord/1:\n    admins: [012, 1e3, 123456789012345678901, true, '~']\n    locale: ~\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g := c.Group("discord/1")
	if want := []string{"012", "1e3", "123456789012345678901", "true", "~"}; !slices.Equal(g.Admins, want) {
		t.Errorf("admins = %q, want %q", g.Admins, want)
	}
	if g.Locale != "en" {
		t.Errorf("locale = %q, want the platform's default", g.Locale)
	}
}

func TestGroupConcurrent(t *testing.T) {
	c, err := Load("testdata/overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan GroupConfig)
	for range 8 {
		go func() { done <- c.Group("discord/2") }()
	}
	for range 8 {
		if g := <-done; g.Locale != "zh" || g.XP.Max != 30 {
			t.Errorf("group = %+v", g)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestLocation(t *testing.T) {
	for _, tc := range []struct{ tz, want string }{
		{"", "UTC"},
		{"UTC", "UTC"},
		{"Asia/Shanghai", "Asia/Shanghai"},
		{"America/New_York", "America/New_York"},
		{"Mars/Base", "UTC"},
	} {
		if got := (GroupConfig{Timezone: tc.tz}).Location().String(); got != tc.want {
			t.Errorf("Location(%q) = %s, want %s", tc.tz, got, tc.want)
		}
	}
}

const example = "../config.example.yaml"

// Every option appears in the example, with a comment above it.
func TestExampleDocumentsEveryOption(t *testing.T) {
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node, typ reflect.Type, path string)
	walk = func(n *yaml.Node, typ reflect.Type, path string) {
		fields := fieldsOf(typ)
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			key, val := lookupKey(n, name)
			p := join(path, name)
			if key == nil {
				t.Errorf("%s: option %s is missing", example, p)
				continue
			}
			if key.HeadComment == "" && !strings.Contains(path, "[") {
				t.Errorf("%s:%d: option %s has no comment above it", example, key.Line, p)
			}
			ft := typ.FieldByIndex(fields[name]).Type
			switch {
			case ft.Kind() == reflect.Struct:
				walk(val, ft, p)
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				if len(val.Content) == 0 {
					t.Errorf("%s: %s has no example entry", example, p)
					continue
				}
				walk(val.Content[0], ft.Elem(), p+"[0]")
			}
		}
	}
	walk(doc.Content[0], configType, "")
}

func lookupKey(n *yaml.Node, name string) (key, val *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// sameConfig compares the exported settings of two configs, treating nil
// and empty lists and maps alike.
func sameConfig(t *testing.T, got, want *Config) {
	t.Helper()
	if !sameValue(reflect.ValueOf(*got), reflect.ValueOf(*want)) {
		t.Errorf("config\n%+v\nwant\n%+v", *got, *want)
	}
}

func sameValue(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !sameValue(it.Value(), bv) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}
