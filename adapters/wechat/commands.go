package wechat

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pulsebot/pulse/bot"
)

// Adapter commands: 认领 (/claim) and 合并 (/merge).

// adapterCommand recognises the adapter's own commands: the Chinese words
// with or without "/", the English ones after "/".
func adapterCommand(text string) (string, []string) {
	t := strings.TrimSpace(text)
	slash := false
	if r, n := utf8.DecodeRuneInString(t); r == '/' || r == '／' {
		t, slash = t[n:], true
	}
	f := strings.FieldsFunc(t, unicode.IsSpace)
	if len(f) == 0 {
		return "", nil
	}
	switch w := strings.ToLower(f[0]); {
	case w == "认领" || slash && w == "claim":
		return "claim", f[1:]
	case w == "合并" || slash && w == "merge":
		return "merge", f[1:]
	}
	return "", nil
}

// command carries out an adapter command once per message id (a replayed
// message does nothing) and answers it. The caller holds lg.listMu.
func (s *session) command(lg *liveGroup, lm *liveMember, m inMsg, cmd string, args []string) {
	a := s.a
	s.mu.Lock()
	id := lg.id
	s.mu.Unlock()
	key := Platform + "/" + id
	if m.id != "" {
		first, err := a.core.ClaimOp(s.ctx, Platform, "cmd:"+m.id, a.o.clock.Now())
		if err != nil && s.ctx.Err() == nil {
			a.log.Error("cannot record a command; not carried out", "msg", m.id, "err", err)
		}
		if err != nil || !first {
			return
		}
	}
	loc := a.core.Group(key).Locale
	var text string
	switch cmd {
	case "claim":
		text = s.claim(lg, lm, args, loc)
	case "merge":
		text = s.merge(lg, lm, args, loc)
	}
	a.reply(bot.Reply{Group: key, Text: text, To: lm.id, Ping: []string{lm.id}})
}

// claim gives a member the record they had under an earlier name: one
// that no member in the group has now and that did not leave.
func (s *session) claim(lg *liveGroup, lm *liveMember, args []string, loc string) string {
	if len(args) == 0 {
		return tr(loc, "claim.usage")
	}
	name := strings.Join(args, " ")
	a := s.a
	s.mu.Lock()
	gid := lg.id
	s.mu.Unlock()
	busy := lg.others(lm)
	a.ids.mu.Lock()
	recs, err := a.ids.find(s.ctx, a.ids.groups[gid], name)
	var cands []*memberRecord
	self := false
	for _, r := range recs {
		switch {
		case r.ID == lm.id:
			self = true
		case !busy[r.ID] && !r.Left:
			cands = append(cands, r)
		}
	}
	a.ids.mu.Unlock()
	switch {
	case err != nil:
		a.log.Error("cannot look up a record to claim", "err", err)
		return tr(loc, "claim.none", name)
	case len(cands) == 0 && self:
		return tr(loc, "claim.self", name)
	case len(cands) == 0:
		return tr(loc, "claim.none", name)
	case len(cands) > 1:
		return tr(loc, "claim.ambiguous", name, listRecords(cands, loc), cands[0].ID)
	}
	target := cands[0]
	if !s.relink(lg, lm, target) {
		return tr(loc, "claim.none", name)
	}
	a.log.Info("member claimed an earlier record", "group", gid, "member", target.ID, "name", lm.name(), "was", name)
	return tr(loc, "claim.ok", lm.name(), name, target.ID)
}

// merge (admins) gives the member now called newName the record of
// oldName.
func (s *session) merge(lg *liveGroup, admin *liveMember, args []string, loc string) string {
	if m := s.member(lg, admin); !m.IsAdmin && !m.IsOwner {
		return tr(loc, "merge.denied")
	}
	if len(args) != 2 {
		return tr(loc, "merge.usage")
	}
	oldName, newName := args[0], args[1]
	live := lg.byName(newName)
	switch len(live) {
	case 0:
		return tr(loc, "merge.nolive", newName)
	case 1:
	default:
		return tr(loc, "merge.manylive", newName)
	}
	lm := live[0]
	a := s.a
	s.mu.Lock()
	gid := lg.id
	s.mu.Unlock()
	busy := lg.others(lm)
	a.ids.mu.Lock()
	recs, err := a.ids.find(s.ctx, a.ids.groups[gid], oldName)
	var cands []*memberRecord
	present := false
	for _, r := range recs {
		switch {
		case r.ID == lm.id:
		case busy[r.ID]:
			present = true
		default:
			cands = append(cands, r)
		}
	}
	a.ids.mu.Unlock()
	switch {
	case err != nil:
		a.log.Error("cannot look up a record to merge", "err", err)
		return tr(loc, "merge.none", oldName)
	case len(cands) == 0 && present:
		return tr(loc, "merge.present", oldName)
	case len(cands) == 0:
		return tr(loc, "merge.none", oldName)
	case len(cands) > 1:
		return tr(loc, "claim.ambiguous", oldName, listRecords(cands, loc), cands[0].ID+" "+newName)
	}
	target := cands[0]
	if !s.relink(lg, lm, target) {
		return tr(loc, "merge.none", oldName)
	}
	a.log.Info("records merged by an admin", "group", gid, "member", target.ID, "name", lm.name(), "was", oldName, "admin", admin.id)
	return tr(loc, "merge.ok", oldName, target.ID, lm.name())
}

// relink moves a live member onto target: target takes their names and
// is present again; their former id is marked merged into it. The caller
// holds lg.listMu.
func (s *session) relink(lg *liveGroup, lm *liveMember, target *memberRecord) bool {
	a := s.a
	s.mu.Lock()
	gid := lg.id
	s.mu.Unlock()
	now := a.o.clock.Now()
	var b batch
	a.ids.mu.Lock()
	gi := a.ids.groups[gid]
	if old := gi.members[lm.id]; old != nil && old != target {
		old.MergedInto = target.ID
		b.member(gid, old)
	}
	update(target, lm, now.Unix())
	target.Ambiguous = false
	b.member(gid, target)
	a.ids.mu.Unlock()
	if err := a.ids.save(s.ctx, &b); err != nil {
		a.log.Error("cannot record a merge", "group", gid, "err", err)
		return false
	}
	lm.id, lm.ambiguous, lm.present = target.ID, false, true
	s.submit(bot.Event{Kind: bot.KindPresent, Group: Platform + "/" + gid, Member: s.member(lg, lm), Time: now})
	return true
}

// listRecords lists records for a choice: "u3（小王，2026-01-02）".
func listRecords(rs []*memberRecord, loc string) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		name := r.Display
		if name == "" {
			name = r.Nick
		}
		day := time.Unix(r.LastSeen, 0).UTC().Format(time.DateOnly)
		if loc == "zh" {
			parts[i] = fmt.Sprintf("%s（%s，最后出现 %s）", r.ID, name, day)
		} else {
			parts[i] = fmt.Sprintf("%s (%s, last seen %s)", r.ID, name, day)
		}
	}
	sep := ", "
	if loc == "zh" {
		sep = "、"
	}
	return strings.Join(parts, sep)
}
