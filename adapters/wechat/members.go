package wechat

import (
	"sort"
	"time"

	"github.com/pulsebot/pulse/bot"
)

// Bringing a group's members up to date with a member list: who is new,
// who renamed, who left.

// leave is a member's leave to report.
type leave struct {
	id, name string
	at       time.Time
}

// applyList diffs a member list with what the session knew: members gone
// from it left; members new to it are linked to their identities and
// reported present (members in joinNames are reported by their join);
// records of members missing since before this session for longer than
// OfflineLeave are reported left. The caller holds lg.listMu.
func (s *session) applyList(lg *liveGroup, d contact, joinNames map[string]bool) {
	a := s.a
	now := a.o.clock.Now()
	unix := now.Unix()
	seen := map[string]bool{}
	selfDisplay := ""
	for _, c := range d.MemberList {
		if c.UserName == s.self {
			selfDisplay = cleanName(c.DisplayName)
			continue
		}
		seen[c.UserName] = true
		lm := lg.members[c.UserName]
		if lm == nil {
			lm = &liveMember{user: c.UserName}
			lg.members[c.UserName] = lm
		}
		lm.nick, lm.display = cleanName(c.NickName), cleanName(c.DisplayName)
		lm.avatar, lm.attr = avatarID(c.HeadImgUrl), c.AttrStatus
	}
	var gone []*liveMember
	for user, lm := range lg.members {
		if !seen[user] {
			gone = append(gone, lm)
		}
	}
	// A list shorter than the group says, or one that lost a fifth of the
	// members at once, is more likely cut short than true: no leaves.
	if partial := d.MemberCount > 0 && len(d.MemberList) < d.MemberCount; partial || len(gone) > 10 && len(gone)*5 > len(lg.members) {
		a.log.Warn("member list looks incomplete; leaves not recorded this time",
			"group", lg.user, "listed", len(d.MemberList), "count", d.MemberCount, "missing", len(gone))
		gone = nil
	}
	for _, lm := range gone {
		delete(lg.members, lm.user)
	}
	s.mu.Lock()
	id := lg.id
	lg.selfDisplay = selfDisplay
	s.mu.Unlock()

	var b batch
	var leaves []leave
	a.ids.mu.Lock()
	gi := a.ids.groups[id]
	recs, err := a.ids.membersOf(s.ctx, gi)
	if err != nil {
		a.ids.mu.Unlock()
		a.log.Error("cannot read member identities", "group", id, "err", err)
		return
	}
	taken := map[string]bool{}
	var unlinked []*liveMember
	for _, lm := range lg.members {
		if lm.id != "" {
			taken[lm.id] = true
			if r := recs[lm.id]; r != nil && (r.Nick != lm.nick || r.Display != lm.display || r.Missing != 0 || r.Left || unix-r.LastSeen > 3600) {
				update(r, lm, unix)
				b.member(id, r)
			}
		} else {
			unlinked = append(unlinked, lm)
		}
	}
	linked, ambiguous, fresh, held, err := a.ids.match(s.ctx, gi, unlinked, taken, unix, &b)
	if err != nil {
		a.ids.mu.Unlock()
		a.log.Error("cannot link members", "group", id, "err", err)
		return
	}
	for _, r := range linked {
		taken[r.ID] = true
	}
	for id := range held {
		taken[id] = true
	}
	// A member no record fits is new, or renamed while Pulse was away. If
	// some records are missing from the list, wait: the member may claim
	// one (认领) before their id reaches the core, and gets an id anyway
	// at their first message or join, or once those records are left.
	waiting := false
	for _, r := range recs {
		if r.MergedInto == "" && !r.Left && !taken[r.ID] {
			waiting = true
		}
	}
	for _, lm := range fresh {
		if !waiting {
			r := a.ids.create(gi, lm, unix, false)
			linked[lm] = r
			b.member(id, r)
			taken[r.ID] = true
		}
	}
	for _, lm := range gone {
		if r := recs[lm.id]; r != nil && !r.Left {
			r.Left, r.Missing = true, 0
			b.member(id, r)
			leaves = append(leaves, leave{r.ID, lm.name(), now})
		}
	}
	for _, r := range recs {
		if r.MergedInto != "" || r.Left || taken[r.ID] {
			continue
		}
		switch {
		case r.Missing == 0:
			r.Missing = unix
			b.member(id, r)
		case unix-r.Missing >= int64(a.t.OfflineLeave/time.Second):
			r.Left = true
			b.member(id, r)
			name := r.Display
			if name == "" {
				name = r.Nick
			}
			leaves = append(leaves, leave{r.ID, name, time.Unix(r.Missing, 0)})
		}
	}
	a.ids.mu.Unlock()
	if err := a.ids.save(s.ctx, &b); err != nil {
		a.log.Error("cannot record member identities", "group", id, "err", err)
		return
	}
	for lm, r := range linked {
		lm.id = r.ID
	}
	for _, lm := range ambiguous {
		if !lm.ambiguous {
			lm.ambiguous = true
			a.st.ambiguous.Add(1)
			a.log.Warn("members cannot be told apart; their history is not linked until they set different group nicknames and claim their records (认领)",
				"group", id, "name", lm.name())
		}
	}
	key := Platform + "/" + id
	sort.Slice(leaves, func(i, j int) bool { return idLess(leaves[i].id, leaves[j].id) })
	for _, l := range leaves {
		a.log.Info("member left", "group", key, "member", l.id, "name", l.name)
		s.submit(bot.Event{Kind: bot.KindLeave, Group: key, Member: bot.Member{ID: l.id, Name: l.name}, Time: l.at})
	}
	users := make([]string, 0, len(lg.members))
	for u := range lg.members {
		users = append(users, u)
	}
	sort.Strings(users)
	for _, u := range users {
		lm := lg.members[u]
		if lm.id == "" || lm.present {
			continue
		}
		lm.present = true
		if joinNames[lm.display] || joinNames[lm.nick] {
			continue // its join says it
		}
		s.submit(bot.Event{Kind: bot.KindPresent, Group: key, Member: s.member(lg, lm), Time: now})
	}
	s.markListed(lg)
}
