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

// Report computes the days days ending at to and the as many days before
// them, with segments.
func (e *Engine) Report(to calendar.Day, days int) (Report, error) {
	n := calendar.Day(days)
	return e.Compare(Span{to - n + 1, to}, Span{to - 2*n + 1, to - n})
}

// Span is a window of local days, From..To inclusive.
type Span struct{ From, To calendar.Day }

// Days is the span's length.
func (s Span) Days() int { return int(s.To-s.From) + 1 }

// Compare computes the window cur and the window prev it is compared
// with, with segments at cur's end. Days before the group's first recorded
// day hold no data, not zeros: each window is cut to start there, so means
// and rates use only days with data, and Since says so. A previous window
// wholly before the first day is empty (PreviousDays 0): there is nothing
// to compare with.
func (e *Engine) Compare(cur, prev Span) (Report, error) {
	r := Report{Group: e.g.Key(), From: cur.From.String(), To: cur.To.String(), Days: cur.Days()}
	if cur.Days() < 1 || prev.Days() < 1 {
		return r, fmt.Errorf("window %s..%s compared with %s..%s is out of range", cur.From, cur.To, prev.From, prev.To)
	}
	first, err := e.FirstDay()
	if err != nil {
		return r, err
	}
	switch {
	case first > cur.To:
		// No activity recorded yet in or before the window: Days 0 says
		// so, while point-in-time figures (members) still stand.
		r.Since, r.Days = first.String(), 0
	case first > cur.From:
		cur.From = first
		r.Since, r.From, r.Days = first.String(), first.String(), cur.Days()
	}
	if r.Values, err = e.Window(cur.To, cur.Days()); err != nil {
		return r, err
	}
	if first > prev.From && first <= prev.To {
		prev.From = first
	}
	if first == 0 || first <= prev.To {
		r.PreviousFrom, r.PreviousTo, r.PreviousDays = prev.From.String(), prev.To.String(), prev.Days()
		if r.Previous, err = e.Window(prev.To, prev.Days()); err != nil {
			return r, err
		}
	}
	r.Segments, err = e.Segments(cur.To)
	return r, err
}
