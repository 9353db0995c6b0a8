// Package metrics computes the numbers community owners judge their group
// by, exactly as DESIGN.md defines them, from the per-day aggregates and
// activity bitmaps the store keeps — never from raw message history.
//
// Decisions where the definitions leave room (also in the README):
//   - A window is N local days ending on (and including) its last day, To.
//     The previous window is the N days before it.
//   - dau is the mean of the daily active counts over the window; wau and
//     mau are the distinct active members of the 7 and 30 days ending at To,
//     whatever the window's length; stickiness is dau ÷ mau.
//   - members are those present at the end of To: seen through a join,
//     activity or the platform's member list, and not left since. Bots are
//     never members. A member known only because someone replied to or
//     mentioned them is not counted until they are seen.
//   - interaction rate counts messages that reply to or mention another
//     member, plus messages that drew their first reaction (counted on the
//     reaction's day), over all messages; a message that was a reply and
//     also drew a reaction counts once when the reaction comes the same day
//     or the next.
//   - activation: of the distinct members who joined in the window, the
//     share active on their join day or the 6 days after, counting only
//     days up to To (so a past window's figure never changes later).
//   - week-over-week retention: of the members active in the 7 days before
//     the last 7 days of To, the share active in the last 7.
//   - silent members: present at To, no activity in the 30 days ending at To.
//   - churn risk: present at To, active in at least 2 of the 4 weeks before
//     the last 14 days, and silent in those 14 days.
//   - check-in rate: on-time check-ins (not make-ups) in the window ÷
//     (members at To × days).
//   - A ratio with a zero denominator is undefined: JSON null, shown "—".
package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// Ratio is a fraction that keeps its parts; it is undefined when Den is 0.
type Ratio struct{ Num, Den float64 }

// Defined reports whether the ratio has a denominator.
func (r Ratio) Defined() bool { return r.Den != 0 }

// Value is Num/Den, 0 when undefined.
func (r Ratio) Value() float64 {
	if r.Den == 0 {
		return 0
	}
	return r.Num / r.Den
}

// MarshalJSON writes the value rounded to 4 decimals, or null.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if !r.Defined() {
		return []byte("null"), nil
	}
	return json.Marshal(math.Round(r.Value()*1e4) / 1e4)
}

// UnmarshalJSON reads what MarshalJSON wrote (a value or null); the parts
// are not kept, only the value (as Num/1).
func (r *Ratio) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = Ratio{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("ratio: %w", err)
	}
	*r = Ratio{Num: v, Den: 1}
	return nil
}

// Values are one window's metrics, named as in DESIGN.md.
type Values struct {
	Members           int   `json:"members"`
	DAU               Ratio `json:"dau"`
	WAU               int   `json:"wau"`
	MAU               int   `json:"mau"`
	Stickiness        Ratio `json:"stickiness"`
	Messages          int64 `json:"messages"`
	ActiveMembers     int   `json:"active_members"`
	MessagesPerActive Ratio `json:"messages_per_active"`
	InteractionRate   Ratio `json:"interaction_rate"`
	NewMembers        int64 `json:"new_members"`
	LeftMembers       int64 `json:"left_members"`
	NetMembers        int64 `json:"net_members"`
	Activation        Ratio `json:"activation"`
	RetentionWoW      Ratio `json:"retention_wow"`
	SilentMembers     int   `json:"silent_members"`
	SilentRatio       Ratio `json:"silent_ratio"`
	ChurnRisk         int   `json:"churn_risk"`
	Checkins          int64 `json:"checkins"`
	CheckinRate       Ratio `json:"checkin_rate"`
}

// Report is a window's metrics with the previous window alongside.
type Report struct {
	Group string `json:"group"`
	From  string `json:"from"`
	To    string `json:"to"`
	Days  int    `json:"days"`
	Values
	Previous Values   `json:"previous"`
	Segments Segments `json:"segments"`
}

// Segments split the members present at To (用户分层). Every present member
// is in exactly one of New, Core, Active, Casual, Silent; AtRisk overlaps.
type Segments struct {
	New    int `json:"new"`    // joined in the last 7 days
	Core   int `json:"core"`   // active on ≥ 5 of the last 7 days
	Active int `json:"active"` // active on 1–4 of the last 7 days
	Casual int `json:"casual"` // active in the last 30 days, not the last 7
	Silent int `json:"silent"` // no activity in the last 30 days (潜水)
	AtRisk int `json:"at_risk"`
	// Names, for owners only (never posted in the group).
	SilentNames []string `json:"silent_names,omitempty"`
	AtRiskNames []string `json:"at_risk_names,omitempty"`
}

