package config

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// chatSection stands for a platform adapter's section.
type chatSection struct {
	Enabled      bool                `yaml:"enabled"`
	Token        string              `yaml:"token"`
	Rooms        []string            `yaml:"rooms"`
	Wait         time.Duration       `yaml:"wait"`
	RoomSettings map[string]chatRoom `yaml:"room_settings"`
	Notes        string              `yaml:"-"` // not an option
}

type chatRoom struct {
	Owners []string `yaml:"owners"`
}

func (c chatSection) Validate(v *Validator) {
	if c.Enabled && c.Token == "" {
		v.Errorf([]string{"token"}, "token is required when chat.enabled is true")
	}
	for i, r := range c.Rooms {
		if r == "" {
			v.Errorf([]string{"rooms"}, "rooms: entry %d is empty", i+1)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.RoomSettings)) {
		for i, o := range c.RoomSettings[name].Owners {
			if o == "" {
				v.Errorf([]string{"room_settings", name, "owners"}, "room_settings.%s.owners: entry %d is empty", name, i+1)
			}
		}
	}
	if c.Wait < 0 {
		v.Errorf(nil, "the wait is negative")
	}
}

func TestSections(t *testing.T) {
	chat := chatSection{Wait: time.Second} // a default the file keeps
	l := Loader{Sections: Sections{"chat": &chat}}
	c, err := l.Parse([]byte("db: x.db\nchat:\n  enabled: true\n  token: ${PULSE_TEST_TOKEN:-t0}\n  rooms: [a, b]\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "x.db" || !chat.Enabled || chat.Token != "t0" || !slices.Equal(chat.Rooms, []string{"a", "b"}) || chat.Wait != time.Second {
		t.Errorf("db %q, chat %+v", c.DB, chat)
	}

	// A file with problems leaves the section as it was.
	before := chat
	_, err = l.Parse([]byte("chat:\n  rooms: [c]\n  token: [x]\n"), "t.yaml")
	if err == nil || !reflect.DeepEqual(chat, before) {
		t.Errorf("err %v, chat %+v", err, chat)
	}
}

func TestSectionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		chat      chatSection
		want      []string
	}{
		{"at the option", "chat:\n  enabled: true\n  rooms:\n    - a\n    - ''\n", chatSection{},
			[]string{"t.yaml:1: chat.token is required when chat.enabled is true",
				"t.yaml:3: chat.rooms: entry 2 is empty"}},
		{"names with dots and spaces", "chat:\n  room_settings:\n    a.b:\n      owners: [x, '']\n    my room:\n      owners: ['']\n", chatSection{},
			[]string{"t.yaml:4: chat.room_settings.a.b.owners: entry 2 is empty",
				"t.yaml:6: chat.room_settings.my room.owners: entry 1 is empty"}},
		{"the section as a whole", "chat:\n  wait: -1s\n", chatSection{},
			[]string{"t.yaml:1: chat: the wait is negative"}},
		{"a section the file does not set is checked", "db: x\n", chatSection{Enabled: true},
			[]string{"t.yaml: chat.token is required when chat.enabled is true"}},
		{"unknown option in a section", "chat:\n  tokn: x\n", chatSection{},
			[]string{`t.yaml:2: unknown option "tokn" (in chat); did you mean "token"?`}},
		{"a section's option at the top", "token: x\nroom_settings: {}\n", chatSection{},
			[]string{`t.yaml:1: unknown option "token"; did you mean "chat.token"?`,
				`t.yaml:2: unknown option "room_settings"; did you mean "chat.room_settings"?`}},
		{"wrong type", "chat:\n  wait: 5\n", chatSection{},
			[]string{`t.yaml:2: option chat.wait: cannot read "5" as a duration`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := tc.chat
			_, err := Loader{Sections: Sections{"chat": &chat}}.Parse([]byte(tc.src), "t.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			checkLines(t, err, tc.want)
		})
	}
}

