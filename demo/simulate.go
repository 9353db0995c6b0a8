package demo

import (
	"context"
	"time"

	"github.com/pulsebot/pulse/bot"
)

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
