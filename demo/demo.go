// Package demo simulates a realistic community through Pulse's real core
// and shows what its members, admins and owners see. `pulse demo` runs it
// against a fresh database so that anyone can try Pulse in seconds without
// a platform account.
//
// Everything goes through the core the way an adapter's traffic does:
// events are submitted in time order with many in flight (the store
// commits them in groups), replies come back from Pending.Wait, and the
// figures shown are read back with bot.Members. The same Seed gives the
// same community, the same conversation and the same output.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/calendar"
)

// Options configure a demo run. Zero values take the defaults.
type Options struct {
	Group   string    // default "console/demo"
	Locale  string    // "en" or "zh"; default the group's locale
	Members int       // people in the simulated community; default 300
	Weeks   int       // simulated weeks; default 6
	End     time.Time // last simulated instant; default the bot's clock's now
	Seed    uint64    // default 1: the same demo every run
	// Window bounds the events in flight; default 2048.
	Window int
}

// Summary counts what a run simulated.
type Summary struct {
	// Members is the number of people simulated (bots excluded), including
	// those who joined during the period and those who left.
	Members int
	// Events is every event submitted to the core; Messages the members'
	// messages among them (chat and commands, bots' posts excluded);
	// Checkins the on-time check-ins, Makeups the make-up check-ins.
	Events, Messages, Checkins, Joins, Leaves int
	Makeups, Reactions                        int
	// Elapsed is the wall time the core took to ingest the events.
	Elapsed time.Duration
}

// EventsPerSecond is the ingest rate of the run.
func (s Summary) EventsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Events) / s.Elapsed.Seconds()
}

func (o *Options) defaults(b *bot.Bot) error {
	if o.Group == "" {
		o.Group = "console/demo"
	}
	if o.Members == 0 {
		o.Members = 300
	}
	if o.Weeks == 0 {
		o.Weeks = 6
	}
	if o.End.IsZero() {
		o.End = b.Clock().Now()
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Window <= 0 {
		o.Window = 2048
	}
	switch {
	case o.Members < 10 || o.Members > 100_000:
		return fmt.Errorf("members: %d is not between 10 and 100000", o.Members)
	case o.Weeks < 1 || o.Weeks > 104:
		return fmt.Errorf("weeks: %d is not between 1 and 104", o.Weeks)
	case o.Locale != "" && !i18n.Valid(o.Locale):
		return fmt.Errorf("locale: %q is not zh or en", o.Locale)
	}
	return nil
}

// Run simulates a community through b and writes to out what members,
// admins and owners see. The group must not exist yet in b's database: the
// demo's events would otherwise mix with a real group's.
func Run(ctx context.Context, b *bot.Bot, out io.Writer, o Options) (Summary, error) {
	if err := o.defaults(b); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	// A second run into the same database would be dropped as replayed
	// traffic and mix two communities: the demo wants a fresh one.
	if _, _, ok, err := b.StoredSettings(ctx, o.Group); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	} else if ok {
		return Summary{}, fmt.Errorf("demo: %s already holds group %s; the demo needs a fresh database", b.Path(), o.Group)
	}
	gs := b.Group(o.Group)
	if o.Locale == "" {
		o.Locale = gs.Locale
	}
	s := newSim(b, gs, o)
	start := time.Now()
	if err := s.simulate(ctx); err != nil {
		return s.sum, fmt.Errorf("demo: simulate: %w", err)
	}
	if err := s.finale(ctx); err != nil {
		return s.sum, fmt.Errorf("demo: last day: %w", err)
	}
	s.sum.Elapsed = time.Since(start)
	rows, err := b.Members(ctx, o.Group, o.End)
	if err != nil {
		return s.sum, fmt.Errorf("demo: %w", err)
	}
	r := &report{sim: s, rows: rows}
	// The digest owners would get on the last Monday, for the week before.
	today := calendar.DayOf(o.End, gs.Location)
	d, err := b.BuildDigest(ctx, o.Group, calendar.Monday(today)-7, "", false)
	if err != nil {
		return s.sum, fmt.Errorf("demo: digest: %w", err)
	}
	r.digest = &d
	if err := r.write(out); err != nil {
		return s.sum, fmt.Errorf("demo: write: %w", err)
	}
	return s.sum, nil
}

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

