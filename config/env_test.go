package config

import (
	"os"
	"slices"
	"strings"
	"testing"
)

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
