package demo

import (
	"slices"
	"time"

	"github.com/pulsebot/pulse/bot"
)

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
