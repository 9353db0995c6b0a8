package wechat

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"
)

func TestParseJoin(t *testing.T) {
	for _, tc := range []struct {
		text    string
		inviter string
		names   []string
	}{
		{`"Alice"邀请"Bob"加入了群聊`, "Alice", []string{"Bob"}},
		{`"Alice"邀请"Bob、Carol"加入了群聊`, "Alice", []string{"Bob", "Carol"}},
		{`"Alice"邀请"Bob"、"小 王"加入了群聊`, "Alice", []string{"Bob", "小 王"}},
		{`“Alice”邀请“Bob”加入了群聊`, "Alice", []string{"Bob"}},
		{`你邀请"Bob、Carol"加入了群聊`, "", []string{"Bob", "Carol"}},
		{`"Dave"通过扫描"Alice"分享的二维码加入群聊`, "Alice", []string{"Dave"}},
		{`"Dave"通过扫描你分享的二维码加入群聊`, "", []string{"Dave"}},
		{`"Erin"加入了群聊`, "", []string{"Erin"}},
		{`"Alice"邀请你加入了群聊`, "", nil}, // the bot itself
		{`"Alice"修改群名为“读书会”`, "", nil},
		{`你将"Bob"移出了群聊`, "", nil},
		{`收到红包，请在手机上查看`, "", nil},
	} {
		j := parseJoin(tc.text)
		if tc.names == nil {
			if j != nil {
				t.Errorf("parseJoin(%q) = %+v, want nothing", tc.text, j)
			}
			continue
		}
		if j == nil || j.inviter != tc.inviter || !slices.Equal(j.names, tc.names) {
			t.Errorf("parseJoin(%q) = %+v, want inviter %q names %q", tc.text, j, tc.inviter, tc.names)
		}
	}
}

func TestParseRename(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`"Olivia"修改群名为“读书会2026”`, "读书会2026"},
		{`你修改群名为“跑步群”`, "跑步群"},
		{`"A"修改群名为"B C"`, "B C"},
		{`"A"邀请"B"加入了群聊`, ""},
	} {
		got, ok := parseRename(tc.text)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("parseRename(%q) = %q %v, want %q", tc.text, got, ok, tc.want)
		}
	}
}

func TestStripMention(t *testing.T) {
	for _, tc := range []struct {
		text, want string
		found      bool
	}{
		{"@Pulse\u2005签到", "签到", true},
		{"签到 @Pulse", "签到", true},
		{"＠Pulse 我的", "我的", true},
		{"@机器人\u2005排行 本周", "排行 本周", true},
		{"@Pulsebot 签到", "@Pulsebot 签到", false},
		{"@Alice\u2005你好", "@Alice\u2005你好", false},
		{"@Pulse\u2005@Pulse\u2005帮助", "帮助", true},
		{"签到", "签到", false},
	} {
		got, found := stripMention(tc.text, "机器人", "Pulse")
		if got != tc.want || found != tc.found {
			t.Errorf("stripMention(%q) = %q %v, want %q %v", tc.text, got, found, tc.want, tc.found)
		}
	}
}

func TestAdapterCommand(t *testing.T) {
	for _, tc := range []struct {
		text, cmd string
		args      []string
	}{
		{"认领 Alice", "claim", []string{"Alice"}},
		{"/认领 小 王", "claim", []string{"小", "王"}},
		{"/claim Alice", "claim", []string{"Alice"}},
		{"claim Alice", "", nil},
		{"合并 A B", "merge", []string{"A", "B"}},
		{"／merge A B", "merge", []string{"A", "B"}},
		{"合并一下文件", "", nil},
		{"签到", "", nil},
		{"", "", nil},
	} {
		cmd, args := adapterCommand(tc.text)
		if cmd != tc.cmd || !slices.Equal(args, tc.args) {
			t.Errorf("adapterCommand(%q) = %q %q, want %q %q", tc.text, cmd, args, tc.cmd, tc.args)
		}
	}
}

