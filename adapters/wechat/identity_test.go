package wechat_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/config"
	"github.com/pulsebot/pulse/store"
)

// byID returns a member's record in the core's store.
func (e *env) byID(group, id string) *store.Member {
	e.t.Helper()
	var out *store.Member
	err := e.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		m, err := g.Member(id)
		if m != nil {
			c := *m
			out = &c
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// identities returns the adapter's identity records of a group by id, as
// the core keeps them.
func (e *env) identities(gid string) map[string]wechat.MemberRecord {
	e.t.Helper()
	ms, err := e.core.MemberLinks(context.Background(), wechat.Platform, gid)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]wechat.MemberRecord{}
	for _, r := range ms {
		m, err := wechat.DecodeMember(r.Data)
		if err != nil {
			e.t.Fatalf("member %s: %v", r.ID, err)
		}
		out[m.ID] = m
	}
	return out
}

// groupIdentities returns the adapter's group records, as the core keeps
// them.
func (e *env) groupIdentities() []wechat.GroupRecord {
	e.t.Helper()
	set, err := e.core.Links(context.Background(), wechat.Platform)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []wechat.GroupRecord
	for _, r := range set.Groups {
		g, err := wechat.DecodeGroup(r.Data)
		if err != nil {
			e.t.Fatalf("group %s: %v", r.ID, err)
		}
		out = append(out, g)
	}
	return out
}

// restart stops the adapter and starts a new one (reusing the session).
func (e *env) restart() {
	e.t.Helper()
	e.stop()
	e.start()
	e.loggedIn(1)
}

func TestDisplayNameKeepsIdentity(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	bobID, _ := e.member(book, "小鲍")
	e.srv.RenamePerson("bob", "Robert") // while Pulse is away
	e.restart()
	e.srv.Say("book", "bob", "签到")
	e.waitSent("book", "小鲍 签到成功")
	for _, ev := range e.core.Events(bot.KindMessage) {
		if ev.Member.Name == "小鲍" && ev.Member.ID != bobID {
			t.Errorf("Bob got %s, was %s", ev.Member.ID, bobID)
		}
	}
	r := e.identities("读书会")[bobID]
	if r.Nick != "Robert" || !strings.Contains(strings.Join(r.Names, ","), "Bob") {
		t.Errorf("Bob's identity %+v", r)
	}
}

func TestClaimAfterRename(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "Alice 签到成功")
	aliceID, before := e.member(book, "Alice")

	// Renamed while Pulse was away, without a display name: a new member
	// as far as Pulse can tell, until she claims her record.
	e.srv.RenamePerson("alice", "Alicia")
	e.srv.AddMember("book", wechattest.Member{Key: "gina", Nick: "Gina"}) // joined silently meanwhile
	e.restart()
	e.srv.Say("book", "alice", "认领 Alice")
	got := e.waitSent("book", "已认领")
	if !strings.Contains(got, aliceID) || !strings.Contains(got, "Alicia") {
		t.Errorf("claim answer %q", got)
	}
	e.waitFor("the claim's message under the old id", func() bool {
		m := e.byID(book, aliceID)
		return m.Name == "Alicia" && m.Messages == before.Messages+1
	})
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "Alicia 今天已经签到过了")
	if m := e.byID(book, aliceID); m.Points != before.Points || m.Checkins != 1 {
		t.Errorf("Alice's record after the claim: %+v, was %+v", m, before)
	}
	// The id she had for a moment is merged into hers; a replay of the
	// claim does nothing.
	var merged int
	for _, r := range e.identities("读书会") {
		if r.MergedInto == aliceID {
			merged++
		}
	}
	if merged != 1 {
		t.Errorf("%d ids merged into %s", merged, aliceID)
	}
	// No id of hers but the old one reached the core; Gina gets hers when
	// she first speaks.
	e.srv.Say("book", "gina", "签到")
	e.waitSent("book", "Gina 签到成功")
	if n := e.memberCount(book); n != 4 {
		t.Errorf("%d members in the store, want 4 (Olivia, Alice, Bob, Gina)", n)
	}
	n := len(e.sentTo("book"))
	e.srv.Say("book", "bob", "认领 Olivia") // Olivia is here: not claimable
	e.waitSent("book", "没有找到可以认领")
	if len(e.sentTo("book")) != n+1 {
		t.Errorf("answers %q", e.sentTo("book"))
	}
}

