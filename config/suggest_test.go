package config

import (
	"reflect"
	"testing"
)

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
		if got := suggest(tc.name, optionTypes(tc.typ)); got != tc.want {
			t.Errorf("suggest(%q, %v) = %q, want %q", tc.name, tc.typ, got, tc.want)
		}
	}
}