func TestSplit(t *testing.T) {
	long := strings.Repeat("字", 250)
	for _, tc := range []struct {
		text string
		n    int
		want int // parts
	}{
		{"", 100, 0},
		{"short", 100, 1},
		{long, 100, 3},
		{strings.Repeat("line of text\n", 20), 100, 3},
		{strings.Repeat("word ", 60), 100, 3},
	} {
		parts := split(tc.text, tc.n)
		if len(parts) != tc.want {
			t.Errorf("split(%d chars, %d) = %d parts, want %d", utf8.RuneCountInString(tc.text), tc.n, len(parts), tc.want)
		}
		for _, p := range parts {
			if utf8.RuneCountInString(p) > tc.n || !utf8.ValidString(p) || p == "" {
				t.Errorf("bad part %q", p)
			}
		}
		if strings.Join(parts, "") != strings.Join(strings.Fields(tc.text), "") && tc.text == long {
			t.Error("characters lost")
		}
	}
	if got := strings.Join(split(long, 100), ""); got != long {
		t.Error("split lost characters")
	}
}

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want []string
		out  bool
	}{
		{openwechat.Ret(1100), []string{"1100", "别处登录"}, true},
		{fmt.Errorf("sync: %w", openwechat.Ret(1101)), []string{"1101", "logged out", "已退出登录"}, true},
		{errors.Join(openwechat.NetworkErr, openwechat.Ret(1102)), []string{"1102", "失效"}, true},
		{openwechat.Ret(1203), []string{"1203", "refuses web login", "拒绝网页登录"}, true},
		{openwechat.Ret(1205), []string{"1205", "too often", "太频繁"}, false},
		{openwechat.ErrLoginTimeout, []string{"QR code expired", "二维码"}, false},
		{openwechat.ErrUserLogout, []string{"logged out", "退出"}, true},
		{errors.Join(openwechat.NetworkErr, errors.New("dial tcp: refused")), []string{"network", "网络"}, false},
	} {
		got := explain(tc.err)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("explain(%v) = %q, want it to say %q", tc.err, got, w)
			}
		}
		if loggedOut(tc.err) != tc.out {
			t.Errorf("loggedOut(%v) = %v", tc.err, !tc.out)
		}
	}
}

func TestBackoff(t *testing.T) {
	got := []time.Duration{}
	for n := int64(1); n <= 5; n++ {
		got = append(got, backoff(time.Second, 5*time.Second, n))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	if !slices.Equal(got, want) {
		t.Errorf("backoff = %v, want %v", got, want)
	}
}

func TestAvatarID(t *testing.T) {
	for u, want := range map[string]string{
		"/cgi-bin/mmwebwx-bin/webwxgeticon?seq=123&username=@a": "123",
		"/cgi-bin/mmwebwx-bin/webwxgeticon?seq=0&username=@a":   "",
		"": "",
	} {
		if got := avatarID(u); got != want {
			t.Errorf("avatarID(%q) = %q, want %q", u, got, want)
		}
	}
}

// match links by names, never guesses between equals, and leaves members
// no record fits for the caller.
func TestMatch(t *testing.T) {
	rec := func(id, nick, display, avatar string) *memberRecord {
		return &memberRecord{ID: id, Nick: nick, Display: display, Avatar: avatar}
	}
	gi := &groupIdent{rec: groupRecord{ID: "g"}, members: map[string]*memberRecord{
		"u1": rec("u1", "Alice", "", ""),
		"u2": rec("u2", "Bob", "小鲍", ""),
		"u3": rec("u3", "小王", "", "7"),
		"u4": rec("u4", "小王", "", "8"),
		"u5": rec("u5", "Ann", "", ""),
		"u6": rec("u6", "Ann", "", ""),
	}}
	live := func(user, nick, display, avatar string) *liveMember {
		return &liveMember{user: user, nick: nick, display: display, avatar: avatar}
	}
	alice, robert := live("@1", "Alice", "", ""), live("@2", "Robert", "小鲍", "")
	w8, w7 := live("@3", "小王", "", "8"), live("@4", "小王", "", "7")
	ann, newbie := live("@5", "Ann", "", ""), live("@6", "Newbie", "", "")
	ids := &identities{groups: map[string]*groupIdent{"g": gi}, seq: 7}
	var b batch
	linked, ambiguous, fresh, held, err := ids.match(context.Background(), gi, []*liveMember{alice, robert, w8, w7, ann, newbie}, map[string]bool{}, 100, &b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[*liveMember]string{alice: "u1", robert: "u2", w8: "u4", w7: "u3"}
	for lm, id := range want {
		if r := linked[lm]; r == nil || r.ID != id {
			t.Errorf("%s/%s linked to %v, want %s", lm.nick, lm.avatar, r, id)
		}
	}
	if len(linked) != len(want) {
		t.Errorf("linked %d members, want %d", len(linked), len(want))
	}
	if !slices.Equal(ambiguous, []*liveMember{ann}) || !held["u5"] || !held["u6"] {
		t.Errorf("ambiguous %v held %v", ambiguous, held)
	}
	if !slices.Equal(fresh, []*liveMember{newbie}) {
		t.Errorf("fresh %v", fresh)
	}
	if r := gi.members["u2"]; r.Nick != "Robert" || !slices.Contains(r.Names, "Bob") {
		t.Errorf("renamed record %+v", r)
	}
}
