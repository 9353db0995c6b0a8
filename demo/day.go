package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/pulsebot/pulse/bot"
)

// day generates day d's events, sorted by time.
func (s *sim) day(d int, refusal bool) []*sev {
	start, end := s.dayStart(d), s.dayEnd(d)
	var evs []*sev
	seq := 0
	add := func(e *sev) {
		if e.at.Before(start) || !e.at.Before(end) {
			return
		}
		seq++
		e.seq = seq
		evs = append(evs, e)
	}
	wd := start.Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	L := s.lang

	add(&sev{at: s.at(d, 8), kind: kBotPost, as: &s.dailyBot, text: fmt.Sprintf(L.dailyBot, L.quotes[d%len(L.quotes)])})

	for _, p := range s.people {
		switch {
		case p.joinDay == d:
			s.joinDay(p, d, add)
			if p.spammer {
				continue
			}
		case p.leaveDay == d:
			add(&sev{at: p.leaveAt, kind: kLeave, who: p})
			continue
		case !p.present(d, start):
			continue
		}
		s.checkin(p, d, add)
		s.chat(p, d, weekend, add)
	}

	// Wednesday evening talk: the regulars gather and the chat peaks.
	if wd == time.Wednesday {
		for _, p := range s.people {
			if p.seg >= active && s.rng.Float64() < 0.6 {
				for range 1 + s.rng.IntN(4) {
					t := s.at(d, s.between(20, 21.5))
					if p.present(d, t) {
						add(&sev{at: t, kind: kEvening, who: p, text: s.pick(L.evening) + s.pick(L.suffixes)})
					}
				}
			}
		}
	}

	// Admins thank helpful members with points, a few times a week.
	if s.rng.Float64() < 0.35 {
		s.grant(d, add)
	}
	if refusal {
		s.refusal(d, add)
	}

	slices.SortFunc(evs, bySeq)
	return s.converse(d, evs, end)
}

func bySeq(a, b *sev) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	return a.seq - b.seq
}

func (s *sim) joinDay(p *person, d int, add func(*sev)) {
	L := s.lang
	e := &sev{at: p.joinAt, kind: kJoin, who: p}
	if !p.spammer && s.rng.Float64() < 0.5 {
		if inv := s.someone(d, p.joinAt, p); inv != nil {
			e.target = inv.member()
		}
	}
	add(e)
	add(&sev{at: p.joinAt.Add(5 * time.Second), kind: kWelcomeBot, as: &s.welcome,
		text: fmt.Sprintf(L.welcomeBot, p.name), mentions: []bot.Member{p.member()}})
	if p.spammer {
		text := L.spam[s.rng.IntN(len(L.spam))]
		t0 := p.joinAt.Add(time.Duration(2+s.rng.IntN(10)) * time.Minute)
		t := t0
		copies := 6 + s.rng.IntN(5)
		show := s.caps.spam.name == "" // the report shows the first burst
		for i := range copies {
			e := &sev{at: t, kind: kSpam, who: p, text: text}
			if show {
				switch i {
				case 0:
					e.tag = tagSpamFirst
				case copies - 1:
					e.tag = tagSpamLast
				}
			}
			add(e)
			if i < copies-1 {
				t = t.Add(time.Duration(3+s.rng.IntN(6)) * time.Second)
			}
		}
		if show {
			s.caps.spam.name, s.caps.spam.copies, s.caps.spam.span = p.name, copies, t.Sub(t0)
		}
		add(&sev{at: p.leaveAt, kind: kLeave, who: p})
		return
	}
	if s.rng.Float64() < 0.6 {
		add(&sev{at: p.joinAt.Add(time.Duration(1+s.rng.IntN(30)) * time.Minute), kind: kIntro, who: p, text: s.pick(L.intros)})
	}
}

// someone is a random present, non-spam member other than not.
func (s *sim) someone(d int, t time.Time, not *person) *person {
	for range 20 {
		p := s.people[s.rng.IntN(len(s.people))]
		if p != not && !p.spammer && p.seg > silent && p.present(d, t) {
			return p
		}
	}
	return nil
}

