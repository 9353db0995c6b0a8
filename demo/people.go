package demo

import (
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
)

// person is one simulated human and their habits.
type person struct {
	id, name string
	zhName   bool
	admin    bool
	spammer  bool
	seg      segment

	joinDay  int // -1: in the group before the simulated period
	joinAt   time.Time
	leaveDay int // -1: stays
	leaveAt  time.Time

	activeP   float64 // chance of chatting on a given day
	perDay    float64 // mean messages on a day they chat
	checkinP  float64 // chance of checking in on a given day
	makeupP   float64 // chance of making up a recent missed day
	checkinAt float64 // preferred check-in time, hours after midnight

	// state
	checked      []bool // per simulated day: checked in (on time or made up)
	firstCheckin int    // -1: never
	pointsLow    int    // a lower bound of their balance
	messages     int
	welcomes     int // newcomers they welcomed
}

func (p *person) member() bot.Member { return bot.Member{ID: p.id, Name: p.name, IsAdmin: p.admin} }

type segment uint8

const (
	silent segment = iota
	casual
	active
	veryActive
)

// present reports whether p can act on day d at instant t.
func (p *person) present(d int, t time.Time) bool {
	if p.joinDay > d || (p.joinDay == d && !t.After(p.joinAt)) {
		return false
	}
	return p.leaveDay < 0 || d < p.leaveDay || (d == p.leaveDay && t.Before(p.leaveAt))
}

// cast creates the community: names, roles, habits, joins and leaves.
func (s *sim) cast() {
	n := s.o.Members
	names := s.names(n)
	s.people = make([]*person, n)
	for i := range n {
		p := &person{id: "u" + pad(i+1, 4), name: names[i].name, zhName: names[i].zh, joinDay: -1, leaveDay: -1, firstCheckin: -1}
		p.checked = make([]bool, s.days)
		s.people[i] = p
	}
	// Heavy-tailed activity: a handful very active, a core of regulars,
	// many casual members and a large silent share.
	order := s.rng.Perm(n)
	nVery := max(2, n/60)
	nActive := n * 12 / 100
	nCasual := n * 48 / 100
	for rank, i := range order {
		p := s.people[i]
		switch {
		case rank < nVery:
			p.seg, p.activeP, p.perDay = veryActive, s.between(0.9, 0.98), s.between(22, 42)
		case rank < nVery+nActive:
			p.seg, p.activeP, p.perDay = active, s.between(0.5, 0.85), s.between(4, 11)
		case rank < nVery+nActive+nCasual:
			p.seg, p.activeP, p.perDay = casual, s.between(0.06, 0.3), s.between(1, 3)
		default:
			p.seg = silent
		}
		s.habit(p)
	}
	// Two admins among the most active.
	for _, i := range order[:2] {
		s.people[i].admin = true
		s.admins = append(s.admins, s.people[i])
	}
	s.dailyBot = bot.Member{ID: "bot_daily", Name: botNames[s.o.Locale][0], IsBot: true}
	s.welcome = bot.Member{ID: "bot_welcome", Name: botNames[s.o.Locale][1], IsBot: true}

	// Growth: about 28% join during the period, more and more of them as
	// word spreads, with a spike after a promotion two weeks before the end.
	// Joins and leaves stay off the first and last days so that nobody's
	// stay is cut by the edges of the period.
	lastJoin := s.days - 2
	if lastJoin < 1 {
		return
	}
	weights := make([]float64, lastJoin+1)
	for d := 1; d <= lastJoin; d++ {
		weights[d] = 1 + 1.5*float64(d)/float64(s.days)
	}
	promo := max(1, s.days-14)
	weights[promo] += 6
	joiners := n * 28 / 100
	candidates := make([]*person, 0, n)
	for _, i := range order[nVery:] { // the most active were here from the start
		candidates = append(candidates, s.people[i])
	}
	s.rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for _, p := range candidates[:joiners] {
		if p.admin {
			continue
		}
		p.joinDay = pickWeighted(s.rng, weights)
		p.joinAt = s.at(p.joinDay, s.between(8, 23))
	}
	// Spam accounts: a few joiners are there only to post an ad; the
	// admins remove them minutes later.
	nSpam := min(3, max(1, n/100))
	spammers := 0
	for _, p := range candidates[:joiners] {
		if spammers == nSpam || p.joinDay < 0 {
			break
		}
		p.spammer, p.seg, p.activeP, p.checkinP = true, silent, 0, 0
		p.joinAt = s.at(p.joinDay, s.between(9, 21))
		p.name, p.zhName = spamNames[s.o.Locale][spammers%len(spamNames[s.o.Locale])], false
		p.leaveDay = p.joinDay
		p.leaveAt = p.joinAt.Add(time.Duration(20+s.rng.IntN(40)) * time.Minute) // burst, then removal
		spammers++
	}
	// Leaves: some newcomers leave within days, some quiet old members drift away.
	for _, p := range candidates[:joiners] {
		if p.spammer || p.joinDay < 0 || s.rng.Float64() >= 0.15 {
			continue
		}
		d := p.joinDay + 1 + s.rng.IntN(10)
		if d <= lastJoin {
			p.leaveDay, p.leaveAt = d, s.at(d, s.between(9, 23))
		}
	}
	for _, p := range candidates[joiners:] {
		if p.admin || p.seg >= active || s.rng.Float64() >= 0.06 {
			continue
		}
		d := 1 + s.rng.IntN(lastJoin)
		p.leaveDay, p.leaveAt = d, s.at(d, s.between(9, 23))
	}
}

