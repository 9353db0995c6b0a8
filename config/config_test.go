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

	"github.com/pulsebot/pulse/bot/growth"
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
	if !reflect.DeepEqual(c.Defaults.Rules, growth.Default()) {
		t.Errorf("defaults rules = %+v, want growth.Default()", c.Defaults.Rules)
	}
	if c.Groups == nil || len(c.Groups) != 0 {
		t.Errorf("groups = %#v, want empty map", c.Groups)
	}
	if pr := checkGroup(c.Defaults); len(pr) != 0 {
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
	defaultTitles := growth.Default().Levels.Titles
	for _, tc := range []struct {
		key            string
		locale, tz     string
		admins, owners []string
		xpMin, xpMax   int
		milestones     map[int]int
		titles         []growth.Title
	}{
		{"discord/1", "en", "Europe/Berlin", []string{"alice"}, nil, 20, 30, map[int]int{7: 20, 30: 100}, defaultTitles},
		{"discord/2", "zh", "Europe/Berlin", []string{"root"}, nil, 15, 30, map[int]int{3: 5},
			[]growth.Title{{From: 0, Zh: "萌新", En: "Newbie"}}},
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
	c.Groups["console/demo"] = GroupConfig{Locale: "zh", Admins: []string{"alice"}, Rules: growth.Rules{XP: growth.XPRules{Max: 40}}}
	g := c.Group("console/demo")
	if g.Locale != "zh" || g.Timezone != "UTC" || !slices.Equal(g.Admins, []string{"alice"}) {
		t.Errorf("group = %+v", g)
	}
	if g.XP.Max != 40 || g.XP.Min != 15 || g.DedupDays != 14 || g.Checkin.Points != 10 {
		t.Errorf("rules = %+v, dedup_days %d", g.Rules, g.DedupDays)
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

// TestBadFiles loads each file in testdata/bad, whose "# want: " lines list
// the expected errors, in order, each a prefix of one line of the error.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal("no test files", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for line := range strings.Lines(string(data)) {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					want = append(want, strings.TrimSpace(w))
				}
			}
			c, err := Load(file)
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			if c != nil {
				t.Error("config returned with an error")
			}
			checkLines(t, err, want)
		})
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // prefixes of the error's lines, in order
	}{
		{"not yaml on line 1", "a: b: c\n",
			[]string{"t.yaml:1: invalid YAML: mapping values are not allowed in this context"}},
		{"unclosed list", "db: x\nlog: {level: [info\n",
			[]string{"t.yaml:2: invalid YAML: did not find expected ',' or ']'"}},
		{"bad indent", "defaults:\n  locale: zh\n  timezone: UTC\n bad: x\n",
			[]string{"t.yaml:4: invalid YAML: did not find expected key"}},
		{"tab indent", "log:\n\tlevel: info\n",
			[]string{"t.yaml:2: invalid YAML: found character that cannot start any token (tabs cannot indent YAML; use spaces)"}},
		{"unknown anchor", "db: x\nlog: *nope\n",
			[]string{"t.yaml:2: invalid YAML: unknown anchor 'nope' referenced"}},
		{"two documents", "db: a\n---\ndb: b\n",
			[]string{"t.yaml:2: a second YAML document"}},
		{"top not a mapping", "- db\n",
			[]string{"t.yaml:1: expected options (name: value) at the top of the file, found a list"}},
		{"section not a mapping", "log: debug\n",
			[]string{`t.yaml:1: option log: expected a section of options (name: value), found "debug"`}},
		{"scalar expected", "defaults:\n  locale: [zh]\n",
			[]string{"t.yaml:2: option defaults.locale: expected a single value, found a list"}},
		{"empty value", "defaults:\n  dedup_days:\n",
			[]string{"t.yaml:2: option defaults.dedup_days: no value given; expected a whole number"}},
		{"duration without unit", "defaults:\n  xp:\n    cooldown: 60\n",
			[]string{`t.yaml:3: option defaults.xp.cooldown: cannot read "60" as a duration`}},
		{"bad milestone key", "defaults:\n  checkin:\n    milestones: {week: 20}\n",
			[]string{`t.yaml:3: option defaults.checkin.milestones: cannot read key "week" as a whole number`}},
		{"unknown option in a list entry", "defaults:\n  levels:\n    titles:\n      - {from: 0, zh: a, en: b, fr: c}\n",
			[]string{`t.yaml:4: unknown option "fr" (in defaults.levels.titles[0])`}},
		{"misspelt in a case", "defaults:\n  Locale: zh\n",
			[]string{`t.yaml:2: unknown option "Locale" (in defaults); did you mean "locale"?`}},
		{"dedup_days range", "defaults:\n  dedup_days: 0\ngroups:\n  discord/1:\n    dedup_days: 366\n",
			[]string{"t.yaml:2: defaults.dedup_days must be between 1 and 365, not 0",
				`t.yaml:5: groups."discord/1".dedup_days must be between 1 and 365, not 366`}},
		{"bad default time zone", "defaults:\n  timezone: Asia/Beijing\n",
			[]string{`t.yaml:2: defaults.timezone: unknown time zone "Asia/Beijing"`}},
		{"growth in inherited options", "defaults:\n  xp: {min: 10}\ngroups:\n  discord/1:\n    locale: en\n    xp: {max: 5}\n",
			[]string{`t.yaml:6: groups."discord/1".xp.min must be ≥ 0 and xp.max ≥ xp.min`}},
		{"growth without the option set", "groups:\n  discord/1:\n    levels: {curve: linear, linear_step: 0}\n",
			[]string{`t.yaml:3: groups."discord/1".levels.linear_step must be ≥ 1 with curve: linear`}},
		{"log level", "log:\n  level: verbose\n",
			[]string{`t.yaml:2: log.level: "verbose" is not one of debug, info, warn, error`}},
		{"empty names", "db: ''\nconsole: {group: ''}\ndefaults: {admins: ['']}\n",
			[]string{"t.yaml:1: db must name the database file",
				"t.yaml:2: console.group must not be empty",
				"t.yaml:3: defaults.admins: entry 1 is empty"}},
		{"duplicate group", "groups:\n  discord/1: {}\n  discord/1: {}\n",
			[]string{`t.yaml:3: groups."discord/1" is given twice (first on line 2)`}},
		{"alias cycle", "defaults: &d\n  <<: *d\n",
			[]string{"t.yaml:2: defaults: alias *d refers to a value that contains it"}},
		{"several problems, by line", "console:\n  enabled: 2\nlog:\n  format: xml\ndb: 5\nfoo: bar\n",
			[]string{`t.yaml:2: option console.enabled: cannot read "2" as true or false`,
				`t.yaml:4: log.format: "xml" is not one of text, json`,
				`t.yaml:6: unknown option "foo"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.src), "t.yaml")
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			checkLines(t, err, tc.want)
		})
	}
}

func TestEnv(t *testing.T) {
	t.Setenv("PULSE_TEST_DB", "/var/lib/pulse.db")
	t.Setenv("PULSE_TEST_EMPTY", "")
	t.Setenv("PULSE_TEST_DAYS", "30")
	t.Setenv("PULSE_TEST_TRUE", "true")
	t.Setenv("PULSE_TEST_SECRET", "hunter2")
	t.Setenv("PULSE_TEST_INJECT", "x\nlog: {level: debug}\n- [")
	t.Setenv("PULSE_TEST_UNSET", "")
	os.Unsetenv("PULSE_TEST_UNSET")

	for _, tc := range []struct {
		name, src string
		check     func(*Config) bool
	}{
		{"plain", "db: ${PULSE_TEST_DB}", func(c *Config) bool { return c.DB == "/var/lib/pulse.db" }},
		{"quoted, in text", `db: "data:${PULSE_TEST_DB}:end"`, func(c *Config) bool { return c.DB == "data:/var/lib/pulse.db:end" }},
		{"fallback when unset", "db: ${PULSE_TEST_UNSET:-fallback.db}", func(c *Config) bool { return c.DB == "fallback.db" }},
		{"fallback when empty", "db: ${PULSE_TEST_EMPTY:-fallback.db}", func(c *Config) bool { return c.DB == "fallback.db" }},
		{"set wins over fallback", "db: ${PULSE_TEST_DB:-fallback.db}", func(c *Config) bool { return c.DB == "/var/lib/pulse.db" }},
		{"empty fallback", "defaults:\n  locale: ${PULSE_TEST_UNSET:-}", func(c *Config) bool { return c.Defaults.Locale == "" }},
		{"literal", "db: $${PULSE_TEST_DB}.db", func(c *Config) bool { return c.DB == "${PULSE_TEST_DB}.db" }},
		{"dollar alone", "db: $HOME/a$b.db", func(c *Config) bool { return c.DB == "$HOME/a$b.db" }},
		{"number", "defaults:\n  dedup_days: ${PULSE_TEST_DAYS}", func(c *Config) bool { return c.Defaults.DedupDays == 30 }},
		{"quoted number", `defaults: {dedup_days: "${PULSE_TEST_DAYS}"}`, func(c *Config) bool { return c.Defaults.DedupDays == 30 }},
		{"bool", "console:\n  enabled: ${PULSE_TEST_TRUE}", func(c *Config) bool { return c.Console.Enabled }},
		{"in a list", `console: {admins: ["${PULSE_TEST_SECRET}", bob]}`, func(c *Config) bool {
			return slices.Equal(c.Console.Admins, []string{"hunter2", "bob"})
		}},
		{"in a group", "groups:\n  discord/1:\n    owners: [\"${PULSE_TEST_SECRET}\"]", func(c *Config) bool {
			return slices.Equal(c.Group("discord/1").Owners, []string{"hunter2"})
		}},
		{"no YAML injection", "db: ${PULSE_TEST_INJECT}", func(c *Config) bool {
			return c.DB == "x\nlog: {level: debug}\n- [" && c.Log.Level == "info"
		}},
		{"not in comments", "# ${PULSE_TEST_UNSET}\ndb: a.db # ${PULSE_TEST_UNSET}", func(c *Config) bool { return c.DB == "a.db" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.src), "env.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("got db %q, log %+v, defaults %+v, console %+v", c.DB, c.Log, c.Defaults, c.Console)
			}
		})
	}

	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"unset", "log:\n  level: ${PULSE_TEST_UNSET}\n",
			[]string{"env.yaml:2: log.level: environment variable PULSE_TEST_UNSET is not set (write ${PULSE_TEST_UNSET:-value} to give a fallback)"}},
		{"unset in a list", "console:\n  admins:\n    - alice\n    - ${PULSE_TEST_UNSET}\n",
			[]string{"env.yaml:4: console.admins[1]: environment variable PULSE_TEST_UNSET is not set"}},
		{"unset in a group", "groups:\n  wechat/读书会:\n    timezone: ${PULSE_TEST_UNSET}\n",
			[]string{`env.yaml:3: groups."wechat/读书会".timezone: environment variable PULSE_TEST_UNSET is not set`}},
		{"bad name", "db: ${PULSE TEST}\n",
			[]string{`env.yaml:1: db: cannot read "${PULSE TEST}": write ${NAME} or ${NAME:-fallback}`}},
		{"unclosed", "db: \"${PULSE_TEST_DB\"\n",
			[]string{`env.yaml:1: db: "${PULSE_TEST_DB" has no closing }`}},
		{"nested", "db: ${PULSE_TEST_UNSET:-${PULSE_TEST_DB}}\n",
			[]string{`env.yaml:1: db: cannot read "${PULSE_TEST_UNSET:-${PULSE_TEST_DB}"`}},
		{"in a group key", "groups:\n  discord/${PULSE_TEST_DAYS}: {}\n",
			[]string{`env.yaml:2: groups: "discord/${PULSE_TEST_DAYS}": environment variables are only expanded in values`}},
		{"not a number, secret not shown", "defaults:\n  dedup_days: ${PULSE_TEST_SECRET}\n",
			[]string{`env.yaml:2: option defaults.dedup_days: cannot read the value of "${PULSE_TEST_SECRET}" as a whole number`}},
		{"empty number", "defaults:\n  dedup_days: ${PULSE_TEST_EMPTY}\n",
			[]string{`env.yaml:2: option defaults.dedup_days: the value of "${PULSE_TEST_EMPTY}" is empty; expected a whole number`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.src), "env.yaml")
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the secret: %v", err)
			}
			checkLines(t, err, tc.want)
		})
	}
}

func TestExpand(t *testing.T) {
	env := map[string]string{"A": "1", "B_2": "two", "E": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tc := range []struct {
		in, want string
		refs     int
		err      bool
	}{
		{"plain", "plain", 0, false},
		{"${A}", "1", 1, false},
		{"${A}${B_2}", "1two", 2, false},
		{"x${A}y${B_2}z", "x1ytwoz", 2, false},
		{"${E}", "", 1, false},
		{"${E:-d}", "d", 1, false},
		{"${Z:-d:-e}", "d:-e", 1, false},
		{"${Z:-}", "", 1, false},
		{"$${A}", "${A}", 0, false},
		{"$A ${A}$", "$A 1$", 1, false},
		{"{A}", "{A}", 0, false},
		{"${Z}", "", 0, true},
		{"${}", "", 0, true},
		{"${1A}", "", 0, true},
		{"${A", "", 0, true},
		{"${A-b}", "", 0, true},
	} {
		got, refs, err := expand(tc.in, lookup)
		if (err != nil) != tc.err || got != tc.want || refs != tc.refs {
			t.Errorf("expand(%q) = %q, %d, %v; want %q, %d, error %v", tc.in, got, refs, err, tc.want, tc.refs, tc.err)
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

func TestExample(t *testing.T) {
	c, err := Load(example)
	if err != nil {
		t.Fatal(err)
	}
	// The example shows the defaults, apart from its groups.
	want := Default()
	want.Groups = c.Groups
	sameConfig(t, c, want)
	if keys := slices.Sorted(maps.Keys(c.Groups)); !slices.Equal(keys, []string{"console/demo"}) {
		t.Errorf("groups = %v", keys)
	}
	g := c.Group("console/" + c.Console.Group)
	if g.Locale != "zh" || g.Timezone != "Asia/Shanghai" || !slices.Equal(g.Admins, []string{"alice"}) ||
		!slices.Equal(g.Owners, []string{"olivia"}) || g.Location().String() != "Asia/Shanghai" {
		t.Errorf("console/demo = %+v", g)
	}
}

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

// checkLines checks that err has one line per want, each starting with it.
func checkLines(t *testing.T, err error, want []string) {
	t.Helper()
	got := strings.Split(err.Error(), "\n")
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("error:\n%s\nwant lines starting with:\n%s", err, strings.Join(want, "\n"))
	}
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

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  reflect.Type
		want string
	}{
		{"levle", reflect.TypeFor[LogConfig](), "level"},
		{"Format", reflect.TypeFor[LogConfig](), "format"},
		{"dedupe_days", reflect.TypeFor[GroupConfig](), "dedup_days"},
		{"points", reflect.TypeFor[GroupConfig](), "checkin.points"},
		{"cooldown", reflect.TypeFor[GroupConfig](), "xp.cooldown"},
		{"checkin", configType, "defaults.checkin"},
		{"level", configType, "log.level"},
		{"admins", configType, ""}, // defaults.admins or console.admins
		{"colour", reflect.TypeFor[GroupConfig](), ""},
	} {
		if got := suggest(tc.name, tc.typ); got != tc.want {
			t.Errorf("suggest(%q, %v) = %q, want %q", tc.name, tc.typ, got, tc.want)
		}
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