// sim is one run's simulation state.
type sim struct {
	b    *bot.Bot
	gs   bot.GroupSettings
	o    Options
	loc  *time.Location
	lang *lines
	rng  *rand.Rand

	days     int
	first    time.Time // start of the first simulated day
	people   []*person
	admins   []*person
	dailyBot bot.Member
	welcome  bot.Member

	q    []item // events in flight, oldest first from head
	head int
	ids  int

	sum  Summary
	caps captures
}

// captures are the replies the report shows.
type captures struct {
	firstCheckin, levelUp, titleUp, makeup, refused shown
	spam                                            spamShow
	lastDay                                         []shown // members' questions at End
	grant                                           shown
	goal, stats                                     shown // an admin's goal and /stats at End
}

// shown is an event as a member typed it and what the bot answered.
type shown struct {
	at      time.Time
	name    string
	text    string
	replies []bot.Reply
}

func (s shown) ok() bool { return s.name != "" }

type spamShow struct {
	name              string
	copies            int
	span              time.Duration
	xpBefore, xpAfter int64
	done              bool
}

type tag uint8

const (
	tagNone tag = iota
	tagFirstCheckin
	tagMakeup
	tagRefused
	tagSpamFirst
	tagSpamLast
)

type item struct {
	p   *bot.Pending
	tag tag
	ev  bot.Event
}

func newSim(b *bot.Bot, gs bot.GroupSettings, o Options) *sim {
	loc := gs.Location
	if loc == nil {
		loc = time.UTC
	}
	s := &sim{
		b: b, gs: gs, o: o, loc: loc, lang: talk[o.Locale],
		rng:  rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed_de30_c0ffee)),
		days: o.Weeks * 7,
	}
	end := o.End.In(loc)
	y, m, d := end.Date()
	s.first = time.Date(y, m, d-s.days+1, 0, 0, 0, 0, loc)
	s.sum.Members = o.Members
	s.cast()
	return s
}

// dayStart is the first instant of simulated day d.
func (s *sim) dayStart(d int) time.Time {
	y, m, dd := s.first.Date()
	return time.Date(y, m, dd+d, 0, 0, 0, 0, s.loc)
}

// dayEnd is the instant simulated day d ends (End on the last day).
func (s *sim) dayEnd(d int) time.Time {
	if d == s.days-1 {
		return s.o.End
	}
	return s.dayStart(d + 1)
}

// at is an instant h hours into day d.
func (s *sim) at(d int, h float64) time.Time {
	return s.dayStart(d).Add(time.Duration(h * float64(time.Hour))).Truncate(time.Second)
}

func (s *sim) pick(list []string) string { return list[s.rng.IntN(len(list))] }

func (s *sim) between(lo, hi float64) float64 { return lo + s.rng.Float64()*(hi-lo) }

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

// skind is what a simulated event is.
type skind uint8

const (
	kChat skind = iota
	kIntro
	kWelcome
	kEvening
	kBotPost
	kWelcomeBot
	kCheckin
	kAgain // a second check-in the same day
	kMakeup
	kGrant
	kRefused
	kSpam
	kJoin
	kLeave
	kReaction
)

// sev is one simulated event before it becomes a bot.Event.
type sev struct {
	at       time.Time
	seq      int
	kind     skind
	who      *person
	as       *bot.Member // bots
	text     string
	replyTo  bot.Member
	mentions []bot.Member
	target   bot.Member // reactions: whose message; joins: the inviter
	msgID    string     // messages: their id; reactions: the message reacted to
	tag      tag
}

