package wechat

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/store"
)

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

// contact is a contact as webwxbatchgetcontact returns it; unlike
// openwechat's User it keeps the group owner.
type contact struct {
	UserName, NickName, DisplayName, RemarkName, HeadImgUrl string
	ChatRoomOwner, EncryChatRoomId                          string
	AttrStatus                                              int64
	MemberCount                                             int
	MemberList                                              []contact
}

// fetchGroups reads groups with their member lists, paced so that many
// groups do not look like a burst.
func (s *session) fetchGroups(users []string) ([]contact, error) {
	if err := s.a.pace.wait(s.ctx, 0); err != nil {
		return nil, err
	}
	ms := make(openwechat.Members, len(users))
	for i, u := range users {
		ms[i] = &openwechat.User{UserName: u}
	}
	resp, err := s.wb.Caller.Client.WebWxBatchGetContact(s.ctx, ms, s.req)
	if err != nil {
		return nil, fmt.Errorf("webwxbatchgetcontact: %w", err)
	}
	defer resp.Body.Close()
	var r struct {
		BaseResponse struct {
			Ret    int
			ErrMsg string
		}
		ContactList []contact
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("webwxbatchgetcontact: %w", err)
	}
	if r.BaseResponse.Ret != 0 {
		if r.BaseResponse.Ret == retTooOften {
			s.a.st.rateLimited.Add(1)
			s.a.pace.hold(s.a.t.RateLimit)
		}
		return nil, fmt.Errorf("webwxbatchgetcontact: %w", openwechat.Ret(r.BaseResponse.Ret))
	}
	// Written back by position, one per UserName asked; check the names.
	out := make([]contact, len(users))
	for i, u := range users {
		if i < len(r.ContactList) && r.ContactList[i].UserName == u {
			out[i] = r.ContactList[i]
			continue
		}
		out[i] = contact{UserName: u}
		for _, c := range r.ContactList {
			if c.UserName == u {
				out[i] = c
			}
		}
	}
	return out, nil
}

// group returns the live group of a UserName, creating it.
func (s *session) group(user string) *liveGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	lg := s.groups[user]
	if lg == nil {
		lg = &liveGroup{user: user, members: map[string]*liveMember{}}
		s.groups[user] = lg
	}
	return lg
}

// ensure returns a group with its member list read, reading it now if
// needed (at most one read per group at a time).
func (s *session) ensure(user string) *liveGroup {
	for {
		s.mu.Lock()
		lg := s.groups[user]
		s.mu.Unlock()
		if lg != nil && s.listed(lg) {
			return lg
		}
		ch, mine := s.reading(user)
		if mine {
			s.load([]string{user})
			s.doneReading(user, ch)
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.groups[user]
		}
		select {
		case <-ch:
		case <-s.ctx.Done():
			return nil
		}
	}
}

func (s *session) listed(lg *liveGroup) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return lg.listed
}

// reading marks a group as being read; mine is false if someone else is
// reading it (ch closes when they are done).
func (s *session) reading(user string) (ch chan struct{}, mine bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.fetching[user]; ch != nil {
		return ch, false
	}
	ch = make(chan struct{})
	s.fetching[user] = ch
	return ch, true
}

// doneReading ends a read marked by reading.
func (s *session) doneReading(user string, ch chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fetching[user] == ch {
		delete(s.fetching, user)
	}
	close(ch)
}

// load reads groups and brings them up to date; joins are resolved after.
func (s *session) load(users []string, joins ...*refresh) error {
	ds, err := s.fetchGroups(users)
	if err != nil {
		if s.ctx.Err() == nil {
			s.a.log.Warn("wechat: cannot read member lists / 无法读取群成员列表", "groups", len(users), "err", explain(err))
		}
		return err
	}
	for i, d := range ds {
		var r *refresh
		for _, j := range joins {
			if j != nil && j.user == users[i] {
				r = j
			}
		}
		s.adopt(d, r)
	}
	return nil
}

