package wechat

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"
	"github.com/pulsebot/pulse/bot"
)

// inMsg is what the adapter keeps of an openwechat message: plain values,
// copied on openwechat's goroutine.
type inMsg struct {
	id      string
	group   string // the group's UserName
	sender  string // the member's UserName ("" for system messages)
	kind    openwechat.MessageType
	text    string // content with markup, <br/> and entities decoded
	created int64  // unix seconds, 0 if unknown
	at      bool   // openwechat's IsAt
	tries   int    // reads of the member list it waited for
	reads   int    // failed reads of its group
}

// onMessage is openwechat's MessageHandler. It runs inside openwechat's
// polling loop, so it only copies the message into the queue, dropping
// (and counting) it when the queue is full.
func (s *session) onMessage(msg *openwechat.Message) {
	a := s.a
	a.st.received.Add(1)
	if !strings.HasPrefix(msg.FromUserName, "@@") || msg.IsSendBySelf() {
		return // not from a group, or the bot's own
	}
	m := inMsg{id: msg.MsgId, group: msg.FromUserName, kind: msg.MsgType, text: msg.Content, created: msg.CreateTime, at: msg.IsAt()}
	if !msg.IsSystem() {
		if u, _, ok := strings.Cut(msg.RawContent, ":<br/>"); ok && strings.HasPrefix(u, "@") {
			m.sender = u
		}
	}
	select {
	case s.in <- m:
	default:
		n := a.st.dropped.Add(1)
		a.mu.Lock()
		// At most one log line per 10s of real time.
		note := time.Since(a.dropNote) > 10*time.Second
		if note {
			a.dropNote = time.Now()
		}
		a.mu.Unlock()
		if note {
			a.log.Warn("queue full, messages dropped", "dropped", n)
		}
	}
}

// process handles queued messages one at a time, those whose sender just
// became known first.
func (s *session) process() {
	for {
		select {
		case m := <-s.replay:
			s.handle(m)
			continue
		default:
		}
		select {
		case <-s.ctx.Done():
			return
		case m := <-s.replay:
			s.handle(m)
		case m := <-s.in:
			s.handle(m)
		}
	}
}

// requeue hands a parked message back to process.
func (s *session) requeue(m inMsg) {
	select {
	case s.replay <- m:
	default:
		s.a.st.unresolved.Add(1)
	}
}

// counted reports whether a message type counts as a message.
func counted(k openwechat.MessageType) bool {
	switch k {
	case openwechat.MsgTypeText, openwechat.MsgTypeImage, openwechat.MsgTypeVoice, openwechat.MsgTypeShareCard,
		openwechat.MsgTypeVideo, openwechat.MsgTypeEmoticon, openwechat.MsgTypeLocation, openwechat.MsgTypeApp,
		openwechat.MsgTypeMicroVideo:
		return true
	}
	return false
}

func (s *session) handle(m inMsg) {
	a := s.a
	if m.tries == 0 && m.reads == 0 && a.seen.add(m.id) {
		a.st.duplicates.Add(1)
		return
	}
	lg := s.ensure(m.group)
	if lg == nil {
		// The group could not be read (a network error, 1205): try again,
		// paced by the member-list requests, a few times.
		if m.reads++; m.reads < 4 && s.ctx.Err() == nil {
			s.requeue(m)
		} else {
			a.st.unresolved.Add(1)
		}
		return
	}
	s.mu.Lock()
	id, gone := lg.id, lg.gone
	s.mu.Unlock()
	switch {
	case id == "":
		return // a group Pulse does not serve
	case gone:
		// The bot was not in the last member list, yet the group speaks
		// to it: read the list again.
		s.park(lg, m)
		return
	}
	if m.kind == openwechat.MsgTypeSys {
		s.system(lg, m)
		return
	}
	if !counted(m.kind) || m.sender == "" {
		return
	}
	lg.listMu.Lock()
	lm := lg.members[m.sender]
	if lm == nil {
		lg.listMu.Unlock()
		s.park(lg, m)
		return
	}
	ev, ok := s.message(lg, lm, m)
	lg.listMu.Unlock()
	if ok {
		s.submit(ev)
	}
}

