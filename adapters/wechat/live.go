package wechat

import (
	"sync"

	"github.com/pulsebot/pulse/bot"
)

// Groups and members as this session sees them.

// liveGroup is a group as seen in this session. Its scalar fields are
// guarded by session.mu; members and their fields by listMu.
type liveGroup struct {
	user   string // UserName in this session
	listMu sync.Mutex

	name        string
	id          string // stable id; "" until linked
	gone        bool   // the bot is not (or no longer) in the group
	owner       string // UserName of the group owner (群主), if WeChat says
	selfDisplay string // the bot's display name in the group
	listed      bool
	parked      []inMsg // messages waiting for the member list

	members map[string]*liveMember // by UserName
}

// liveMember is a member as seen in this session.
type liveMember struct {
	user, nick, display, avatar string
	attr                        int64
	id                          string // stable id; "" until linked
	ambiguous                   bool   // could not be told apart; reported
	present                     bool   // a present (or join) event was given
}

func (lm *liveMember) name() string {
	if lm.display != "" {
		return lm.display
	}
	return lm.nick
}

// byName finds the live members called name (display name first, then
// nickname). The caller holds lg.listMu.
func (lg *liveGroup) byName(name string) []*liveMember {
	var byDisplay, byNick []*liveMember
	for _, lm := range lg.members {
		switch {
		case lm.display == name:
			byDisplay = append(byDisplay, lm)
		case lm.nick == name:
			byNick = append(byNick, lm)
		}
	}
	if len(byDisplay) > 0 {
		return byDisplay
	}
	return byNick
}

// others returns the ids linked to live members other than except. The
// caller holds lg.listMu.
func (lg *liveGroup) others(except *liveMember) map[string]bool {
	out := map[string]bool{}
	for _, lm := range lg.members {
		if lm != except && lm.id != "" {
			out[lm.id] = true
		}
	}
	return out
}

// member is the core's view of a live member. The caller holds lg.listMu.
func (s *session) member(lg *liveGroup, lm *liveMember) bot.Member {
	a := s.a
	s.mu.Lock()
	owner, id, name := lg.owner, lg.id, lg.name
	s.mu.Unlock()
	m := bot.Member{ID: lm.id, Name: lm.name()}
	is := func(list []string) bool {
		for _, n := range list {
			if n != "" && (n == lm.nick || n == lm.display || n == lm.id) {
				return true
			}
		}
		return false
	}
	gc := a.groupConfig(id, name)
	m.IsAdmin = owner != "" && owner == lm.user || is(a.cfg.Admins) || is(gc.Admins)
	m.IsOwner = is(a.cfg.Owners) || is(gc.Owners)
	if a.o.roles != nil {
		admins, owners := a.o.roles(Platform + "/" + id)
		m.IsAdmin = m.IsAdmin || is(admins)
		m.IsOwner = m.IsOwner || is(owners)
	}
	return m
}