// simulate runs the period day by day, submitting each day's events in
// time order.
func (s *sim) simulate(ctx context.Context) error {
	refusalDay := max(1, s.days-3)
	// The platform's member list at the start: members who were in the
	// group before the period are present even if they never speak.
	for _, p := range s.people {
		if p.joinDay < 0 && !p.spammer {
			ev := bot.Event{Kind: bot.KindPresent, Group: s.o.Group, Member: p.member(), Time: s.first}
			if err := s.submit(ctx, ev, 0); err != nil {
				return err
			}
		}
	}
	for d := range s.days {
		evs := s.day(d, d == refusalDay)
		for _, e := range evs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := s.submit(ctx, s.event(e), e.tag); err != nil {
				return err
			}
			switch e.kind {
			case kJoin:
				s.sum.Joins++
			case kLeave:
				s.sum.Leaves++
			case kReaction:
				s.sum.Reactions++
			case kBotPost, kWelcomeBot:
			default:
				s.sum.Messages++
				if e.who != nil {
					e.who.messages++
				}
				switch e.kind {
				case kCheckin:
					s.sum.Checkins++
				case kMakeup:
					s.sum.Makeups++
				}
			}
		}
	}
	return s.drain(ctx)
}

func (s *sim) event(e *sev) bot.Event {
	ev := bot.Event{Group: s.o.Group, Time: e.at, Text: e.text, ReplyTo: e.replyTo, Mentions: e.mentions, Target: e.target}
	switch {
	case e.as != nil:
		ev.Member = *e.as
	case e.who != nil:
		ev.Member = e.who.member()
	}
	switch e.kind {
	case kJoin:
		ev.Kind = bot.KindJoin
		ev.ID = s.nextID("j")
	case kLeave:
		ev.Kind = bot.KindLeave
		ev.ID = s.nextID("l")
	case kReaction:
		ev.Kind, ev.MessageID = bot.KindReaction, e.msgID
		ev.ID = s.nextID("r")
	default:
		ev.Kind, ev.ID = bot.KindMessage, e.msgID
		if ev.ID == "" {
			ev.ID = s.nextID("m")
		}
	}
	return ev
}

func (s *sim) nextID(prefix string) string {
	s.ids++
	return prefix + pad(s.ids, 7)
}

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

type recent struct {
	id     string
	author bot.Member
	who    *person // nil for bots
	at     time.Time
}

// converse walks a day's events in order and makes them a conversation:
// texts, replies to and mentions of recent messages, welcomes for
// newcomers' introductions and reactions. It returns the day's events
// with the new ones, sorted.
func (s *sim) converse(d int, evs []*sev, end time.Time) []*sev {
	L := s.lang
	var ring []recent
	seq := len(evs)
	more := evs
	add := func(e *sev) {
		if !e.at.Before(end) {
			return
		}
		seq++
		e.seq = seq
		more = append(more, e)
	}
	firstCheckin := false
	for _, e := range evs {
		switch e.kind {
		case kCheckin:
			if e.tag == tagFirstCheckin {
				if firstCheckin {
					e.tag = tagNone
				}
				firstCheckin = true
			}
			continue
		case kChat, kIntro, kEvening, kBotPost:
		default:
			continue
		}
		if e.kind == kChat && e.text == "" {
			s.say(e, ring)
		}
		e.msgID = s.nextID("m")
		author := bot.Member{}
		if e.as != nil {
			author = *e.as
		} else {
			author = e.who.member()
		}
		// Newcomers who introduce themselves are welcomed.
		if e.kind == kIntro {
			for range s.rng.IntN(3) {
				w := s.pickRecent(ring, e.who)
				if w == nil {
					break
				}
				w.who.welcomes++
				add(&sev{at: e.at.Add(time.Duration(20+s.rng.IntN(300)) * time.Second), kind: kWelcome, who: w.who,
					text: "@" + e.who.name + " " + s.pick(L.welcomes), replyTo: e.who.member(), mentions: []bot.Member{e.who.member()}})
			}
		}
		// Reactions: most messages draw none, a few draw several.
		chance := 0.12
		if e.kind == kBotPost {
			chance = 0.4
		}
		if s.rng.Float64() < chance {
			for range 1 + s.rng.IntN(3) {
				r := s.pickRecent(ring, e.who)
				if r == nil {
					break
				}
				add(&sev{at: e.at.Add(time.Duration(10+s.rng.IntN(900)) * time.Second), kind: kReaction, who: r.who,
					target: author, msgID: e.msgID})
			}
		}
		ring = append(ring, recent{id: e.msgID, author: author, who: e.who, at: e.at})
		if len(ring) > 30 {
			ring = ring[1:]
		}
	}
	slices.SortFunc(more, bySeq)
	return more
}

