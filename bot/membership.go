package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// join records a member joining. Every join counts, a rejoin too: Pulse
// often never sees the leave in between (exports have no leaves; members
// leave while Pulse is offline), so a member it believes present may join
// again. A join with an id that was already applied never gets here (apply
// drops it); a join without one (Discord's member-add, which a resumed
// session can deliver again) at the same second as a join already on the
// roster, while the member is still present from it, is that join
// repeated, and counts nothing. (A member list's join time alone is no
// join: a join notice at that second still counts.)
func (c *call) join() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.MemberW(ev.Member.ID)
	if err != nil {
		return err
	}
	at := ev.Time.Unix()
	if m.Present && m.JoinedAt == at && m.JoinedAt > m.LeftAt {
		repeated, err := c.joinOnRoster(ev.Member.ID, at)
		if err != nil || repeated {
			return err // the same join at the same instant: a repeated notice
		}
	}
	if _, err := c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	m.Present = true
	m.JoinedAt = at
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Joins++
	return c.g.AppendRoster(store.RosterEntry{Time: at, Member: ev.Member.ID, Name: m.Name, Join: true, Inviter: ev.Target.ID})
}

// joinOnRoster reports whether the roster has a join of the member at the
// second at.
func (c *call) joinOnRoster(id string, at int64) (bool, error) {
	found := false
	err := c.g.ForEachRoster(at, at+1, func(e store.RosterEntry) error {
		found = found || e.Join && e.Member == id
		return nil
	})
	return found, err
}

// leave records a member leaving, once per stay. A member Pulse never saw
// was there before it came: the leave still counts.
func (c *call) leave() error {
	ev := c.ev
	m, err := c.g.Member(ev.Member.ID)
	if err != nil || ev.Member.IsBot {
		return err
	}
	if m != nil && !m.Present && m.LeftAt != 0 {
		return nil // already left: a repeated notice
	}
	if m, err = c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	return recordLeave(c.g, ev.Member.ID, m, ev.Time.Unix(), c.day)
}

// recordLeave marks a member left at `at` (unix seconds, local day `day`):
// not present, counted in the day's leaves, on the roster.
func recordLeave(g *store.Group, id string, m *store.Member, at int64, day calendar.Day) error {
	m.Present = false
	m.LeftAt = at
	gd, err := g.GroupDayW(day)
	if err != nil {
		return err
	}
	gd.Leaves++
	return g.AppendRoster(store.RosterEntry{Time: at, Member: id, Name: m.Name})
}

// present records that a member is in the group without any activity,
// and the platform's join time when the event has one (Event.Joined). It
// counts no join.
func (c *call) present() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.Member(ev.Member.ID)
	if err != nil {
		return err
	}
	var joined int64
	var joinDay calendar.Day
	if !ev.Joined.IsZero() {
		joined, joinDay = ev.Joined.Unix(), calendar.DayOf(ev.Joined, c.gs.Location)
	}
	if m != nil && m.Present && (joined == 0 || m.JoinedAt == joined && m.FirstSeen <= joinDay) {
		return nil // nothing new: no write
	}
	if m == nil || !m.Present {
		if m, err = c.touch(ev.Member.ID, ev.Member); err != nil {
			return err
		}
		m.Present = true
	} else if m, err = c.g.MemberW(ev.Member.ID); err != nil {
		return err
	}
	if joined != 0 {
		m.JoinedAt = joined
		if m.FirstSeen == 0 || joinDay < m.FirstSeen {
			m.FirstSeen = joinDay
		}
	}
	return nil
}

// memberSince is the first local day of a member's current stay: their
// join's day when Pulse knows it (a join event or the platform's join
// time), else the day they were first seen.
func memberSince(m *store.Member, loc *time.Location) calendar.Day {
	if m.JoinedAt != 0 {
		if d := calendar.DayOf(time.Unix(m.JoinedAt, 0), loc); d > m.FirstSeen {
			return d
		}
	}
	return m.FirstSeen
}

// Reconcile makes a platform's complete member list authoritative for a
// group. listed is every member the platform lists (bots may be left out:
// bots are never counted), read at `at` (zero: the clock's now). Each
// member the group holds as present who is not listed has left while Pulse
// did not see it: they are marked left at `at`, counted in the leaves of
// at's local day and put on the roster, all in one transaction; left is
// how many. Members who joined at or after `at`, or were active on a later
// day than at's, are not touched (the list predates them). Listed members
// are not recorded here: adapters send them as present events (with their
// join times), before or after, in any order. A group the store does not
// hold has nothing to reconcile (0, nil).
//
// Call it only with a complete list: a partial one (some chunks missing,
// a platform call that failed half way) would mark members left who are
// still there. An empty list is refused (ErrBadEvent): a group is never
// empty while the bot is in it, so an empty list is a failed read.
func (b *Bot) Reconcile(ctx context.Context, group string, listed []Member, at time.Time) (left int, err error) {
	switch {
	case group == "" || !strings.Contains(group, "/"):
		return 0, fmt.Errorf("reconcile %q: %w: group key is not platform/id", group, ErrBadEvent)
	case len(listed) == 0:
		return 0, fmt.Errorf("reconcile %s: %w: an empty member list", group, ErrBadEvent)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("reconcile %s: %w", group, err)
	}
	if at.IsZero() {
		at = b.clock.Now()
	}
	known := false
	if err := b.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		known = g != nil
		return err
	}); err != nil || !known {
		return 0, err
	}
	in := make(map[string]bool, len(listed))
	for _, m := range listed {
		in[m.ID] = true
	}
	gs := b.group(group)
	day := calendar.DayOf(at, gs.Location)
	unix := at.Unix()
	err = b.db.Update(ctx, func(tx *store.Tx) error {
		left = 0 // fn may run again if its batch is retried
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		var gone []string
		err = g.ForEachMember(func(id string, m *store.Member) error {
			if m.Present && !m.IsBot && !in[id] && m.JoinedAt < unix && m.LastActive <= day {
				gone = append(gone, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range gone {
			m, err := g.MemberW(id)
			if err != nil {
				return err
			}
			if err := recordLeave(g, id, m, unix, day); err != nil {
				return err
			}
			left++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reconcile %s: %w", group, err)
	}
	return left, nil
}
