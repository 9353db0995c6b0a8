package wechat_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

const book = "wechat/读书会"

// link has Alice say something so the group is linked, and waits for it.
func (e *env) link() {
	e.t.Helper()
	e.srv.Say("book", "alice", "大家早上好")
	e.waitFor("the group linked", func() bool {
		_, m := e.member(book, "Alice")
		return m != nil && m.Messages >= 1
	})
}

func TestQRLogin(t *testing.T) {
	e := newEnv(t)
	e.srv.SetAutoConfirm(false)
	e.start()
	qrFile := e.db.Path() + ".wechat-qr.png"
	e.waitFor("the QR code", func() bool {
		_, err := os.Stat(qrFile)
		return err == nil && strings.Contains(e.qr.String(), "https://login.weixin.qq.com/l/")
	})
	// The terminal QR is drawn with half blocks.
	if out := e.qr.String(); !strings.ContainsAny(out, "▀▄█") || strings.Count(out, "\n") < 10 {
		t.Errorf("terminal QR code not drawn:\n%s", out)
	}
	data, err := os.ReadFile(qrFile)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("QR file is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dx() != b.Dy() {
		t.Errorf("QR image is %v", b)
	}
	if st, _ := os.Stat(qrFile); st.Mode().Perm() != 0o600 {
		t.Errorf("QR file mode %v, want 0600", st.Mode().Perm())
	}
	if !e.srv.Desktop() {
		t.Error("login did not ask for desktop (UOS) mode")
	}
	if e.a.LoggedIn() {
		t.Fatal("logged in before the QR code was scanned")
	}
	e.srv.Confirm()
	e.loggedIn(1)
	st, err := os.Stat(e.db.Path() + ".wechat-login.json")
	if err != nil {
		t.Fatalf("login file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("login file mode %v, want 0600", st.Mode().Perm())
	}
	if _, err := os.Stat(qrFile); !os.IsNotExist(err) {
		t.Errorf("used QR code not removed: %v", err)
	}
	if !strings.Contains(e.logs.String(), "scanned") {
		t.Errorf("the scan was not logged:\n%s", e.logs)
	}
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "签到成功")
}

func TestLoginFromStorage(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.stop()
	logins, qrs := e.srv.Logins(), e.srv.Count("jslogin")

	t.Run("reuse", func(t *testing.T) {
		// The session is still valid: no phone, no QR code.
		e.logs = &syncBuffer{}
		e.start()
		e.loggedIn(1)
		if e.srv.Logins() != logins || e.srv.Count("webwxpushloginurl") != 0 || e.srv.Count("jslogin") != qrs {
			t.Errorf("logins %d→%d, push %d, QR %d→%d", logins, e.srv.Logins(), e.srv.Count("webwxpushloginurl"), qrs, e.srv.Count("jslogin"))
		}
		if !strings.Contains(e.logs.String(), "how=hot") {
			t.Errorf("not logged as a reused session:\n%s", e.logs)
		}
		e.stop()
	})
	t.Run("push", func(t *testing.T) {
		// The session expired: the phone confirms, no QR code.
		e.srv.ExpireSessions()
		e.logs = &syncBuffer{}
		e.start()
		e.loggedIn(1)
		if e.srv.Count("webwxpushloginurl") != 1 || e.srv.Count("jslogin") != qrs || e.srv.Logins() != logins+1 {
			t.Errorf("push %d, QR %d→%d, logins %d→%d", e.srv.Count("webwxpushloginurl"), qrs, e.srv.Count("jslogin"), logins, e.srv.Logins())
		}
		if !strings.Contains(e.logs.String(), "how=push") {
			t.Errorf("not logged as a push login:\n%s", e.logs)
		}
		e.srv.Say("book", "alice", "签到")
		e.waitSent("book", "签到成功")
		e.stop()
	})
	t.Run("push refused", func(t *testing.T) {
		e.srv.ExpireSessions()
		e.srv.SetRefusePush(true)
		e.logs = &syncBuffer{}
		e.start()
		e.loggedIn(1)
		if e.srv.Count("jslogin") != qrs+1 || !strings.Contains(e.logs.String(), "how=qr") {
			t.Errorf("QR %d→%d; logs:\n%s", qrs, e.srv.Count("jslogin"), e.logs)
		}
	})
}

