package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
