package metrics

import (
	"sort"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// Segments sorts the members present at to into segments.
func (e *Engine) Segments(to calendar.Day) (Segments, error) {
	var s Segments
	end := e.end(to)
	week := make([]store.Bitmap, 7)
	for i := range week {
		b, err := e.day(to - calendar.Day(i))
		if err != nil {
			return s, err
		}
		week[i] = b
	}
	month, err := e.Union(to-29, to)
	if err != nil {
		return s, err
	}
	present := e.Present(to)
	risk, err := e.churnRisk(to, present)
	if err != nil {
		return s, err
	}
	newSince := (to - 6).Start(e.loc).Unix()
	monthSince := (to - 29).Start(e.loc).Unix()
	for i := range e.members {
		m := &e.members[i]
		if !m.presentAt(to, end) {
			continue
		}
		if risk.Has(m.index) {
			s.AtRisk++
			s.AtRiskNames = append(s.AtRiskNames, m.name)
		}
		days := 0
		for _, b := range week {
			if b.Has(m.index) {
				days++
			}
		}
		switch {
		case !month.Has(m.index):
			s.Silent++
			s.SilentNames = append(s.SilentNames, m.name)
			if m.joinedAt >= monthSince || m.joinedAt == 0 && m.firstSeen >= to-29 {
				s.SilentNewNames = append(s.SilentNewNames, m.name)
			}
		case m.joinedAt >= newSince || m.joinedAt == 0 && m.firstSeen >= to-6:
			s.New++
		case days >= 5:
			s.Core++
		case days >= 1:
			s.Active++
		default:
			s.Casual++
		}
	}
	sort.Strings(s.SilentNames)
	sort.Strings(s.SilentNewNames)
	sort.Strings(s.AtRiskNames)
	return s, nil
}
