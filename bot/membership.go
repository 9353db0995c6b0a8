package bot

import (
	"github.com/pulsebot/pulse/store"
)

// join records a member joining. Every join counts, a rejoin too: Pulse
// often never sees the leave in between (exports have no leaves; members
// leave while Pulse is offline), so a member it believes present may join
// again. A join with an id that was already applied never gets here (apply
// drops it); a join without one (Discord's member-add, which a resumed
// session can deliver again) at the same second as the member's recorded
// join time is that join repeated, and counts nothing.
func (c *call) join() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.MemberW(ev.Member.ID)
	if err != nil {
		return err
	}
	if m.Present && m.JoinedAt == ev.Time.Unix() && m.JoinedAt > m.LeftAt {
		return nil // the same join at the same instant: a repeated notice
	}
	if _, err := c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	m.Present = true
	m.JoinedAt = ev.Time.Unix()
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Joins++
	return c.g.AppendRoster(store.RosterEntry{Time: ev.Time.Unix(), Member: ev.Member.ID, Name: m.Name, Join: true, Inviter: ev.Target.ID})
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
	m.Present = false
	m.LeftAt = ev.Time.Unix()
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Leaves++
	return c.g.AppendRoster(store.RosterEntry{Time: ev.Time.Unix(), Member: ev.Member.ID, Name: m.Name})
}

// present records that a member is in the group without any activity.
func (c *call) present() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.Member(ev.Member.ID)
	if err != nil || m != nil && m.Present {
		return err
	}
	if m, err = c.touch(ev.Member.ID, ev.Member); err != nil {
		return err
	}
	m.Present = true
	return nil
}
