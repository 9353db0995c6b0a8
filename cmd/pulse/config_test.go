package main

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pulsebot/pulse/adapters/discord"
	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/config"
)

const example = "../../config.example.yaml"

// The growth options of an empty file are the core's default rules, and
// the two sides name the same options.
func TestGrowthDefaults(t *testing.T) {
	d := defaultConfig().Defaults
	if got := growthRules(d.Growth); !reflect.DeepEqual(got, growth.Default()) {
		t.Errorf("defaults rules = %+v, want growth.Default()", got)
	}
	if err := config.Check("defaults", sectionFunc(func(v *config.Validator) { checkGrowth(d, v) })); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[config.Growth](), reflect.TypeFor[growth.Rules]()},
		{reflect.TypeFor[config.LevelsConfig](), reflect.TypeFor[growth.LevelRules]()},
	} {
		if a, b := fieldNames(pair[0]), fieldNames(pair[1]); !slices.Equal(a, b) {
			t.Errorf("%v has fields %v, %v has %v", pair[0], a, pair[1], b)
		}
	}
}

type sectionFunc func(v *config.Validator)

func (f sectionFunc) Validate(v *config.Validator) { f(v) }

func fieldNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		out = append(out, t.Field(i).Name+" "+t.Field(i).Tag.Get("yaml"))
	}
	return out
}

func TestExample(t *testing.T) {
	c, err := loadConfig(example)
	if err != nil {
		t.Fatal(err)
	}
	// The example shows the defaults, apart from its groups.
	want := defaultConfig()
	want.Groups = c.Groups
	if !sameValue(reflect.ValueOf(*c.Config), reflect.ValueOf(*want.Config)) ||
		!sameValue(reflect.ValueOf(c.Discord), reflect.ValueOf(want.Discord)) ||
		!sameValue(reflect.ValueOf(c.WeChat), reflect.ValueOf(want.WeChat)) {
		t.Errorf("config\n%+v %+v %+v\nwant\n%+v %+v %+v", *c.Config, c.Discord, c.WeChat, *want.Config, want.Discord, want.WeChat)
	}
	if keys := slices.Sorted(maps.Keys(c.Groups)); !slices.Equal(keys, []string{"console/demo"}) {
		t.Errorf("groups = %v", keys)
	}
	g := c.Group("console/" + c.Console.Group)
	if g.Locale != "zh" || g.Timezone != "Asia/Shanghai" || !slices.Equal(g.Admins, []string{"alice"}) ||
		!slices.Equal(g.Owners, []string{"olivia"}) || g.Location().String() != "Asia/Shanghai" {
		t.Errorf("console/demo = %+v", g)
	}
}

// Every option of the adapters' sections appears in the example, with a
// comment above it (config's own options are checked in package config).
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
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			key, val := lookupKey(n, name)
			p := path + "." + name
			if key == nil {
				t.Errorf("%s: option %s is missing", example, p)
				continue
			}
			if key.HeadComment == "" && !strings.Contains(path, "[") {
				t.Errorf("%s:%d: option %s has no comment above it", example, key.Line, p)
			}
			switch ft := f.Type; {
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
	for name, typ := range map[string]reflect.Type{
		discord.Platform: reflect.TypeFor[discord.Config](),
		wechat.Platform:  reflect.TypeFor[wechat.Config](),
	} {
		key, val := lookupKey(doc.Content[0], name)
		if key == nil {
			t.Errorf("%s: section %s is missing", example, name)
			continue
		}
		walk(val, typ, name)
	}
}

// Problems of the adapters' sections and of the growth options carry the
// file, the line and the option, as config's own do.
func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, src string
		want      []string // the error's lines after "file:", in order
	}{
		{"growth in inherited options", "defaults:\n  xp: {min: 10}\ngroups:\n  discord/1:\n    locale: en\n    xp: {max: 5}\n",
			[]string{`6: groups."discord/1".xp.min must be ≥ 0 and xp.max ≥ xp.min`}},
		{"growth without the option set", "groups:\n  discord/1:\n    levels: {curve: linear, linear_step: 0}\n",
			[]string{`3: groups."discord/1".levels.linear_step must be ≥ 1 with curve: linear`}},
		{"growth in defaults", "defaults:\n  checkin:\n    milestones: {0: 5}\n",
			[]string{`3: defaults.checkin.milestones: 0: 5 is not a streak length ≥ 1 with points ≥ 0`}},
		{"discord", "discord:\n  enabled: true\n  guilds: [\"1\"]\n  guild_settings:\n    \"2\": {role_mode: swap}\n  shard_id: 3\n",
			[]string{
				"1: discord.token is required when discord.enabled is true (write token: ${DISCORD_TOKEN} and set the variable)",
				"5: discord.guild_settings.2: server 2 is not listed in discord.guilds, so Pulse does not serve it",
				`5: discord.guild_settings.2.role_mode: "swap" is not stack or replace`,
				"6: discord.shard_id must be from 0 to shard_count-1, not 3",
			}},
		{"discord, misspelt", "discord:\n  tokn: x\nguilds: []\n",
			[]string{`2: unknown option "tokn" (in discord); did you mean "token"?`,
				`3: unknown option "guilds"; did you mean "discord.guilds"?`}},
		{"wechat", "wechat:\n  groups: [\" \"]\n  group_settings:\n    读书会: {admins: [\"\"]}\n  base_url: ftp://x\n",
			[]string{
				"2: wechat.groups: entry 1 is empty",
				"4: wechat.group_settings.读书会.admins: entry 1 is empty",
				`5: wechat.base_url "ftp://x" must be an http:// or https:// URL with a host`,
			}},
		{"wechat, a group name with a space", "wechat:\n  group_settings:\n    my group:\n      owners: [\"\"]\n",
			[]string{"4: wechat.group_settings.my group.owners: entry 1 is empty"}},
		{"wrong type in a section", "wechat:\n  send_interval: 5\n",
			[]string{`2: option wechat.send_interval: cannot read "5" as a duration such as 90s, 5m or 1h30m`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "t.yaml")
			if err := os.WriteFile(path, []byte(tc.src), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := loadConfig(path)
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = path + ":" + w
			}
			checkLines(t, err, want)
		})
	}
}

// The structured problems: each names its file, line and option.
func TestConfigErrorValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.yaml")
	src := "discord:\n  guild_settings:\n    \"1\": {role_mode: swap}\ngroups:\n  discord/1:\n    xp: {min: 99}\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := loadConfig(path)
	var errs config.Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("err = %#v", err)
	}
	for i, want := range []config.Error{
		{File: path, Line: 3, Option: "discord.guild_settings.1.role_mode"},
		{File: path, Line: 6, Option: `groups."discord/1".xp.min`},
	} {
		if got := errs[i]; got.File != want.File || got.Line != want.Line || got.Option != want.Option {
			t.Errorf("error %d = %+v, want %+v", i, *got, want)
		}
	}
}

// TestBadConfigFiles loads each file in testdata/config, whose "# want: "
// lines list the expected errors, in order, each a prefix of one line of
// the error.
func TestBadConfigFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/config/*.yaml")
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
			c, err := loadConfig(file)
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

// sameValue compares the exported settings of two values, treating nil and
// empty lists and maps alike.
func sameValue(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer:
		return a.IsNil() == b.IsNil() && (a.IsNil() || sameValue(a.Elem(), b.Elem()))
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
