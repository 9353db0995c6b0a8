package commands

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
		name string
		args []string
	}{
		{"签到", true, Checkin, nil},
		{"  打卡！", true, Checkin, nil},
		{"/签到", true, Checkin, nil},
		{"/checkin", true, Checkin, nil},
		{"/CHECKIN", true, Checkin, nil},
		{"checkin", false, "", nil}, // English words need the slash
		{"签到啦", false, "", nil},
		{"我的天", false, "", nil},
		{"我的", true, Me, nil},
		{"补签 2026-01-05", true, Makeup, []string{"2026-01-05"}},
		{"/makeup", true, Makeup, nil},
		{"/top xp week", true, Top, []string{"xp", "week"}},
		{"签到排行", true, Top, []string{"streak"}},
		{"排行榜 week", true, Top, []string{"week"}},
		{"/grant @bob 10 helped a newcomer", true, Grant, []string{"@bob", "10", "helped", "a", "newcomer"}},
		{"扣分 @bob 5", true, Deduct, []string{"@bob", "5"}},
		{"／帮助", true, Help, nil},
		{"/frobnicate", true, Unknown, nil},
		{"/stats 30d", true, Stats, []string{"30d"}},
		{"统计", true, Stats, nil},
		{"数据 本月", true, Stats, []string{"本月"}},
		{"/goal set wau 200 2026-12-31", true, Goal, []string{"set", "wau", "200", "2026-12-31"}},
		{"目标 设置 周活 200 2026-12-31", true, Goal, []string{"设置", "周活", "200", "2026-12-31"}},
		{"/", false, "", nil},
		{"http://example.com", false, "", nil},
		{"//comment", false, "", nil},
		{"", false, "", nil},
		{"hello world", false, "", nil},
		{"\xff签到", false, "", nil},
		{"签到 " + strings.Repeat("x", MaxLen), false, "", nil},
	}
	for _, tt := range tests {
		c, ok := Parse(tt.text)
		if ok != tt.ok || c.Name != tt.name || (len(tt.args) > 0 || len(c.Args) > 0) && !reflect.DeepEqual(c.Args, tt.args) {
			t.Errorf("Parse(%q) = %+v, %v; want %s %q %v", tt.text, c, ok, tt.name, tt.args, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"签到", "/checkin", "/top xp week", "补签 2026-01-05", "/grant @bob 10 x", "扣分 @张三 5 刷屏", "/", "／帮助", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := Parse(s)
		if !ok {
			return
		}
		if c.Name == "" || !utf8.ValidString(c.Word) {
			t.Fatalf("Parse(%q) = %+v", s, c)
		}
		for _, a := range c.Args {
			if a == "" {
				t.Fatalf("empty argument from %q", s)
			}
		}
	})
}