// say writes a chat message: a reply to a recent message, a mention, or
// something new.
func (s *sim) say(e *sev, ring []recent) {
	L := s.lang
	var to *recent
	for i := len(ring) - 1; i >= 0 && i >= len(ring)-8; i-- {
		r := &ring[i]
		if r.who != e.who && e.at.Sub(r.at) < 20*time.Minute && s.rng.Float64() < 0.3 {
			to = r
			break
		}
	}
	switch {
	case to != nil && s.rng.Float64() < 0.7:
		e.replyTo = to.author
		e.text = s.pick(L.replies)
		if to.who != nil && s.rng.Float64() < 0.3 {
			e.text = "@" + to.author.Name + " " + e.text
			e.mentions = []bot.Member{to.author}
		}
	case to != nil && to.who != nil:
		e.text = "@" + to.author.Name + " " + s.pick(L.chat)
		e.mentions = []bot.Member{to.author}
	default:
		e.text = s.pick(L.chat) + s.pick(L.suffixes)
	}
}

// pickRecent is a recent human author other than not, weighted by how
// often they spoke.
func (s *sim) pickRecent(ring []recent, not *person) *recent {
	for range 6 {
		if len(ring) == 0 {
			return nil
		}
		r := &ring[s.rng.IntN(len(ring))]
		if r.who != nil && r.who != not {
			return r
		}
	}
	return nil
}

// submit hands an event to the core, keeping at most Window in flight.
func (s *sim) submit(ctx context.Context, ev bot.Event, t tag) error {
	p, err := s.b.Submit(ev)
	if err != nil {
		return err
	}
	s.sum.Events++
	s.q = append(s.q, item{p: p, tag: t, ev: ev})
	switch t {
	case tagSpamFirst:
		if err := s.drain(ctx); err != nil {
			return err
		}
		s.caps.spam.xpBefore, err = s.xpOf(ev.Member.ID)
		return err
	case tagSpamLast:
		if err := s.drain(ctx); err != nil {
			return err
		}
		s.caps.spam.xpAfter, err = s.xpOf(ev.Member.ID)
		s.caps.spam.done = true
		return err
	}
	if len(s.q)-s.head >= s.o.Window {
		return s.waitOne(ctx)
	}
	return nil
}

// waitOne waits for the oldest event in flight and keeps what the report
// shows of its replies.
func (s *sim) waitOne(ctx context.Context) error {
	it := s.q[s.head]
	s.q[s.head] = item{}
	s.head++
	if s.head > 4096 && s.head*2 > len(s.q) {
		s.q = append(s.q[:0], s.q[s.head:]...)
		s.head = 0
	}
	replies, err := it.p.Wait(ctx)
	if err != nil {
		return fmt.Errorf("%s from %s at %s: %w", it.ev.Kind, it.ev.Member.ID, it.ev.Time.Format(time.RFC3339), err)
	}
	sh := func() shown {
		return shown{at: it.ev.Time, name: it.ev.Member.Name, text: it.ev.Text, replies: replies}
	}
	switch it.tag {
	case tagFirstCheckin:
		s.caps.firstCheckin = sh()
	case tagMakeup:
		s.caps.makeup = sh()
	case tagRefused:
		s.caps.refused = sh()
	}
	for _, r := range replies {
		if !r.Announcement {
			continue
		}
		up := sh()
		up.replies = []bot.Reply{r}
		s.caps.levelUp = up
		if s.titled(r.Text) {
			s.caps.titleUp = up
		}
	}
	return nil
}