func TestAdminMerge(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	e.srv.Say("book", "bob", "签到")
	e.waitSent("book", "小鲍 签到成功")
	bobID, _ := e.member(book, "小鲍")
	e.srv.RenamePerson("bob", "Bobby")
	e.srv.SetDisplay("book", "bob", "")
	e.restart()

	e.srv.Say("book", "alice", "合并 小鲍 Bobby")
	e.waitSent("book", "只有管理员")
	e.srv.Say("book", "olivia", "/merge 小鲍 Bobby") // the group owner is an admin
	got := e.waitSent("book", "合并给 Bobby")
	if !strings.Contains(got, bobID) {
		t.Errorf("merge answer %q", got)
	}
	e.srv.Say("book", "bob", "签到")
	e.waitSent("book", "Bobby 今天已经签到过了")
}

func TestGroupRenames(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	// Renamed in the chat.
	e.srv.RenameGroup("book", "读书会2026")
	e.srv.System("book", `"Olivia"修改群名为“读书会2026”`)
	e.waitFor("the rename", func() bool { return strings.Contains(e.logs.String(), "name=读书会2026") })
	e.srv.ExpireSessions()
	e.restart()
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "Alice 签到成功")

	// Renamed while Pulse was away: recognised by its members.
	e.srv.RenameGroup("book", "新读书会")
	e.restart()
	e.srv.Say("book", "bob", "签到")
	e.waitSent("book", "小鲍 签到成功")
	for _, ev := range e.core.Events(bot.KindMessage) {
		if ev.Group != book {
			t.Errorf("event in %s, want %s", ev.Group, book)
		}
	}
	g := e.groupIdentities()
	if len(g) != 1 || g[0].ID != "读书会" || g[0].Name != "新读书会" || strings.Join(g[0].Names, ",") != "读书会,读书会2026" {
		t.Errorf("group identities %+v", g)
	}
}

func TestAmbiguousMembers(t *testing.T) {
	e := newEnv(t)
	e.srv.AddGroup("run", "跑步群", "",
		wechattest.Member{Key: "w1", Nick: "小王"}, wechattest.Member{Key: "w2", Nick: "小王"},
		wechattest.Member{Key: "z", Nick: "小张"})
	e.start()
	e.loggedIn(1)
	e.srv.Say("run", "z", "早")
	e.waitFor("three present", func() bool { return len(e.core.Events(bot.KindPresent)) == 3 })
	// Next session: the two 小王 cannot be told apart.
	e.restart()
	e.waitFor("ambiguity", func() bool { return e.a.Stats().Ambiguous == 2 })
	if !strings.Contains(e.logs.String(), "cannot be told apart") {
		t.Errorf("not reported:\n%s", e.logs)
	}
	e.srv.Say("run", "w1", "签到")
	e.waitSent("run", "多位成员叫「小王」")
	e.waitSent("run", "小王 签到成功")
	// 小张 kept his id.
	var ids []string
	for _, ev := range e.core.Events(bot.KindMessage) {
		if ev.Member.Name == "小张" {
			ids = append(ids, ev.Member.ID)
		}
	}
	if len(ids) != 1 {
		t.Errorf("小张's ids %v", ids)
	}
}

func TestUnknownSenderWaitsForList(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	e.link()
	// Joined without a notice and speaks at once.
	e.srv.AddMember("book", wechattest.Member{Key: "frank", Nick: "Frank"})
	e.srv.Say("book", "frank", "签到")
	e.waitSent("book", "Frank 签到成功")
	if st := e.a.Stats(); st.Unresolved != 0 {
		t.Errorf("%+v", st)
	}
}

