package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
)

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
