package wechat

import "slices"

// Reading a group's member list and linking the group to its stable id.

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
			s.a.log.Warn("cannot read member lists", "groups", len(users), "err", explain(err))
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
			s.a.log.Warn("the bot is not in the group's member list; ignoring it", "group", id)
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

// known reports whether a stored group has or had this name.
func (a *Adapter) known(name string) bool {
	a.ids.mu.Lock()
	defer a.ids.mu.Unlock()
	cur, old := a.ids.groupsNamed(name)
	return len(cur)+len(old) > 0
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
	gi, how, err := a.ids.linkGroup(s.ctx, name, names, func(id string) bool { return taken[id] }, a.o.clock.Now().Unix(), &b)
	a.ids.mu.Unlock()
	if err == nil {
		err = a.ids.save(s.ctx, &b)
	}
	switch {
	case err != nil:
		a.log.Error("cannot link group", "name", name, "err", err)
		return false
	case how == linkAmbiguous:
		a.log.Error("several known groups are called this and their members do not tell them apart; ignoring the group (rename one of them)", "name", name)
		return false
	}
	id := gi.rec.ID
	s.mu.Lock()
	if other := s.byID[id]; other != nil && other != lg {
		s.mu.Unlock()
		a.log.Error("group linked twice in one session", "group", id)
		return false
	}
	lg.id = id
	s.byID[id] = lg
	s.mu.Unlock()
	a.log.Info("group linked", "key", Platform+"/"+id, "name", name, "how", how)
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
	if !b.Empty() {
		a.log.Info("group renamed", "key", Platform+"/"+id, "name", name)
		if err := a.ids.save(s.ctx, &b); err != nil {
			a.log.Error("cannot record a group rename", "group", id, "err", err)
		}
	}
}