// park keeps a message whose sender is not in the member list until the
// list is read again. A group has at most one read waiting, and reads are
// paced, so a flood of unknown senders cannot hammer WeChat.
func (s *session) park(lg *liveGroup, m inMsg) {
	a := s.a
	if m.tries > 0 {
		a.st.unresolved.Add(1)
		a.log.Debug("sender not in the member list; message dropped", "msg", m.id)
		return
	}
	m.tries = 1
	s.mu.Lock()
	if len(lg.parked) >= 256 {
		s.mu.Unlock()
		a.st.unresolved.Add(1)
		return
	}
	lg.parked = append(lg.parked, m)
	s.mu.Unlock()
	s.queue.add(lg.user, nil)
}

// message turns a member's message into an event, answering the adapter's
// own commands. The caller holds lg.listMu.
func (s *session) message(lg *liveGroup, lm *liveMember, m inMsg) (bot.Event, bool) {
	s.mu.Lock()
	id, selfDisplay := lg.id, lg.selfDisplay
	s.mu.Unlock()
	text := ""
	if m.kind == openwechat.MsgTypeText {
		text = m.text
	}
	text, addressed := stripMention(text, selfDisplay, s.selfNick)
	if lm.id == "" && !s.provisional(lg, lm) {
		return bot.Event{}, false
	}
	cmd, args := adapterCommand(text)
	if cmd != "" {
		s.command(lg, lm, m, cmd, args)
	}
	ev := bot.Event{
		Kind: bot.KindMessage, Group: Platform + "/" + id, ID: m.id, Member: s.member(lg, lm), Time: s.when(m),
		Text: text, Addressed: addressed || m.at, Mentions: s.mentions(lg, text, lm),
	}
	if cmd != "" {
		// Counts as activity; the core must not read it as its own command.
		ev.Text, ev.Length, ev.NoXP = "", utf8.RuneCountInString(text), true
	}
	return ev, true
}

// when is a message's time.
func (s *session) when(m inMsg) time.Time {
	if m.created > 0 {
		return time.Unix(m.created, 0)
	}
	return s.a.o.clock.Now()
}

// provisional gives an id to a member who could not be told apart from
// another, so their activity counts; they are told how to fix it. The
// caller holds lg.listMu.
func (s *session) provisional(lg *liveGroup, lm *liveMember) bool {
	a := s.a
	s.mu.Lock()
	id := lg.id
	s.mu.Unlock()
	var b batch
	a.ids.mu.Lock()
	gi := a.ids.groups[id]
	if _, err := a.ids.membersOf(s.ctx, gi); err != nil {
		a.ids.mu.Unlock()
		a.log.Error("cannot read member identities", "group", id, "err", err)
		return false
	}
	r := a.ids.create(gi, lm, a.o.clock.Now().Unix(), lm.ambiguous)
	b.member(id, r)
	a.ids.mu.Unlock()
	if err := a.ids.save(s.ctx, &b); err != nil {
		a.log.Error("cannot record a member identity", "group", id, "err", err)
		return false
	}
	lm.id = r.ID
	if lm.ambiguous {
		key := Platform + "/" + id
		a.reply(bot.Reply{Group: key, Text: tr(a.core.Group(key).Locale, "ambiguous.hint", lm.name()), To: lm.id})
	}
	return true
}

// submit gives an event to the core; its replies are sent once it is
// committed.
func (s *session) submit(ev bot.Event) {
	a := s.a
	p, err := a.core.Submit(s.ctx, ev)
	if err != nil {
		a.log.Error("event refused", "kind", ev.Kind, "group", ev.Group, "err", err)
		return
	}
	a.st.events.Add(1)
	select {
	case a.pending <- p:
	case <-a.stopped():
	}
}

// stopped is closed when Run ends.
func (a *Adapter) stopped() <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.runDone
}
