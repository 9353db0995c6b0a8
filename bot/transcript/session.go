package transcript

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/calendar"
)

// Options say how a transcript's names and times become events.
type Options struct {
	Group    string         // group key of every event
	Location *time.Location // for times without a zone; UTC when nil
	Admins   []string
	Owners   []string
	Bots     []string
	Clock    calendar.Clock // time of lines without [TIME]; the system clock when nil
}

const (
	roleAdmin uint8 = 1 << iota
	roleOwner
	roleBot
)

// Session turns transcript lines into core events, remembering the names
// it has seen (for @mentions) and each member's last message (for
// reactions).
type Session struct {
	o     Options
	known map[string]bool   // names seen, for resolving @mentions
	last  map[string]string // name → id of their last message, for reactions
	role  map[string]uint8
	seq   int
}

// NewSession starts a session with the given roles.
func NewSession(o Options) *Session {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Clock == nil {
		o.Clock = calendar.System{}
	}
	s := &Session{o: o, known: map[string]bool{}, last: map[string]string{}, role: map[string]uint8{}}
	for _, n := range o.Admins {
		s.role[n] |= roleAdmin
		s.known[n] = true
	}
	for _, n := range o.Owners {
		s.role[n] |= roleOwner
		s.known[n] = true
	}
	for _, n := range o.Bots {
		s.role[n] |= roleBot
	}
	return s
}

func (s *Session) member(name string) bot.Member {
	r := s.role[name]
	return bot.Member{ID: name, Name: name, IsAdmin: r&roleAdmin != 0, IsOwner: r&roleOwner != 0, IsBot: r&roleBot != 0}
}

// Event turns line number no into an event; has is false for blanks and
// comments.
func (s *Session) Event(no int, text string) (ev bot.Event, has bool, err error) {
	line, err := ParseLine(text, s.o.Location)
	if err != nil || line.Kind == Blank {
		return ev, false, err
	}
	ev = bot.Event{Group: s.o.Group, Member: s.member(line.Name), Time: line.Time}
	if ev.Time.IsZero() {
		ev.Time = s.o.Clock.Now()
	}
	switch line.Kind {
	case Message:
		s.seq++
		id := "L" + strconv.Itoa(no) + "." + strconv.Itoa(s.seq)
		s.last[line.Name] = id
		ev.Kind, ev.Text = bot.KindMessage, line.Text
		if line.ReplyTo != "" {
			ev.ReplyTo = s.member(line.ReplyTo)
		}
		ev.Mentions = s.mentions(line.Text)
	case Join:
		ev.Kind = bot.KindJoin
	case Leave:
		ev.Kind = bot.KindLeave
	case Reaction:
		ev.Kind, ev.Target, ev.MessageID = bot.KindReaction, s.member(line.ReplyTo), s.last[line.ReplyTo]
	}
	if line.Kind != Leave {
		s.known[line.Name] = true
	}
	return ev, true, nil
}

// mentions finds "@name" for names this session has seen.
func (s *Session) mentions(text string) []bot.Member {
	var out []bot.Member
	for _, f := range strings.FieldsFunc(text, unicode.IsSpace) {
		if !strings.HasPrefix(f, "@") && !strings.HasPrefix(f, "＠") {
			continue
		}
		name := strings.TrimFunc(strings.TrimPrefix(strings.TrimPrefix(f, "@"), "＠"), unicode.IsPunct)
		if s.known[name] {
			out = append(out, s.member(name))
		}
	}
	return out
}