func TestAddressedCommand(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.Say("book", "bob", "@Pulse\u2005签到")
	got := e.waitSent("book", "签到成功")
	if !strings.Contains(got, "小鲍") {
		t.Errorf("answer %q does not name Bob by his display name", got)
	}
	var ev *bot.Event
	for _, m := range e.core.Events(bot.KindMessage) {
		if m.Member.Name == "小鲍" {
			ev = &m
		}
	}
	if ev == nil || !ev.Addressed || ev.Text != "签到" {
		t.Fatalf("event %+v, want addressed 签到", ev)
	}
	// Not addressed, mentioning Alice.
	e.srv.Say("book", "bob", "@Alice\u2005你好呀")
	e.waitFor("the mention", func() bool {
		for _, m := range e.core.Events(bot.KindMessage) {
			if strings.HasPrefix(m.Text, "@Alice") {
				return !m.Addressed && len(m.Mentions) == 1 && m.Mentions[0].Name == "Alice"
			}
		}
		return false
	})
}

func TestOwnMessagesIgnored(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "签到成功")
	// The answer comes back (echo), and the account posts from the phone.
	e.srv.SelfSay("book", "签到")
	before := e.a.Stats().Received
	e.srv.Say("book", "alice", "最后一条")
	e.waitFor("the last message", func() bool {
		_, m := e.member(book, "Alice")
		return m.Messages == 3
	})
	if got := e.a.Stats().Received; got < before+2 {
		t.Errorf("received %d → %d", before, got)
	}
	for _, ev := range e.core.Events(bot.KindMessage) {
		if ev.Member.Name == "Pulse" || strings.Contains(ev.Text, "签到成功") {
			t.Errorf("the bot's own message became an event: %+v", ev)
		}
	}
	if n := len(e.sentTo("book")); n != 1 {
		t.Errorf("%d answers, want 1: %q", n, e.sentTo("book"))
	}
}

func TestRolesAndPresence(t *testing.T) {
	e := newEnv(t)
	e.cfg.Admins = []string{"小鲍"}
	e.start()
	e.loggedIn(1)
	e.link()
	e.waitFor("presence", func() bool { return len(e.core.Events(bot.KindPresent)) == 3 })
	roles := map[string][2]bool{}
	for _, ev := range e.core.Events(bot.KindPresent) {
		roles[ev.Member.Name] = [2]bool{ev.Member.IsAdmin, ev.Member.IsOwner}
		if !strings.HasPrefix(ev.Member.ID, "u") {
			t.Errorf("member id %q", ev.Member.ID)
		}
	}
	want := map[string][2]bool{"Olivia": {true, true}, "Alice": {false, false}, "小鲍": {true, false}}
	for name, w := range want {
		if roles[name] != w {
			t.Errorf("%s admin/owner = %v, want %v", name, roles[name], w)
		}
	}
	// Olivia never spoke but is a member.
	_, m := e.member(book, "Olivia")
	if m == nil || !m.Present || m.Messages != 0 {
		t.Errorf("silent Olivia: %+v", m)
	}
}

