package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulsebot/pulse/store"
)

// XPSet is one member's XP as another system counts it (a MEE6
// leaderboard), for importers.
type XPSet struct {
	// Member names the member; Name is used only for a member Pulse does
	// not know yet (or knows without a name).
	Member Member
	XP     int64
}

// XPChange is what SetXP did to one member.
type XPChange struct {
	ID      string
	Name    string
	Before  int64
	After   int64
	Created bool // the member was not known before
	Skipped bool // a bot: left unchanged
}

// SetXP sets members' XP in one transaction: to the given value, or with
// keepHigher to the larger of Pulse's and the given value. Members Pulse
// does not know are created with their name; they are not marked present
// (a leaderboard lists members who left too) until they are seen. Points,
// the ledger, day aggregates and the XP cooldown are left alone, and no
// level-up is announced: levels follow from XP. Members known as bots are
// skipped. Invalid input (a group that is not platform/id, a member
// without an id, negative XP) changes nothing.
func (b *Bot) SetXP(ctx context.Context, group string, sets []XPSet, keepHigher bool) ([]XPChange, error) {
	if group == "" || !strings.Contains(group, "/") {
		return nil, fmt.Errorf("set xp: %w: group key %q is not platform/id", ErrBadEvent, group)
	}
	for i, s := range sets {
		switch {
		case s.Member.ID == "":
			return nil, fmt.Errorf("set xp in %s: %w: entry %d has no member id", group, ErrBadEvent, i+1)
		case s.XP < 0:
			return nil, fmt.Errorf("set xp in %s: %w: member %s: negative XP %d", group, ErrBadEvent, s.Member.ID, s.XP)
		}
	}
	gs := b.group(group)
	var changes []XPChange
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		changes = changes[:0] // the writer may run this more than once
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		if err := b.recordSettings(g, gs, b.clock.Now()); err != nil {
			return err
		}
		for _, s := range sets {
			old, err := g.Member(s.Member.ID)
			if err != nil {
				return err
			}
			ch := XPChange{ID: s.Member.ID, Created: old == nil}
			if old != nil && old.IsBot {
				ch.Name, ch.Before, ch.After, ch.Skipped = old.Name, old.XP, old.XP, true
				changes = append(changes, ch)
				continue
			}
			m, err := g.MemberW(s.Member.ID)
			if err != nil {
				return err
			}
			if m.Name == "" {
				m.Name = s.Member.Name
				if m.Name == "" {
					m.Name = s.Member.ID
				}
			}
			ch.Name, ch.Before = m.Name, m.XP
			if !keepHigher || s.XP > m.XP {
				m.XP = s.XP
			}
			ch.After = m.XP
			changes = append(changes, ch)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set xp in %s: %w", group, err)
	}
	return changes, nil
}