// adopt brings a group up to date with what WeChat says of it: its name,
// identity, member list, and the joins waiting for that list.
func (s *session) adopt(d contact, r *refresh) {
	lg := s.group(d.UserName)
	lg.listMu.Lock()
	defer lg.listMu.Unlock()
	name := cleanName(d.NickName)
	in := false
	for _, m := range d.MemberList {
		in = in || m.UserName == s.self
	}
	s.mu.Lock()
	if name != "" || lg.name == "" {
		lg.name = name
	}
	lg.owner = d.ChatRoomOwner
	lg.gone = !in
	id := lg.id
	s.mu.Unlock()
	if !in {
		if id != "" {
			s.a.log.Warn("wechat: the bot is not in the group's member list; ignoring it / 机器人不在该群成员列表中，忽略该群", "group", id)
		}
		s.markListed(lg)
		return
	}
	switch {
	case id == "" && s.a.wanted(name):
		if !s.link(lg, name, d) {
			s.markListed(lg)
			return
		}
	case id != "":
		s.renamed(lg, name)
	default:
		s.markListed(lg)
		return
	}
	var joinNames map[string]bool
	if r != nil {
		joinNames = map[string]bool{}
		for _, j := range r.joins {
			for _, n := range j.names {
				joinNames[n] = true
			}
		}
	}
	s.applyList(lg, d, joinNames)
	if r != nil {
		for _, j := range r.joins {
			s.joined(lg, j)
		}
	}
}

func (s *session) markListed(lg *liveGroup) {
	s.mu.Lock()
	lg.listed = true
	parked := lg.parked
	lg.parked = nil
	s.mu.Unlock()
	for _, m := range parked {
		s.requeue(m)
	}
}

// wanted reports whether the configuration lets Pulse serve a group of
// this name (wechat.groups lists names or stable ids; empty: all).
func (a *Adapter) wanted(name string) bool {
	if len(a.cfg.Groups) == 0 {
		return true
	}
	if slices.Contains(a.cfg.Groups, name) {
		return true
	}
	a.ids.mu.Lock()
	defer a.ids.mu.Unlock()
	for _, g := range a.cfg.Groups {
		if gi := a.ids.groups[g]; gi != nil && (gi.rec.Name == name || slices.Contains(gi.rec.Names, name)) {
			return true
		}
	}
	return false
}

// link finds the group's stable id (see identities.linkGroup); false if
// it is ambiguous. The caller holds lg.listMu.
func (s *session) link(lg *liveGroup, name string, d contact) bool {
	a := s.a
	s.linkMu.Lock()
	defer s.linkMu.Unlock()
	var names [][2]string
	for _, m := range d.MemberList {
		if m.UserName != s.self {
			names = append(names, [2]string{cleanName(m.NickName), cleanName(m.DisplayName)})
		}
	}
	s.mu.Lock()
	taken := map[string]bool{}
	for id := range s.byID {
		taken[id] = true
	}
	s.mu.Unlock()
	var b batch
	a.ids.mu.Lock()
	gi, how, err := a.ids.linkGroup(name, names, func(id string) bool { return taken[id] }, a.o.clock.Now().Unix(), &b)
	a.ids.mu.Unlock()
	if err == nil {
		err = a.ids.save(s.ctx, &b)
	}
	switch {
	case err != nil:
		a.log.Error("wechat: cannot link group / 无法关联群", "name", name, "err", err)
		return false
	case how == linkAmbiguous:
		a.log.Error("wechat: several known groups are called this and their members do not tell them apart; ignoring the group (rename one of them) / 有多个同名群且无法从成员区分，已忽略（请给其中一个群改名）", "name", name)
		return false
	}
	id := gi.rec.ID
	s.mu.Lock()
	if other := s.byID[id]; other != nil && other != lg {
		s.mu.Unlock()
		a.log.Error("wechat: group linked twice in one session", "group", id)
		return false
	}
	lg.id = id
	s.byID[id] = lg
	s.mu.Unlock()
	a.log.Info("wechat: group linked / 已关联微信群", "key", Platform+"/"+id, "name", name, "how", how)
	return true
}

