package wechat

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/store"
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
		note := time.Since(a.dropNote) > 10*time.Second
		if note {
			a.dropNote = time.Now()
		}
		a.mu.Unlock()
		if note {
			a.log.Warn("wechat: queue full, messages dropped / 消息队列已满，部分消息被丢弃", "dropped", n)
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
		a.log.Debug("wechat: sender not in the member list; message dropped", "msg", m.id)
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
	if _, err := a.ids.membersOf(gi); err != nil {
		a.ids.mu.Unlock()
		a.log.Error("wechat: cannot read member identities", "group", id, "err", err)
		return false
	}
	r := a.ids.create(gi, lm, a.o.clock.Now().Unix(), lm.ambiguous)
	b.member(id, r)
	a.ids.mu.Unlock()
	if err := a.ids.save(s.ctx, &b); err != nil {
		a.log.Error("wechat: cannot record a member identity", "group", id, "err", err)
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
	p, err := a.core.Submit(ev)
	if err != nil {
		a.log.Error("wechat: event refused", "kind", ev.Kind, "group", ev.Group, "err", err)
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

// System messages.

var (
	quoted = regexp.MustCompile(`["“「]([^"“”「」]+)["”」]`)
	rename = regexp.MustCompile(`修改群名为\s*["“「]?(.+?)["”」]?\s*$`)
)

// joinReq is a join system message waiting for the member list.
type joinReq struct {
	msgID   string
	at      time.Time
	inviter string // display name; "" if unknown or the bot
	names   []string
	tries   int
}

// parseJoin reads the join notices WeChat posts in a group:
//
//	"A"邀请"B、C"加入了群聊      你邀请"B"加入了群聊
//	"B"通过扫描"A"分享的二维码加入群聊
//
// The names are display names; several invitees are separated by 、.
// A notice that the bot itself was invited gives nil.
func parseJoin(text string) *joinReq {
	text = strings.TrimSpace(text)
	var j joinReq
	switch {
	case strings.Contains(text, "分享的二维码加入群聊"):
		who, by, ok := strings.Cut(text, "通过扫描")
		if !ok {
			return nil
		}
		j.names = names(who)
		if inv := names(strings.TrimSuffix(strings.TrimSpace(by), "分享的二维码加入群聊")); len(inv) == 1 && !strings.HasPrefix(strings.TrimSpace(by), "你") {
			j.inviter = inv[0]
		}
	case strings.Contains(text, "加入了群聊"):
		head, _, _ := strings.Cut(text, "加入了群聊")
		by, who, ok := strings.Cut(head, "邀请")
		if !ok {
			j.names = names(head)
			break
		}
		if strings.TrimSpace(who) == "你" {
			return nil // the bot was invited
		}
		j.names = names(who)
		if inv := names(by); len(inv) == 1 && strings.TrimSpace(by) != "你" {
			j.inviter = inv[0]
		}
	default:
		return nil
	}
	if len(j.names) == 0 {
		return nil
	}
	return &j
}

// names reads the (quoted) names in s, splitting lists at 、.
func names(s string) []string {
	var raw []string
	for _, m := range quoted.FindAllStringSubmatch(s, -1) {
		raw = append(raw, m[1])
	}
	if len(raw) == 0 {
		raw = []string{s}
	}
	var out []string
	for _, r := range raw {
		for n := range strings.SplitSeq(r, "、") {
			if n = strings.TrimSpace(n); n != "" && n != "你" {
				out = append(out, n)
			}
		}
	}
	return out
}

// parseKick reads "你将"X"移出了群聊" (only kicks by the bot's account are
// posted).
func parseKick(text string) bool {
	return strings.Contains(text, "移出了群聊")
}

// parseRename reads `"A"修改群名为“新名”` and `你修改群名为“新名”`.
func parseRename(text string) (string, bool) {
	m := rename.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil || strings.TrimSpace(m[1]) == "" {
		return "", false
	}
	return strings.TrimSpace(m[1]), true
}

func (s *session) system(lg *liveGroup, m inMsg) {
	switch {
	case parseJoin(m.text) != nil:
		j := parseJoin(m.text)
		j.msgID, j.at = m.id, s.when(m)
		s.queue.add(lg.user, j)
	case parseKick(m.text):
		s.queue.add(lg.user, nil) // the next list shows who left
	default:
		if name, ok := parseRename(m.text); ok {
			s.mu.Lock()
			lg.name = name
			s.mu.Unlock()
			s.renamed(lg, name)
		}
	}
}

// joined reports a join once the member list has the newcomers. The
// caller holds lg.listMu.
func (s *session) joined(lg *liveGroup, j *joinReq) {
	a := s.a
	s.mu.Lock()
	key := Platform + "/" + lg.id
	s.mu.Unlock()
	var inviter bot.Member
	if l := lg.byName(j.inviter); j.inviter != "" && len(l) == 1 && l[0].id != "" {
		inviter = s.member(lg, l[0])
	}
	for _, n := range j.names {
		l := lg.byName(n)
		if len(l) > 1 {
			var fresh []*liveMember
			for _, lm := range l {
				if !lm.present {
					fresh = append(fresh, lm)
				}
			}
			l = fresh
		}
		if len(l) != 1 {
			a.log.Warn("wechat: a member who joined is not (or not once) in the member list / 新成员不在成员列表中或有重名", "group", key, "name", n)
			continue
		}
		lm := l[0]
		if lm.id == "" && !s.provisional(lg, lm) {
			continue
		}
		lm.present = true
		a.log.Info("wechat: member joined / 新成员入群", "group", key, "member", lm.id, "name", n)
		s.submit(bot.Event{Kind: bot.KindJoin, Group: key, ID: j.msgID + "/" + lm.id, Member: s.member(lg, lm), Time: j.at, Target: inviter})
	}
}

// Mentions.

// stripMention removes "@<name>\u2005" (or a space, or the end) of each of
// the bot's names and reports whether there was one.
func stripMention(text string, names ...string) (string, bool) {
	found := false
	for _, n := range names {
		if n == "" {
			continue
		}
		for _, at := range []string{"@", "＠"} {
			pat := at + n
			for from := 0; ; {
				i := strings.Index(text[from:], pat)
				if i < 0 {
					break
				}
				i += from
				end := i + len(pat)
				r, size := utf8.DecodeRuneInString(text[end:])
				switch {
				case end == len(text):
					text, found = text[:i], true
				case r == '\u2005' || unicode.IsSpace(r):
					text, found = text[:i]+text[end+size:], true
				default:
					from = end
					continue
				}
				from = i
			}
		}
	}
	if !found {
		return text, false
	}
	return strings.TrimSpace(text), true
}

// mentions finds "@name" of members in text, the longest name that fits
// at each @ (followed by \u2005, a space, punctuation or the end). The
// caller holds lg.listMu.
func (s *session) mentions(lg *liveGroup, text string, from *liveMember) []bot.Member {
	if !strings.ContainsAny(text, "@＠") {
		return nil
	}
	var out []bot.Member
	seen := map[string]bool{from.id: true}
	for i, r := range text {
		if r != '@' && r != '＠' {
			continue
		}
		rest := text[i+utf8.RuneLen(r):]
		best, bestLen, tie := (*liveMember)(nil), 0, false
		for _, lm := range lg.members {
			for _, n := range []string{lm.display, lm.nick} {
				if n == "" || len(n) < bestLen || !strings.HasPrefix(rest, n) {
					continue
				}
				after, _ := utf8.DecodeRuneInString(rest[len(n):])
				if len(rest) > len(n) && after != '\u2005' && !unicode.IsSpace(after) && !unicode.IsPunct(after) {
					continue
				}
				switch {
				case len(n) > bestLen:
					best, bestLen, tie = lm, len(n), false
				case best != lm:
					tie = true
				}
			}
		}
		if best == nil || tie || best.id == "" || seen[best.id] {
			continue
		}
		seen[best.id] = true
		out = append(out, s.member(lg, best))
	}
	return out
}

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
		var done bool
		err := a.db.Update(s.ctx, func(tx *store.Tx) error {
			var err error
			done, err = tx.IdentityOp(Platform, "cmd:"+m.id, a.o.clock.Now().Unix())
			return err
		})
		if err != nil || done {
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
	recs, err := a.ids.find(a.ids.groups[gid], name)
	var cands []*store.IdentityMember
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
		a.log.Error("wechat: claim", "err", err)
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
	a.log.Info("wechat: member claimed an earlier record / 成员认领了旧记录", "group", gid, "member", target.ID, "name", lm.name(), "was", name)
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
	recs, err := a.ids.find(a.ids.groups[gid], oldName)
	var cands []*store.IdentityMember
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
		a.log.Error("wechat: merge", "err", err)
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
	a.log.Info("wechat: records merged by an admin / 管理员合并了成员记录", "group", gid, "member", target.ID, "name", lm.name(), "was", oldName, "admin", admin.id)
	return tr(loc, "merge.ok", oldName, target.ID, lm.name())
}

// relink moves a live member onto target: target takes their names and
// is present again; their former id is marked merged into it. The caller
// holds lg.listMu.
func (s *session) relink(lg *liveGroup, lm *liveMember, target *store.IdentityMember) bool {
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
		a.log.Error("wechat: cannot record a merge", "group", gid, "err", err)
		return false
	}
	lm.id, lm.ambiguous, lm.present = target.ID, false, true
	s.submit(bot.Event{Kind: bot.KindPresent, Group: Platform + "/" + gid, Member: s.member(lg, lm), Time: now})
	return true
}

// listRecords lists records for a choice: "u3（小王，2026-01-02）".
func listRecords(rs []*store.IdentityMember, loc string) string {
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

func unescape(s string) string { return html.UnescapeString(s) }
