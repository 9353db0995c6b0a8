package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/i18n"
)

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

// submit hands an event to the core, keeping at most Window in flight.
func (s *sim) submit(ctx context.Context, ev bot.Event, t tag) error {
	p, err := s.b.Submit(ctx, ev)
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
