package metrics

import (
	"fmt"
	"time"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// member is what the engine needs of a member record.
type member struct {
	name      string
	index     uint32
	firstSeen calendar.Day
	present   bool
	joinedAt  int64
	leftAt    int64
}

// Engine computes metrics for one group inside one transaction. It reads
// the member list once and caches the days it reads, so a report and its
// previous window, segments and goals cost one pass.
type Engine struct {
	g       *store.Group
	loc     *time.Location
	members []member
	active  map[calendar.Day]store.Bitmap
	days    map[calendar.Day]store.GroupDay
}

// New reads the group's members; g must stay open while the engine is used.
func New(g *store.Group, loc *time.Location) (*Engine, error) {
	e := &Engine{g: g, loc: loc, active: map[calendar.Day]store.Bitmap{}, days: map[calendar.Day]store.GroupDay{},
		members: make([]member, 0, g.MemberCount())}
	err := g.ForEachMember(func(id string, m *store.Member) error {
		if m.IsBot || !seen(m) {
			return nil
		}
		e.members = append(e.members, member{name: m.Name, index: m.Index, firstSeen: m.FirstSeen, present: m.Present, joinedAt: m.JoinedAt, leftAt: m.LeftAt})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("metrics of %s: %w", g.Key(), err)
	}
	return e, nil
}

// seen reports whether a member was ever seen in the group (joined,
// active, listed or left) rather than only named by someone else.
func seen(m *store.Member) bool {
	return m.JoinedAt != 0 || m.LeftAt != 0 || m.LastActive != 0 || m.Present
}

// end is the first instant after day d, in unix seconds.
func (e *Engine) end(d calendar.Day) int64 { return (d + 1).Start(e.loc).Unix() }

// presentAt says whether a member was in the group at the end of day d,
// from their first sighting and their last join and leave.
func (m *member) presentAt(d calendar.Day, end int64) bool {
	if m.firstSeen > d {
		return false
	}
	if m.present {
		// Absent at d only if they had left by then and came back after.
		return !(m.leftAt != 0 && m.leftAt < end && m.joinedAt >= end)
	}
	return m.leftAt >= end
}

// Present returns the members present at the end of day d.
func (e *Engine) Present(d calendar.Day) store.Bitmap {
	var b store.Bitmap
	end := e.end(d)
	for i := range e.members {
		if e.members[i].presentAt(d, end) {
			b.Set(e.members[i].index)
		}
	}
	return b
}

func (e *Engine) day(d calendar.Day) (store.Bitmap, error) {
	if b, ok := e.active[d]; ok {
		return b, nil
	}
	b, err := e.g.Active(d)
	if err != nil {
		return nil, err
	}
	e.active[d] = b
	return b, nil
}

// Union is the members active on any day of from..to.
func (e *Engine) Union(from, to calendar.Day) (store.Bitmap, error) {
	var u store.Bitmap
	for d := from; d <= to && d > 0; d++ {
		b, err := e.day(d)
		if err != nil {
			return nil, err
		}
		u.Or(b)
	}
	return u, nil
}

// sums adds up the group's daily sums over from..to.
func (e *Engine) sums(from, to calendar.Day) (store.GroupDay, error) {
	var s store.GroupDay
	var missing []calendar.Day
	for d := from; d <= to && d > 0; d++ {
		if _, ok := e.days[d]; !ok {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		for _, d := range missing {
			e.days[d] = store.GroupDay{}
		}
		err := e.g.ForEachGroupDay(missing[0], missing[len(missing)-1], func(d calendar.Day, gd *store.GroupDay) error {
			if _, want := e.days[d]; want {
				e.days[d] = *gd
			}
			return nil
		})
		if err != nil {
			return s, err
		}
	}
	for d := from; d <= to && d > 0; d++ {
		gd := e.days[d]
		s.Messages += gd.Messages
		s.Active += gd.Active
		s.Checkins += gd.Checkins
		s.Joins += gd.Joins
		s.Leaves += gd.Leaves
		s.Interactive += gd.Interactive
		s.Reacted += gd.Reacted
	}
	return s, nil
}
