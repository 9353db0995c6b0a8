package transcript

import (
	"strings"
	"testing"
	"time"
)

func TestParseLine(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04:05", s, sh); return tm }
	tests := []struct {
		in   string
		want Line
		err  string
	}{
		{"", Line{}, ""},
		{"   # comment: yes", Line{}, ""},
		{"alice: 签到", Line{Kind: Message, Name: "alice", Text: "签到"}, ""},
		{"[2026-01-05 09:00] alice: hi there", Line{Kind: Message, Time: at("2026-01-05 09:00:00"), Name: "alice", Text: "hi there"}, ""},
		{"[2026-01-05 23:59:59] 张三：打卡", Line{Kind: Message, Time: at("2026-01-05 23:59:59"), Name: "张三", Text: "打卡"}, ""},
		{"[2026-01-05T01:00:00Z] bob: x", Line{Kind: Message, Time: time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC), Name: "bob", Text: "x"}, ""},
		{"bob > alice: welcome! see: docs", Line{Kind: Message, Name: "bob", ReplyTo: "alice", Text: "welcome! see: docs"}, ""},
		{"[2026-01-05 09:01] +carol", Line{Kind: Join, Time: at("2026-01-05 09:01:00"), Name: "carol"}, ""},
		{"-dave", Line{Kind: Leave, Name: "dave"}, ""},
		{"*erin > alice", Line{Kind: Reaction, Name: "erin", ReplyTo: "alice"}, ""},
		{"alice:", Line{Kind: Message, Name: "alice"}, ""},
		{"[2026-01-05 09:00 alice: hi", Line{}, "missing ']'"},
		{"[yesterday] alice: hi", Line{}, "want RFC 3339"},
		{"[2026-01-05 09:00]", Line{}, "nothing after the time"},
		{"just words", Line{}, "want NAME: TEXT"},
		{": text", Line{}, "no name before"},
		{"+", Line{}, "no name after"},
		{"*erin", Line{}, "reaction is"},
		{"bob >: hi", Line{}, "no name after '>'"},
		{"alice: \xff\xfe", Line{}, "UTF-8"},
	}
	for _, tt := range tests {
		got, err := ParseLine(tt.in, sh)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseLine(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLine(%q): %v", tt.in, err)
			continue
		}
		if !got.Time.Equal(tt.want.Time) {
			t.Errorf("ParseLine(%q) time = %v, want %v", tt.in, got.Time, tt.want.Time)
		}
		got.Time, tt.want.Time = time.Time{}, time.Time{}
		if got != tt.want {
			t.Errorf("ParseLine(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"[2026-01-05 09:00] alice: 签到", "bob > alice: hi", "+carol", "-dave", "*erin > alice", "# c", "[2026-01-05T01:00:00Z] 张三：打卡", "[", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLine(s, time.UTC)
		if err != nil {
			return
		}
		if l.Kind != Blank && l.Name == "" {
			t.Fatalf("ParseLine(%q) = %+v without a name", s, l)
		}
	})
}