// checkin decides whether p checks in on day d, and whether they make up
// a recently missed day.
func (s *sim) checkin(p *person, d int, add func(*sev)) {
	if p.checkinP == 0 || s.rng.Float64() >= p.checkinP {
		return
	}
	L := s.lang
	t := s.at(d, clamp(p.checkinAt+s.rng.NormFloat64()*0.4, 0.1, 23.9))
	if p.joinDay == d {
		t = p.joinAt.Add(time.Duration(1+s.rng.IntN(20)) * time.Minute)
	}
	if !p.present(d, t) {
		return
	}
	text := L.checkin
	if s.rng.Float64() < 0.2 {
		text = L.checkinAlt
	}
	base := s.gs.Rules.Checkin.Points
	add(&sev{at: t, kind: kCheckin, who: p, text: text, tag: tagFirstCheckin})
	// Now and then someone checks in twice and is told so.
	if s.rng.Float64() < 0.02 {
		add(&sev{at: t.Add(time.Duration(30+s.rng.IntN(600)) * time.Second), kind: kAgain, who: p, text: text})
	}

	// 补签: the most recent missed day within the window, once they had
	// started checking in (before that there is no streak to repair).
	cost, window := s.gs.Rules.Makeup.Cost, s.gs.Rules.Makeup.WindowDays
	if p.firstCheckin >= 0 && window > 0 && p.makeupP > 0 {
		missed := -1
		for x := d - 1; x >= max(p.firstCheckin, d-window); x-- {
			if !p.checked[x] {
				missed = x
				break
			}
		}
		if missed >= 0 && missed >= d-3 && s.rng.Float64() < p.makeupP && p.pointsLow+base >= cost {
			mt := t.Add(time.Duration(1+s.rng.IntN(5)) * time.Minute)
			if p.pointsLow >= cost && s.rng.IntN(2) == 0 {
				mt = t.Add(-time.Duration(1+s.rng.IntN(5)) * time.Minute)
			}
			text := L.makeup
			if s.rng.IntN(3) == 0 {
				y, m, dd := s.dayStart(missed).Date()
				text += fmt.Sprintf(" %04d-%02d-%02d", y, m, dd)
			}
			if mt.After(s.dayStart(d)) {
				add(&sev{at: mt, kind: kMakeup, who: p, text: text, tag: tagMakeup})
				p.checked[missed] = true
				p.pointsLow -= cost
			}
		}
	}
	p.checked[d] = true
	p.pointsLow += base
	if p.firstCheckin < 0 {
		p.firstCheckin = d
	}
}

// hourWeights shape when people chat: mornings, lunch and the evening peak.
var hourWeights = [24]float64{
	0.3, 0.1, 0.05, 0.02, 0.02, 0.05, 0.3, 0.8, 1.2, 1.5, 1.4, 1.3,
	1.6, 1.2, 1.0, 1.0, 1.0, 1.1, 1.0, 1.3, 1.8, 2.0, 1.7, 0.9,
}

func (s *sim) chatTime(d int) time.Time {
	h := pickWeighted(s.rng, hourWeights[:])
	return s.at(d, float64(h)+s.rng.Float64())
}

// chat schedules p's messages of day d.
func (s *sim) chat(p *person, d int, weekend bool, add func(*sev)) {
	activeP := p.activeP
	if weekend {
		activeP *= 0.8
	}
	newcomer := p.joinDay >= 0 && d-p.joinDay < 3 && p.seg > silent
	if newcomer {
		activeP = max(activeP, 0.6)
	}
	if activeP == 0 || s.rng.Float64() >= activeP {
		return
	}
	n := 1 + poisson(s.rng, max(0, p.perDay-1))
	for range n {
		t := s.chatTime(d)
		if !p.present(d, t) {
			continue
		}
		add(&sev{at: t, kind: kChat, who: p})
	}
}

// grant has an admin thank a member who chatted today.
func (s *sim) grant(d int, add func(*sev)) {
	admin := s.admins[s.rng.IntN(len(s.admins))]
	t := s.at(d, s.between(12, 22.5))
	target := s.someone(d, t, admin)
	if target == nil || target.admin || !admin.present(d, t) {
		return
	}
	amount := []int{20, 30, 50, 50, 100}[s.rng.IntN(5)]
	add(&sev{at: t, kind: kGrant, who: admin, text: fmt.Sprintf(s.lang.grant, target.name, amount, s.pick(s.lang.grantReasons)),
		mentions: []bot.Member{target.member()}})
	target.pointsLow += amount
}

// refusal has a regular member try an admin command.
func (s *sim) refusal(d int, add func(*sev)) {
	t := s.at(d, s.between(15, 18))
	var who *person
	for _, p := range s.people {
		if p.seg == casual && !p.admin && p.joinDay < 0 && p.leaveDay < 0 {
			who = p
			break
		}
	}
	if who == nil {
		return
	}
	target := s.someone(d, t, who)
	if target == nil {
		return
	}
	add(&sev{at: t, kind: kRefused, who: who, text: fmt.Sprintf(s.lang.refused, target.name), mentions: []bot.Member{target.member()}, tag: tagRefused})
}