func TestJoins(t *testing.T) {
	e := newEnv(t)
	e.tm.MemberPoll = 20 * time.Millisecond
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.AddMember("book", wechattest.Member{Key: "carol", Nick: "Carol"})
	e.srv.AddMember("book", wechattest.Member{Key: "dave", Nick: "Dave", Display: "大卫"})
	id := e.srv.System("book", `"Alice"邀请"Carol、大卫"加入了群聊`)
	e.waitFor("two joins", func() bool { return len(e.core.Events(bot.KindJoin)) == 2 })
	// The same notice again (a replay) and a QR-code join.
	e.srv.SystemID("book", `"Alice"邀请"Carol、大卫"加入了群聊`, id)
	e.srv.AddMember("book", wechattest.Member{Key: "erin", Nick: "Erin"})
	e.srv.System("book", `"Erin"通过扫描"Alice"分享的二维码加入群聊`)
	e.waitFor("three joins", func() bool { return len(e.core.Events(bot.KindJoin)) == 3 })
	polls := e.srv.Count("webwxbatchgetcontact")
	e.waitFor("more member lists", func() bool { return e.srv.Count("webwxbatchgetcontact") >= polls+3 })

	aliceID, _ := e.member(book, "Alice")
	joins, _ := e.roster(book)
	for _, name := range []string{"Carol", "大卫", "Erin"} {
		id, m := e.member(book, name)
		if m == nil || !m.Present || joins[id] != 1 {
			t.Errorf("%s: %s %+v, %d joins", name, id, m, joins[id])
		}
	}
	if len(joins) != 3 {
		t.Errorf("joins %v", joins)
	}
	for _, ev := range e.core.Events(bot.KindJoin) {
		if ev.Target.ID != aliceID {
			t.Errorf("join of %s: inviter %+v, want Alice %s", ev.Member.Name, ev.Target, aliceID)
		}
	}
	var day store.GroupDay
	_ = e.db.View(func(tx *store.Tx) error {
		g, _ := tx.Group(book)
		d, err := g.GroupDay(calendar.DayOf(now, shanghai))
		day = *d
		return err
	})
	if day.Joins != 3 {
		t.Errorf("joins of the day %d, want 3", day.Joins)
	}
}

func TestLeave(t *testing.T) {
	e := newEnv(t)
	e.tm.MemberPoll = 20 * time.Millisecond
	e.start()
	e.loggedIn(1)
	e.link()
	bobID, _ := e.member(book, "小鲍")
	e.srv.RemoveMember("book", "bob")
	e.waitFor("Bob's leave", func() bool {
		_, leaves := e.roster(book)
		return leaves[bobID] == 1
	})
	polls := e.srv.Count("webwxbatchgetcontact")
	e.waitFor("more member lists", func() bool { return e.srv.Count("webwxbatchgetcontact") >= polls+3 })
	_, leaves := e.roster(book)
	if len(leaves) != 1 || leaves[bobID] != 1 {
		t.Errorf("leaves %v, want one of %s", leaves, bobID)
	}
	if _, m := e.member(book, "小鲍"); m.Present || m.LeftAt == 0 {
		t.Errorf("Bob after leaving: %+v", m)
	}
	if n := len(e.core.Events(bot.KindLeave)); n != 1 {
		t.Errorf("%d leave events", n)
	}
}

func TestReplayCountedOnce(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.SayID("book", "alice", "第三章读完了，收获很多", "777")
	e.srv.SayID("book", "alice", "第三章读完了，收获很多", "777")
	e.waitFor("the replay", func() bool { return e.a.Stats().Duplicates == 1 })
	e.waitFor("the message", func() bool {
		_, m := e.member(book, "Alice")
		return m.Messages >= 2
	})
	e.settle()
	if _, m := e.member(book, "Alice"); m.Messages != 2 {
		t.Errorf("Alice has %d messages after the duplicate, want 2", m.Messages)
	}
	// After a restart (a hot login replays history), the core drops it.
	e.stop()
	e.start()
	e.loggedIn(1)
	e.srv.SayID("book", "alice", "第三章读完了，收获很多", "777")
	e.srv.Say("book", "alice", "新消息")
	e.waitFor("the new message", func() bool {
		for _, ev := range e.core.Events(bot.KindMessage) {
			if ev.Text == "新消息" {
				return true
			}
		}
		return false
	})
	// Both events are with the core; once committed, the replay must not
	// have counted.
	e.settle()
	if _, m := e.member(book, "Alice"); m.Messages != 3 {
		t.Errorf("Alice has %d messages after the replay, want 3", m.Messages)
	}
}

