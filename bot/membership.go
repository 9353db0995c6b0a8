package bot

import (
	"github.com/pulsebot/pulse/store"
)

// join records a member joining, once per stay.
func (c *call) join() error {
	ev := c.ev
	if ev.Member.IsBot {
		return nil
	}
	m, err := c.g.MemberW(ev.Member.ID)
	if err != nil {
		return err
	}
	if m.Present && m.JoinedAt > m.LeftAt {
		return nil // already joined and still here: a repeated notice
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