// Metric names that goals and exports accept, in display order.
var Names = []string{
	"members", "dau", "wau", "mau", "stickiness", "messages", "messages_per_active",
	"interaction_rate", "new_members", "left_members", "net_members", "activation",
	"retention_wow", "silent_members", "silent_ratio", "churn_risk", "checkin_rate",
}

// Get returns a metric by name.
func (v Values) Get(name string) (float64, bool) {
	switch name {
	case "members":
		return float64(v.Members), true
	case "dau":
		return v.DAU.Value(), true
	case "wau":
		return float64(v.WAU), true
	case "mau":
		return float64(v.MAU), true
	case "stickiness":
		return v.Stickiness.Value(), true
	case "messages":
		return float64(v.Messages), true
	case "messages_per_active":
		return v.MessagesPerActive.Value(), true
	case "interaction_rate":
		return v.InteractionRate.Value(), true
	case "new_members":
		return float64(v.NewMembers), true
	case "left_members":
		return float64(v.LeftMembers), true
	case "net_members":
		return float64(v.NetMembers), true
	case "activation":
		return v.Activation.Value(), true
	case "retention_wow":
		return v.RetentionWoW.Value(), true
	case "silent_members":
		return float64(v.SilentMembers), true
	case "silent_ratio":
		return v.SilentRatio.Value(), true
	case "churn_risk":
		return float64(v.ChurnRisk), true
	case "checkin_rate":
		return v.CheckinRate.Value(), true
	}
	return 0, false
}

// IsRatio reports whether a metric is a share (shown as a percentage).
func IsRatio(name string) bool {
	switch name {
	case "stickiness", "interaction_rate", "activation", "retention_wow", "silent_ratio", "checkin_rate":
		return true
	}
	return false
}

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
// within 7 days of joining (days after to are not looked at).
func (e *Engine) activation(from, to calendar.Day) (Ratio, error) {
	joined := map[string]calendar.Day{}
	err := e.g.ForEachRoster(from.Start(e.loc).Unix(), e.end(to), func(r store.RosterEntry) error {
		if r.Join {
			if _, ok := joined[r.Member]; !ok {
				joined[r.Member] = calendar.DayOf(time.Unix(r.Time, 0), e.loc)
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
		case m.joinedAt >= newSince || m.joinedAt == 0 && m.firstSeen >= to-6:
			s.New++
		case days >= 5:
			s.Core++
		case days >= 1:
			s.Active++
		case month.Has(m.index):
			s.Casual++
		default:
			s.Silent++
			s.SilentNames = append(s.SilentNames, m.name)
		}
	}
	sort.Strings(s.SilentNames)
	sort.Strings(s.AtRiskNames)
	return s, nil
}

// FirstDay is the group's first day with any activity, 0 if none.
func (e *Engine) FirstDay() (calendar.Day, error) {
	var first calendar.Day
	err := e.g.ForEachGroupDay(1, ^calendar.Day(0), func(d calendar.Day, _ *store.GroupDay) error {
		if first == 0 {
			first = d
		}
		return errStop
	})
	if err == errStop {
		err = nil
	}
	return first, err
}

var errStop = fmt.Errorf("stop")

// Daily returns the per-day figures of from..to, for exports and charts.
func (e *Engine) Daily(from, to calendar.Day) ([]Day, error) {
	if _, err := e.sums(from, to); err != nil {
		return nil, err
	}
	var out []Day
	for d := from; d <= to && d > 0; d++ {
		gd := e.days[d]
		wau, err := e.Union(d-6, d)
		if err != nil {
			return nil, err
		}
		mau, err := e.Union(d-29, d)
		if err != nil {
			return nil, err
		}
		out = append(out, Day{
			Date: d.String(), Members: e.Present(d).Count(), Active: gd.Active, WAU: wau.Count(), MAU: mau.Count(), Messages: gd.Messages,
			Interactive: gd.Interactive, Reacted: gd.Reacted, Reactions: gd.Reactions,
			Checkins: gd.Checkins, Makeups: gd.Makeups, Joins: gd.Joins, Leaves: gd.Leaves,
		})
	}
	return out, nil
}

// Day is one local day of a group.
type Day struct {
	Date        string `json:"date"`
	Members     int    `json:"members"`
	Active      int64  `json:"dau"`
	WAU         int    `json:"wau"`
	MAU         int    `json:"mau"`
	Messages    int64  `json:"messages"`
	Interactive int64  `json:"interactive_messages"`
	Reacted     int64  `json:"reacted_messages"`
	Reactions   int64  `json:"reactions"`
	Checkins    int64  `json:"checkins"`
	Makeups     int64  `json:"makeups"`
	Joins       int64  `json:"new_members"`
	Leaves      int64  `json:"left_members"`
}
