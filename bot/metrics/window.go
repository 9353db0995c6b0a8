package metrics

import (
	"fmt"
	"time"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// Window computes the metrics of the days days ending at to.
func (e *Engine) Window(to calendar.Day, days int) (Values, error) {
	var v Values
	if days < 1 || to <= calendar.Day(days) {
		return v, fmt.Errorf("window of %d days ending %s is out of range", days, to)
	}
	from := to - calendar.Day(days) + 1
	present := e.Present(to)
	v.Members = present.Count()

	s, err := e.sums(from, to)
	if err != nil {
		return v, err
	}
	v.DAU = Ratio{float64(s.Active), float64(days)}
	wau, err := e.Union(to-6, to)
	if err != nil {
		return v, err
	}
	mau, err := e.Union(to-29, to)
	if err != nil {
		return v, err
	}
	v.WAU, v.MAU = wau.Count(), mau.Count()
	v.Stickiness = Ratio{v.DAU.Value(), float64(v.MAU)}
	if !v.DAU.Defined() || v.MAU == 0 {
		v.Stickiness = Ratio{}
	}

	window, err := e.Union(from, to)
	if err != nil {
		return v, err
	}
	v.Messages = s.Messages
	v.ActiveMembers = window.Count()
	v.MessagesPerActive = Ratio{float64(s.Messages), float64(v.ActiveMembers)}
	inter := s.Interactive + s.Reacted
	if inter > s.Messages {
		inter = s.Messages
	}
	v.InteractionRate = Ratio{float64(inter), float64(s.Messages)}

	v.NewMembers, v.LeftMembers = s.Joins, s.Leaves
	v.NetMembers = s.Joins - s.Leaves
	if v.Activation, err = e.activation(from, to); err != nil {
		return v, err
	}

	prevWeek, err := e.Union(to-13, to-7)
	if err != nil {
		return v, err
	}
	v.RetentionWoW = Ratio{float64(prevWeek.Clone().And(wau).Count()), float64(prevWeek.Count())}

	v.SilentMembers = present.Clone().AndNot(mau).Count()
	v.SilentRatio = Ratio{float64(v.SilentMembers), float64(v.Members)}
	risk, err := e.churnRisk(to, present)
	if err != nil {
		return v, err
	}
	v.ChurnRisk = risk.Count()
	v.Checkins = s.Checkins
	v.CheckinRate = Ratio{float64(s.Checkins), float64(v.Members * days)}
	return v, nil
}

// activation: of the members who joined in from..to, the share active
// within 7 days of joining (days after to are not looked at). A member who
// joined more than once in the window is one member, counted from their
// latest join.
func (e *Engine) activation(from, to calendar.Day) (Ratio, error) {
	joined := map[string]calendar.Day{}
	err := e.g.ForEachRoster(from.Start(e.loc).Unix(), e.end(to), func(r store.RosterEntry) error {
		if r.Join {
			if d := calendar.DayOf(time.Unix(r.Time, 0), e.loc); d > joined[r.Member] {
				joined[r.Member] = d
			}
		}
		return nil
	})
	if err != nil {
		return Ratio{}, err
	}
	var n, active float64
	for id, jd := range joined {
		m, err := e.g.Member(id)
		if err != nil {
			return Ratio{}, err
		}
		if m == nil || m.IsBot || !seen(m) {
			continue
		}
		n++
		for d := jd; d <= jd+6 && d <= to; d++ {
			b, err := e.day(d)
			if err != nil {
				return Ratio{}, err
			}
			if b.Has(m.Index) {
				active++
				break
			}
		}
	}
	return Ratio{active, n}, nil
}

// churnRisk: present at to, active in ≥ 2 of the 4 weeks before the last
// 14 days, silent in those 14 days.
func (e *Engine) churnRisk(to calendar.Day, present store.Bitmap) (store.Bitmap, error) {
	var once, twice store.Bitmap
	for k := 0; k < 4; k++ {
		end := to - 14 - calendar.Day(7*k)
		w, err := e.Union(end-6, end)
		if err != nil {
			return nil, err
		}
		both := w.Clone().And(once)
		twice.Or(both)
		once.Or(w)
	}
	recent, err := e.Union(to-13, to)
	if err != nil {
		return nil, err
	}
	return twice.And(present).AndNot(recent), nil
}

// Report computes a window and the one before it, with segments.
func (e *Engine) Report(to calendar.Day, days int) (Report, error) {
	r := Report{Group: e.g.Key(), From: (to - calendar.Day(days) + 1).String(), To: to.String(), Days: days}
	var err error
	if r.Values, err = e.Window(to, days); err != nil {
		return r, err
	}
	if r.Previous, err = e.Window(to-calendar.Day(days), days); err != nil {
		return r, err
	}
	r.Segments, err = e.Segments(to)
	return r, err
}