func TestImageDigest(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	img := pngBytes(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := e.a.Send(ctx, bot.Reply{Group: book, Text: "📊 本周周报", Image: &bot.Image{Name: "weekly.png", Type: "image/png", Data: img}})
	if err != nil {
		t.Fatal(err)
	}
	ups := e.srv.Uploads()
	if len(ups) != 1 || ups[0].ToKey != "book" || !bytes.Equal(ups[0].Data, img) || ups[0].MediaType != "pic" || !strings.HasSuffix(ups[0].Name, "weekly.png") {
		t.Fatalf("uploads %+v", ups)
	}
	var kinds []int
	for _, s := range e.srv.Sent() {
		if s.ToKey == "book" {
			kinds = append(kinds, s.Type)
			if s.Type == 3 && s.MediaID != ups[0].MediaID {
				t.Errorf("image sent with media %q, uploaded %q", s.MediaID, ups[0].MediaID)
			}
		}
	}
	if !slices.Equal(kinds, []int{1, 3}) {
		t.Errorf("sent %v, want text then image", kinds)
	}
	// A digest for the owner goes to her by direct message.
	oliviaID, _ := e.member(book, "Olivia")
	if err := e.a.Send(ctx, bot.Reply{Group: book, Direct: true, To: oliviaID, Text: "群主周报"}); err != nil {
		t.Fatal(err)
	}
	if got := e.sentTo("olivia"); !slices.Contains(got, "群主周报") {
		t.Errorf("sent to Olivia: %q", got)
	}
	// Unknown groups are refused.
	if err := e.a.Send(ctx, bot.Reply{Group: "wechat/nope", Text: "x"}); !errors.Is(err, wechat.ErrUnknownGroup) {
		t.Errorf("Send to an unknown group: %v", err)
	}
}

func TestDigestOff(t *testing.T) {
	e := newEnv(t)
	off := false
	e.cfg.GroupSettings = map[string]wechat.GroupConfig{"读书会": {Digest: &off}}
	e.start()
	e.loggedIn(1)
	e.link()
	if err := e.a.Send(context.Background(), bot.Reply{Group: book, Text: "周报"}); err != nil {
		t.Fatal(err)
	}
	if got := e.sentTo("book"); len(got) != 0 {
		t.Errorf("digest sent although off: %q", got)
	}
}

func TestLongReplySplit(t *testing.T) {
	e := newEnv(t)
	e.cfg.SplitLength = 100
	e.start()
	e.loggedIn(1)
	e.link()
	var lines []string
	for i := range 30 {
		lines = append(lines, strings.Repeat("字", 9)+string(rune('A'+i%26)))
	}
	text := strings.Join(lines, "\n")
	if err := e.a.Send(context.Background(), bot.Reply{Group: book, Text: text}); err != nil {
		t.Fatal(err)
	}
	parts := e.sentTo("book")
	if len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if n := len([]rune(p)); n > 100 || strings.HasPrefix(p, "\n") {
			t.Errorf("part of %d characters: %q", n, p)
		}
	}
	if strings.Join(parts, "\n") != text {
		t.Error("parts do not add up to the text")
	}
}

func TestServerLogout(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	old := e.srv.UserName("alice")
	e.srv.SetSyncRetcode(1101)
	e.loggedIn(2)
	logs := e.logs.String()
	if !strings.Contains(logs, "session ended") || !strings.Contains(logs, "1101") || !strings.Contains(logs, "已退出登录") {
		t.Errorf("the reason is not logged:\n%s", logs)
	}
	if e.srv.Logins() != 2 || e.srv.Count("webwxpushloginurl") != 1 {
		t.Errorf("logins %d, push logins %d", e.srv.Logins(), e.srv.Count("webwxpushloginurl"))
	}
	if e.srv.UserName("alice") == old {
		t.Error("UserNames did not change at the new login")
	}
	// The owner hears of it once the bot is back.
	got := e.waitSent("olivia", "重新登录")
	if !strings.Contains(got, "1101") {
		t.Errorf("owner notice %q lacks the reason", got)
	}
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "签到成功")
}