// habit draws a person's check-in habit, more likely for active members.
func (s *sim) habit(p *person) {
	diligent, regular, sporadic := [...]float64{0.05, 0.08, 0.25, 0.6}, [...]float64{0.08, 0.15, 0.35, 0.3}, [...]float64{0.07, 0.22, 0.2, 0.05}
	r := s.rng.Float64()
	switch i := p.seg; {
	case r < diligent[i]:
		p.checkinP, p.makeupP = s.between(0.94, 1), 0.85
		if s.rng.IntN(3) == 0 {
			p.checkinP = 1
		}
	case r < diligent[i]+regular[i]:
		p.checkinP, p.makeupP = s.between(0.7, 0.9), 0.35
	case r < diligent[i]+regular[i]+sporadic[i]:
		p.checkinP, p.makeupP = s.between(0.2, 0.5), 0.05
	}
	switch r := s.rng.Float64(); {
	case r < 0.6: // early birds
		p.checkinAt = clamp(7.5+s.rng.NormFloat64()*0.8, 5.5, 11)
	case r < 0.75:
		p.checkinAt = s.between(11.5, 14)
	default: // before bed
		p.checkinAt = s.between(21, 23.8)
	}
}

type name struct {
	name string
	zh   bool
}

// names draws n distinct display names: Chinese names, WeChat-style
// nicknames and Latin handles.
func (s *sim) names(n int) []name {
	seen := map[string]bool{}
	out := make([]name, 0, n)
	for len(out) < n {
		var nm name
		switch r := s.rng.Float64(); {
		case r < 0.55:
			nm = name{s.pick(surnames) + s.pick(givenNames), true}
		case r < 0.68:
			nm = name{s.pick(nicknames), true}
		default:
			first := s.pick(latinFirst)
			switch s.rng.IntN(5) {
			case 0:
				nm.name = first + "_" + s.pick(latinLast)
			case 1:
				nm.name = first + "." + s.pick(latinLast)
			case 2:
				nm.name = first + strconv.Itoa(10+s.rng.IntN(90))
			case 3:
				nm.name = strings.ToUpper(first[:1]) + first[1:] + " " + strings.ToUpper(s.pick(latinLast)[:1])
			default:
				nm.name = first
			}
		}
		if seen[nm.name] {
			continue
		}
		seen[nm.name] = true
		out = append(out, nm)
	}
	return out
}
