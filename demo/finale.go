package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pulsebot/pulse/bot"
)

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
		pend, err := s.b.Submit(ctx, ev)
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