func TestRateLimitBackoff(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()

	before := e.srv.Count("synccheck")
	e.srv.SetSyncRetcode(1205)
	e.waitFor("four 1205s", func() bool { return e.a.Stats().RateLimited >= 4 })
	polls, waits := e.srv.Count("synccheck")-before, e.a.Stats().RateLimited
	// One poll per wait: no hot loop.
	if polls > int(waits)+2 {
		t.Errorf("%d polls for %d waits", polls, waits)
	}
	if !strings.Contains(e.logs.String(), "1205") {
		t.Errorf("1205 not logged:\n%s", e.logs)
	}
	e.srv.SetSyncRetcode(0)
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "签到成功")

	// webwxsync's own 1205, which openwechat does not check.
	limited := e.a.Stats().RateLimited
	syncs := e.srv.Count("webwxsync")
	e.srv.Fail("webwxsync", 1205, 3)
	e.waitFor("three more 1205s", func() bool { return e.a.Stats().RateLimited >= limited+3 })
	if n := e.srv.Count("webwxsync") - syncs; n > 4 {
		t.Errorf("%d syncs for 3 refusals", n)
	}
	e.srv.Say("book", "bob", "签到")
	e.waitSent("book", "小鲍 签到成功")
	if e.a.Stats().Sessions != 1 {
		t.Errorf("1205 ended the session: %+v", e.a.Stats())
	}
}

func TestSendBackoff(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.Fail("webwxsendmsg", 1205, 2)
	if err := e.a.Send(context.Background(), bot.Reply{Group: book, Text: "稍后送达"}); err != nil {
		t.Fatal(err)
	}
	if got := e.sentTo("book"); !slices.Equal(got, []string{"稍后送达"}) {
		t.Errorf("sent %q", got)
	}
	if n := e.a.Stats().RateLimited; n != 2 {
		t.Errorf("rate limited %d times, want 2", n)
	}
}

func TestReloginKeepsHistory(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.Say("book", "bob", "签到")
	e.waitSent("book", "小鲍 签到成功")
	before := map[string]store.Member{}
	ids := map[string]string{}
	for _, name := range []string{"Olivia", "Alice", "小鲍"} {
		id, m := e.member(book, name)
		ids[name], before[name] = id, *m
	}
	users := e.srv.UserName("bob")

	e.srv.SetSyncRetcode(1101)
	e.loggedIn(2)
	if e.srv.UserName("bob") == users {
		t.Fatal("UserNames did not change")
	}
	e.srv.Say("book", "bob", "我的")
	e.srv.Say("book", "alice", "我回来了，今天继续读书")
	e.waitFor("Alice's message", func() bool {
		_, m := e.member(book, "Alice")
		return m.Messages == before["Alice"].Messages+1
	})
	e.waitSent("book", "小鲍")
	for name, id := range ids {
		gotID, m := e.member(book, name)
		if gotID != id {
			t.Errorf("%s: id %s, was %s", name, gotID, id)
		}
		if m.Points < before[name].Points || m.XP < before[name].XP || m.Checkins != before[name].Checkins {
			t.Errorf("%s lost history: %+v, was %+v", name, m, before[name])
		}
	}
	if n := e.memberCount(book); n != 3 {
		t.Errorf("%d members in the store, want 3", n)
	}
	for _, ev := range e.core.Events(bot.KindMessage) {
		if ev.Member.Name == "小鲍" && ev.Member.ID != ids["小鲍"] {
			t.Errorf("Bob's event under %s, want %s", ev.Member.ID, ids["小鲍"])
		}
	}
}

// pngBytes is a small chart.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 32))
	for x := range 64 {
		for y := 32 - x/2; y < 32; y++ {
			img.Set(x, y, color.RGBA{R: 40, G: 120, B: 200, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