// renamed records a new group name seen in a member list.
func (s *session) renamed(lg *liveGroup, name string) {
	if name == "" {
		return
	}
	a := s.a
	s.mu.Lock()
	id := lg.id
	s.mu.Unlock()
	var b batch
	a.ids.mu.Lock()
	gi := a.ids.groups[id]
	if gi != nil && gi.rec.Name != name {
		gi.rec.Names = appendName(gi.rec.Names, gi.rec.Name)
		gi.rec.Name = name
		b.group(gi.rec)
	}
	a.ids.mu.Unlock()
	if !b.empty() {
		a.log.Info("wechat: group renamed / 群已改名", "key", Platform+"/"+id, "name", name)
		if err := a.ids.save(s.ctx, &b); err != nil {
			a.log.Error("wechat: cannot record a group rename", "group", id, "err", err)
		}
	}
}

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
		a.log.Warn("wechat: member list looks incomplete; leaves not recorded this time / 成员列表可能不完整，本次不记录退群",
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
	recs, err := a.ids.membersOf(gi)
	if err != nil {
		a.ids.mu.Unlock()
		a.log.Error("wechat: cannot read member identities", "group", id, "err", err)
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
	linked, ambiguous, fresh, held, err := a.ids.match(gi, unlinked, taken, unix, &b)
	if err != nil {
		a.ids.mu.Unlock()
		a.log.Error("wechat: cannot link members", "group", id, "err", err)
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
		a.log.Error("wechat: cannot record member identities", "group", id, "err", err)
		return
	}
	for lm, r := range linked {
		lm.id = r.ID
	}
	for _, lm := range ambiguous {
		if !lm.ambiguous {
			lm.ambiguous = true
			a.st.ambiguous.Add(1)
			a.log.Warn("wechat: members cannot be told apart; their history is not linked until they set different group nicknames and 认领 / 成员无法区分，请设置不同的群昵称后用 认领 找回记录",
				"group", id, "name", lm.name())
		}
	}
	key := Platform + "/" + id
	sort.Slice(leaves, func(i, j int) bool { return idLess(leaves[i].id, leaves[j].id) })
	for _, l := range leaves {
		a.log.Info("wechat: member left / 成员已退群", "group", key, "member", l.id, "name", l.name)
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

// avatarID is the seq parameter of an avatar URL ("" if none or 0).
func avatarID(u string) string {
	_, q, ok := strings.Cut(u, "?")
	if !ok {
		return ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return ""
	}
	if seq := v.Get("seq"); seq != "0" {
		return seq
	}
	return ""
}

// refresh is a member-list read waiting in the queue.
type refresh struct {
	user  string
	joins []*joinReq
}

// refreshQueue holds member-list reads, one per group, in order.
type refreshQueue struct {
	mu      sync.Mutex
	order   []string
	pending map[string]*refresh
	wake    chan struct{}
}

func (q *refreshQueue) add(user string, j *joinReq) {
	q.mu.Lock()
	r := q.pending[user]
	if r == nil {
		r = &refresh{user: user}
		q.pending[user] = r
		if j != nil {
			q.order = append([]string{user}, q.order...) // joins first
		} else {
			q.order = append(q.order, user)
		}
	}
	if j != nil {
		r.joins = append(r.joins, j)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *refreshQueue) take(n int) []*refresh {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []*refresh
	for len(out) < n && len(q.order) > 0 {
		u := q.order[0]
		q.order = q.order[1:]
		out = append(out, q.pending[u])
		delete(q.pending, u)
	}
	return out
}

// lister reads member lists: every group it serves at the start of the
// session and every MemberPoll, and a group at once after a join or when a
// message's sender is unknown.
func (s *session) lister() {
	s.sweep()
	t := time.NewTicker(s.a.t.MemberPoll)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.mu.Lock()
			users := make([]string, 0, len(s.byID))
			for _, lg := range s.byID {
				if !lg.gone {
					users = append(users, lg.user)
				}
			}
			s.mu.Unlock()
			sort.Strings(users)
			for _, u := range users {
				s.queue.add(u, nil)
			}
		case <-s.queue.wake:
		}
		for s.ctx.Err() == nil {
			rs := s.queue.take(20)
			if len(rs) == 0 {
				break
			}
			users := make([]string, len(rs))
			for i, r := range rs {
				users[i] = r.user
			}
			if err := s.load(users, rs...); err != nil {
				// Joins are worth another try; a periodic read comes again.
				for _, r := range rs {
					for _, j := range r.joins {
						if j.tries++; j.tries < 3 {
							s.queue.add(r.user, j)
						}
					}
				}
				if retOf(err) == retTooOften {
					break
				}
			}
		}
	}
}

// sweep starts a session: it reads the contacts (friends, for direct
// messages; saved groups), links every group Pulse serves, and tells the
// owners if the previous session had ended.
func (s *session) sweep() {
	a := s.a
	// Forget the adapter commands handled long ago (replays are recent).
	if err := a.db.Update(s.ctx, func(tx *store.Tx) error {
		_, err := tx.PruneIdentityOps(Platform, a.o.clock.Now().Add(-30*24*time.Hour).Unix())
		return err
	}); err != nil && s.ctx.Err() == nil {
		a.log.Warn("wechat: cannot prune handled commands", "err", err)
	}
	if err := a.pace.wait(s.ctx, 0); err != nil {
		return
	}
	contacts, err := s.wb.Caller.WebWxGetContact(s.ctx, s.info)
	if err != nil {
		if s.ctx.Err() == nil {
			a.log.Warn("wechat: cannot read contacts / 无法读取联系人", "err", explain(err))
		}
	}
	var friends []*openwechat.User
	seen := map[string]bool{}
	var users []string
	consider := func(u *openwechat.User) {
		switch {
		case u.IsGroup():
			if seen[u.UserName] {
				return
			}
			seen[u.UserName] = true
			name := cleanName(u.NickName)
			if a.wanted(name) && (len(a.cfg.Groups) > 0 || a.known(name)) {
				users = append(users, u.UserName)
			}
		case u.IsFriend():
			friends = append(friends, u)
		}
	}
	for _, u := range contacts {
		consider(u)
	}
	if resp := s.wb.Storage.Response; resp != nil {
		for _, u := range resp.ContactList {
			if u.IsGroup() {
				consider(u)
			}
		}
	}
	s.mu.Lock()
	s.friends = friends
	s.mu.Unlock()
	for len(users) > 0 && s.ctx.Err() == nil {
		n := min(len(users), 20)
		var batch []string
		chs := map[string]chan struct{}{}
		for _, u := range users[:n] {
			if ch, mine := s.reading(u); mine { // else a message is reading it
				batch = append(batch, u)
				chs[u] = ch
			}
		}
		users = users[n:]
		if len(batch) > 0 {
			_ = s.load(batch)
		}
		for u, ch := range chs {
			s.doneReading(u, ch)
		}
	}
	s.tellOwners()
}

// known reports whether a stored group has or had this name.
func (a *Adapter) known(name string) bool {
	a.ids.mu.Lock()
	defer a.ids.mu.Unlock()
	cur, old := a.ids.groupsNamed(name)
	return len(cur)+len(old) > 0
}

// tellOwners tells the configured owners, by direct message, that the bot
// logged in again after its previous session ended.
func (s *session) tellOwners() {
	a := s.a
	a.mu.Lock()
	e := a.lastEnd
	a.lastEnd = nil
	a.mu.Unlock()
	if e == nil || len(a.cfg.Owners) == 0 {
		return
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.UTC
	}
	const layout = "2006-01-02 15:04 MST"
	then, now := e.at.In(loc).Format(layout), a.o.clock.Now().In(loc).Format(layout)
	text := fmt.Sprintf("Pulse 的微信会话于 %s 结束，已于 %s 重新登录。原因：%s\nPulse's WeChat session ended at %s and logged in again at %s.",
		then, now, e.reason, then, now)
	for _, o := range a.cfg.Owners {
		if !a.out.push(&outItem{friend: o, reply: bot.Reply{Text: text, Direct: true}, ctx: s.ctx}) {
			a.log.Warn("wechat: send queue full; owner not told", "owner", o)
		}
	}
}

// friend finds a contact by nickname or remark name.
func (s *session) friend(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.friends {
		if cleanName(f.NickName) == name || cleanName(f.RemarkName) == name {
			return f.UserName
		}
	}
	return ""
}