// titled reports whether a level-up announcement names a new title.
func (s *sim) titled(text string) bool {
	for _, t := range s.gs.Rules.Levels.Titles {
		title := t.En
		if s.gs.Locale == i18n.Zh {
			title = t.Zh
		}
		if title != "" && strings.Contains(text, i18n.T(s.gs.Locale, "level.title", title)) {
			return true
		}
	}
	return false
}

func (s *sim) drain(ctx context.Context) error {
	for s.head < len(s.q) {
		if err := s.waitOne(ctx); err != nil {
			return err
		}
	}
	s.q, s.head = s.q[:0], 0
	return nil
}

func (s *sim) xpOf(id string) (int64, error) {
	rows, err := s.b.Members(context.Background(), s.o.Group, s.o.End)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if r.ID == id {
			return r.XP, nil
		}
	}
	return 0, nil
}

// finale is the last instant: members ask the bot what they see, and an
// admin thanks the member who welcomed the most newcomers.
func (s *sim) finale(ctx context.Context) error {
	L := s.lang
	at := s.o.End
	var most, diligent, helper *person
	var askers []*person
	for _, p := range s.people {
		if !p.present(s.days-1, at) || p.spammer {
			continue
		}
		if most == nil || p.messages > most.messages {
			most = p
		}
		if p.zhName && !p.admin && (diligent == nil || p.checkinP > diligent.checkinP) {
			diligent = p
		}
		if p.seg == active && !p.admin {
			askers = append(askers, p)
		}
		if !p.admin && (helper == nil || p.welcomes > helper.welcomes || (p.welcomes == helper.welcomes && p.messages > helper.messages)) {
			helper = p
		}
	}
	if most == nil || diligent == nil || len(askers) == 0 || helper == nil {
		return errors.New("too few members present at the end")
	}
	asker, asker2 := askers[0], askers[len(askers)/2]
	ask := func(p *person, text string, mentions ...bot.Member) (shown, error) {
		ev := bot.Event{Kind: bot.KindMessage, Group: s.o.Group, ID: s.nextID("m"), Member: p.member(), Time: at, Text: text, Mentions: mentions}
		pend, err := s.b.Submit(ev)
		if err != nil {
			return shown{}, err
		}
		s.sum.Events++
		s.sum.Messages++
		replies, err := pend.Wait(ctx)
		return shown{at: at, name: p.name, text: text, replies: replies}, err
	}
	for _, q := range []struct {
		who  *person
		text string
	}{{most, L.me}, {asker, L.top}, {asker2, L.topXPWeek}, {diligent, "签到排行"}} {
		sh, err := ask(q.who, q.text)
		if err != nil {
			return err
		}
		s.caps.lastDay = append(s.caps.lastDay, sh)
	}
	admin := s.admins[0]
	sh, err := ask(admin, fmt.Sprintf(L.grant, helper.name, 50, L.adminGrantReason), helper.member())
	s.caps.grant = sh
	if err != nil {
		return err
	}
	// An owner-style goal: 20% more weekly actives within eight weeks.
	if s.caps.goal, err = ask(admin, fmt.Sprintf(L.goal, s.weeklyActive()*6/5+1, at.AddDate(0, 0, 56).Format(time.DateOnly))); err != nil {
		return err
	}
	s.caps.stats, err = ask(admin, L.stats)
	return err
}

// weeklyActive is how many simulated members were active in the last week.
func (s *sim) weeklyActive() int {
	rows, err := s.b.Members(context.Background(), s.o.Group, s.o.End)
	if err != nil {
		return 10
	}
	n := 0
	week := s.o.End.AddDate(0, 0, -6).In(s.loc).Format(time.DateOnly)
	for _, r := range rows {
		if r.LastActive >= week {
			n++
		}
	}
	return n
}

func pickWeighted(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// poisson draws from a Poisson distribution of mean m.
func poisson(r *rand.Rand, m float64) int {
	if m <= 0 {
		return 0
	}
	if m > 30 {
		return max(0, int(math.Round(m+math.Sqrt(m)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}