// An option name only a section knows is suggested only when the section
// is listed.
func TestSuggestSections(t *testing.T) {
	_, err := Parse([]byte("rooms: [a]\n"), "t.yaml")
	checkLines(t, err, []string{`t.yaml:1: unknown option "rooms"`})
	_, err = Loader{Sections: Sections{"chat": &chatSection{}}}.Parse([]byte("rooms: [a]\n"), "t.yaml")
	checkLines(t, err, []string{`t.yaml:1: unknown option "rooms"; did you mean "chat.rooms"?`})
}

func TestBadSections(t *testing.T) {
	for name, s := range map[string]Sections{
		"not a pointer": {"chat": chatSection{}},
		"nil":           {"chat": (*chatSection)(nil)},
		"own name":      {"log": &chatSection{}},
	} {
		if _, err := (Loader{Sections: s}).Parse([]byte("db: x\n"), "t.yaml"); err == nil || !strings.HasPrefix(err.Error(), `config: section "`) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestCheck(t *testing.T) {
	if err := Check("chat", chatSection{}); err != nil {
		t.Errorf("empty section: %v", err)
	}
	err := Check("chat", chatSection{Enabled: true, Rooms: []string{""}, RoomSettings: map[string]chatRoom{"读书会": {Owners: []string{""}}}})
	want := "chat.token is required when chat.enabled is true\nchat.rooms: entry 1 is empty\nchat.room_settings.读书会.owners: entry 1 is empty"
	if err == nil || err.Error() != want {
		t.Fatalf("Check = %v, want\n%s", err, want)
	}
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("Check = %#v", err)
	}
	for i, opt := range []string{"chat.token", "chat.rooms", `chat.room_settings."读书会".owners`} {
		if e := errs[i]; e.File != "" || e.Line != 0 || e.Option != opt {
			t.Errorf("error %d = %+v, want option %s", i, *e, opt)
		}
	}
}

// Parse's errors are Errors: each problem a value with its file, line and
// option, and errors.As finds each *Error.
func TestErrorValues(t *testing.T) {
	_, err := Parse([]byte("log:\n  level: loud\ngroups:\n  discord/1:\n    locale: fr\n    xp: {min: x}\n"), "t.yaml")
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %#v", err)
	}
	want := []Error{
		{File: "t.yaml", Line: 2, Option: "log.level", Msg: `log.level: "loud" is not one of debug, info, warn, error`},
		{File: "t.yaml", Line: 6, Option: `groups."discord/1".xp.min`, Msg: `option groups."discord/1".xp.min: cannot read "x" as a whole number`},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors = %v", err)
	}
	for i := range want {
		if *errs[i] != want[i] {
			t.Errorf("error %d = %+v, want %+v", i, *errs[i], want[i])
		}
	}
	var one *Error
	if !errors.As(err, &one) || one != errs[0] {
		t.Errorf("errors.As(*Error) = %v", one)
	}
}

// CheckGroup checks defaults and every group; a problem a group inherits
// from defaults is reported once, for defaults.
func TestCheckGroup(t *testing.T) {
	l := Loader{CheckGroup: func(g GroupConfig, v *Validator) {
		if g.XP.Max < g.XP.Min {
			v.Errorf([]string{"xp", "max"}, "xp.max must be ≥ xp.min")
		}
		if g.Levels.Curve == "cubic" {
			v.Errorf([]string{"levels"}, "no cubic curves")
		}
	}}
	src := "defaults:\n  levels: {curve: cubic}\ngroups:\n  discord/1:\n    locale: en\n  discord/2:\n    xp:\n      max: 1\n"
	_, err := l.Parse([]byte(src), "t.yaml")
	checkLines(t, err, []string{
		"t.yaml:2: defaults: no cubic curves", // the message does not start with its option
		`t.yaml:8: groups."discord/2".xp.max must be ≥ xp.min`,
	})
	if _, err := l.Parse([]byte("groups:\n  discord/1: {xp: {min: 1, max: 2}}\n"), "t.yaml"); err != nil {
		t.Error(err)
	}
}