// gate is a core that blocks Submit until opened.
type gate struct {
	*recorder
	open chan struct{}
}

func (g *gate) Submit(ctx context.Context, ev bot.Event) (*bot.Pending, error) {
	<-g.open
	return g.recorder.Submit(ctx, ev)
}

func TestQueueOverflowCounted(t *testing.T) {
	e := newEnv(t)
	g := &gate{recorder: e.core, open: make(chan struct{})}
	log := e.logs
	a, err := wechat.New(context.Background(), e.cfg, g, slogTo(log), wechat.WithQRWriter(e.qr), wechat.WithTiming(e.tm),
		wechat.WithClock(fixedClock{now}), wechat.WithQueueSize(2))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() { cancel(); <-done }()
	e.waitFor("login", a.LoggedIn)
	for range 10 {
		e.srv.Say("book", "alice", "刷屏")
	}
	e.waitFor("drops", func() bool { return a.Stats().Received >= 10 })
	close(g.open)
	if st := a.Stats(); st.Dropped == 0 || st.Dropped > 9 {
		t.Errorf("%+v", st)
	}
	e.waitFor("the drop logged", func() bool { return strings.Contains(log.String(), "queue full") })
}

func TestNewRefusesBadConfig(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		cfg  wechat.Config
		want string
	}{
		{wechat.Config{SplitLength: 10}, "split_length"},
		{wechat.Config{SendInterval: 10 * time.Millisecond}, "send_interval"},
		{wechat.Config{MemberPoll: time.Millisecond}, "member_poll"},
		{wechat.Config{BaseURL: "ftp://x"}, "base_url"},
		{wechat.Config{Groups: []string{" "}}, "wechat.groups: entry 1 is empty"},
		{wechat.Config{GroupSettings: map[string]wechat.GroupConfig{"a": {Admins: []string{""}}}}, "group_settings.a.admins"},
	} {
		_, err := wechat.New(context.Background(), tc.cfg, e.core, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error about %s", tc.cfg, err, tc.want)
		}
	}
	if err := config.Check(wechat.Platform, wechat.Config{}); err != nil {
		t.Errorf("the empty section: %v", err)
	}
}

func TestGroupReadRetried(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.loggedIn(1)
	// The first read of the group's member list is refused (1205).
	e.srv.Fail("webwxbatchgetcontact", 1205, 1)
	e.srv.Say("book", "alice", "签到")
	e.waitSent("book", "Alice 签到成功")
	if st := e.a.Stats(); st.RateLimited == 0 || st.Unresolved != 0 {
		t.Errorf("%+v", st)
	}
}

// clock is a clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func TestLeftWhileAway(t *testing.T) {
	e := newEnv(t)
	c := &clock{t: now}
	e.start(wechat.WithClock(c))
	e.loggedIn(1)
	e.link()
	bobID, _ := e.member(book, "小鲍")
	e.stop()
	e.srv.RemoveMember("book", "bob")

	// Missing at the next start: left, or renamed? Not yet a leave.
	c.set(now.Add(time.Hour))
	e.start(wechat.WithClock(c))
	e.loggedIn(1)
	e.waitFor("Bob missing", func() bool { return e.identities("读书会")[bobID].Missing != 0 })
	if _, leaves := e.roster(book); len(leaves) != 0 {
		t.Errorf("leaves %v after an hour", leaves)
	}
	e.stop()

	// Two days later he is recorded as left, at the time he was missed.
	c.set(now.Add(49 * time.Hour))
	e.start(wechat.WithClock(c))
	e.loggedIn(1)
	e.waitFor("Bob's leave", func() bool {
		_, leaves := e.roster(book)
		return leaves[bobID] == 1
	})
	if m := e.byID(book, bobID); m.Present || m.LeftAt != now.Add(time.Hour).Unix() {
		t.Errorf("Bob: %+v, want left at %v", m, now.Add(time.Hour))
	}
}
