package width

import "testing"

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"2026-11-22", "2026-11-22"},
		{"２０２６－１１－２２", "2026-11-22"},
		{"５０", "50"},
		{"４０％", "40%"},
		{"／签到", "/签到"},
		{"目标　设置", "目标 设置"},
		{"签到！", "签到!"},
		{"张三", "张三"},
		{"Ａｂｃ", "Abc"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
