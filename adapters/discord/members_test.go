package discord_test

import (
	"context"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/discord/discordtest"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// listed is how many of the test server's members are not bots.
var listed = len(testGuild().Members) - 2

func (h *harness) present() int {
	n := 0
	for _, m := range h.members() {
		if m.Present {
			n++
		}
	}
	return n
}

// roster returns the group's joins and leaves.
func (h *harness) roster() []store.RosterEntry {
	h.t.Helper()
	var out []store.RosterEntry
	err := h.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(key)
		if err != nil || g == nil {
			return err
		}
		return g.ForEachRoster(0, 1<<62, func(e store.RosterEntry) error {
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// TestJoinedAtIsNotNew: every member of the server joined on 2023-06-01;
// dave joins today (2026-03-02). alice, dave and the syncer speak today.
// By hand, for the 7 days ending today: members 8 listed + dave = 9;
// new_members 1 (dave's join; the list counts none); segments: silent 6
// (owner, mod, bob, carol, evie, ada), new 1 (dave, joined today and
// active), active 2 (alice and the syncer: joined in 2023, 1 day of the
// last 7). Without the join times all three speakers would be new.
func TestJoinedAtIsNotNew(t *testing.T) {
	t.Parallel()
	joined := time.Date(2023, 6, 1, 8, 0, 0, 0, time.UTC)
	h := newHarness(t, func(s *setup) {
		g := testGuild()
		for i := range g.Members {
			g.Members[i].JoinedAt = joined
		}
		s.fake.Guilds = []discordtest.Guild{g}
	})
	h.eventually("the member list recorded", func() bool { return h.present() == listed })
	h.say(alice, general, "hello everyone")
	dave := user(daveID, "dave")
	h.srv.MemberAdd(guildID, discordtest.Member{User: dave})
	h.say(dave, general, "hi, I'm new")
	h.sync()

	rep, err := h.bot.Report(context.Background(), key, calendar.DayOf(start, time.UTC), 7)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Members != 9 || rep.NewMembers != 1 || rep.LeftMembers != 0 {
		t.Errorf("members %d, new %d, left %d; want 9, 1, 0", rep.Members, rep.NewMembers, rep.LeftMembers)
	}
	if sg := rep.Segments; sg.Silent != 6 || sg.New != 1 || sg.Active != 2 || sg.Core != 0 {
		t.Errorf("segments %+v; want silent 6, new 1, active 2", sg)
	}
	if m := h.members(); m[aliceID].FirstSeen != "2023-06-01" || m[daveID].FirstSeen != "2026-03-02" {
		t.Errorf("first days: alice %s, dave %s", m[aliceID].FirstSeen, m[daveID].FirstSeen)
	}
}

// TestLeftWhileAway: carol leaves while the bot is disconnected and the
// session that would have told it is gone. The new session's member list
// no longer has her: she is marked left, dated when the list was read
// (an hour after the start). By hand: present 8 − 1 = 7, left_members 1,
// one leave on the roster, at start + 1h.
func TestLeftWhileAway(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.eventually("the member list recorded", func() bool { return h.present() == listed })
	h.clock.Add(time.Hour)
	h.srv.LeaveQuietly(guildID, carolID)
	h.srv.InvalidateSession()
	h.srv.Drop()
	h.waitGateway("identified again", func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Live })
	h.eventually("carol marked left", func() bool { return !h.members()[carolID].Present })
	if n := h.present(); n != listed-1 {
		t.Errorf("%d present, want %d", n, listed-1)
	}
	if gd := h.groupDay(); gd.Leaves != 1 || gd.Joins != 0 {
		t.Errorf("day: %d leaves, %d joins; want 1, 0", gd.Leaves, gd.Joins)
	}
	if r := h.roster(); len(r) != 1 || r[0].Member != carolID || r[0].Join || r[0].Time != start.Add(time.Hour).Unix() {
		t.Errorf("roster %+v; want carol's leave at start + 1h", r)
	}
}

// TestPartialListMarksNoOne: a large server (40 members, 3 in
// GUILD_CREATE, chunks of 10: 4 chunks). carol leaves while the bot is
// away; the next session loses chunk 1 of 4, so its list is partial and
// nothing is marked left. The session after gets the whole list: carol
// is marked left once, dated by that list (start + 2h), not the partial
// one (start + 1h).
func TestPartialListMarksNoOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *setup) {
		g := testGuild()
		for i := range 30 {
			id := "21000000000000" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + "00"
			g.Members = append(g.Members, discordtest.Member{User: user(id, "m"+id[14:16]), JoinedAt: start.AddDate(-1, 0, 0)})
		}
		g.InitialMembers = 3
		s.fake.Guilds = []discordtest.Guild{g}
		s.fake.ChunkSize = 10
	})
	all := listed + 30
	h.eventually("the member list recorded", func() bool { return h.present() == all })

	requested := func(n int) func(discordtest.GatewayStats) bool {
		return func(s discordtest.GatewayStats) bool {
			c := 0
			for _, g := range s.Requested {
				if g == guildID {
					c++
				}
			}
			return c == n && s.Live
		}
	}
	reconnect := func(lose ...int) {
		h.clock.Add(time.Hour)
		if len(lose) > 0 {
			h.srv.LoseChunks(lose...)
		}
		h.srv.InvalidateSession()
		h.srv.Drop()
	}
	h.srv.LeaveQuietly(guildID, carolID)
	reconnect(1)
	h.waitGateway("the partial list asked for", requested(2))
	h.sync()
	time.Sleep(50 * time.Millisecond) // a reconciliation would be under way by now
	if !h.members()[carolID].Present || h.groupDay().Leaves != 0 {
		t.Fatalf("a partial list marked members left: carol present %v, leaves %d", h.members()[carolID].Present, h.groupDay().Leaves)
	}

	reconnect()
	h.waitGateway("the whole list asked for", requested(3))
	h.eventually("carol marked left", func() bool { return !h.members()[carolID].Present })
	if n := h.present(); n != all-1 {
		t.Errorf("%d present, want %d", n, all-1)
	}
	r := h.roster()
	if len(r) != 1 || r[0].Member != carolID || r[0].Time != start.Add(2*time.Hour).Unix() {
		t.Errorf("roster %+v; want carol's leave at start + 2h", r)
	}
}
