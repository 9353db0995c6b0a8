package wechattest

import (
	"net/http"
	"sort"
	"strings"
)

// People and groups: what tests add and change, and how they go on the
// wire (webwxgetcontact, webwxbatchgetcontact with member lists).

// Member is a person in a group.
type Member struct {
	Key     string // the test's name for the person
	Nick    string // nickname (used if the person is new to the server)
	Display string // display name in this group (群昵称), "" for none
	Avatar  string // avatar seq, "" for none
	Attr    int64  // AttrStatus
}

type person struct {
	key, nick, avatar string
	attr              int64
}

type membership struct {
	key, display string
}

type group struct {
	key, name, owner string
	members          []membership
	saved            bool
}

// AddFriend adds a contact of the bot's account.
func (s *Server) AddFriend(key, nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.personLocked(key, nick)
	s.friends = append(s.friends, key)
	s.rename()
}

// AddGroup adds a group the bot is in, saved to its contacts.
func (s *Server) AddGroup(key, name, owner string, members ...Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &group{key: key, name: name, owner: owner, saved: true}
	for _, m := range members {
		p := s.personLocked(m.Key, m.Nick)
		if m.Avatar != "" {
			p.avatar = m.Avatar
		}
		if m.Attr != 0 {
			p.attr = m.Attr
		}
		g.members = append(g.members, membership{m.Key, m.Display})
	}
	s.groups = append(s.groups, g)
	s.rename()
}

// SetSaved sets whether a group is saved to the contacts (webwxgetcontact
// lists only those).
func (s *Server) SetSaved(groupKey string, saved bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groupLocked(groupKey).saved = saved
}

// AddMember puts a person into a group (no system message: see System).
func (s *Server) AddMember(groupKey string, m Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.personLocked(m.Key, m.Nick)
	if m.Avatar != "" {
		p.avatar = m.Avatar
	}
	g := s.groupLocked(groupKey)
	g.members = append(g.members, membership{m.Key, m.Display})
	s.rename()
}

// RemoveMember takes a person out of a group silently, as a voluntary
// leave is on WeChat.
func (s *Server) RemoveMember(groupKey, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupLocked(groupKey)
	for i, m := range g.members {
		if m.key == key {
			g.members = append(g.members[:i], g.members[i+1:]...)
			return
		}
	}
}

// RenamePerson changes a person's nickname.
func (s *Server) RenamePerson(key, nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.personLocked(key, nick).nick = nick
}

// SetDisplay sets a person's display name in a group.
func (s *Server) SetDisplay(groupKey, key, display string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupLocked(groupKey)
	for i := range g.members {
		if g.members[i].key == key {
			g.members[i].display = display
		}
	}
}

// RenameGroup changes a group's name (no system message: see System).
func (s *Server) RenameGroup(groupKey, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groupLocked(groupKey).name = name
}

// Members returns the keys of a group's members (not the bot), sorted.
func (s *Server) Members(groupKey string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.groupLocked(groupKey).members {
		out = append(out, m.key)
	}
	sort.Strings(out)
	return out
}

func (s *Server) personLocked(key, nick string) *person {
	if key == "self" {
		return &s.self
	}
	p := s.people[key]
	if p == nil {
		if nick == "" {
			nick = key
		}
		p = &person{key: key, nick: nick}
		s.people[key] = p
	}
	return p
}

func (s *Server) groupLocked(key string) *group {
	for _, g := range s.groups {
		if g.key == key {
			return g
		}
	}
	panic("wechattest: no group " + key)
}

type wireUser struct {
	UserName        string
	NickName        string
	DisplayName     string `json:",omitempty"`
	RemarkName      string `json:",omitempty"`
	HeadImgUrl      string `json:",omitempty"`
	AttrStatus      int64  `json:",omitempty"`
	VerifyFlag      int
	ContactFlag     int        `json:",omitempty"`
	MemberCount     int        `json:",omitempty"`
	ChatRoomOwner   string     `json:",omitempty"`
	EncryChatRoomId string     `json:",omitempty"`
	MemberList      []wireUser `json:",omitempty"`
}

func (s *Server) selfUser() wireUser {
	return wireUser{UserName: s.user("self"), NickName: s.self.nick, ContactFlag: 0}
}

func (s *Server) personUser(key, display string) wireUser {
	p := s.personLocked(key, "")
	u := wireUser{UserName: s.user(key), NickName: p.nick, DisplayName: display, AttrStatus: p.attr}
	if p.avatar != "" {
		u.HeadImgUrl = "/cgi-bin/mmwebwx-bin/webwxgeticon?seq=" + p.avatar + "&username=" + u.UserName
	}
	return u
}

func (s *Server) groupWire(g *group, members bool) wireUser {
	u := wireUser{UserName: s.groupUser(g.key), NickName: g.name, MemberCount: len(g.members) + 1, EncryChatRoomId: "enc" + g.key}
	if g.owner != "" {
		u.ChatRoomOwner = s.user(g.owner)
	}
	if members {
		u.MemberList = []wireUser{s.selfUser()}
		for _, m := range g.members {
			u.MemberList = append(u.MemberList, s.personUser(m.key, m.display))
		}
	}
	return u
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("skey") != s.skey || s.skey == "" {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: 1101}})
		return
	}
	var list []wireUser
	for _, k := range s.friends {
		u := s.personUser(k, "")
		u.ContactFlag = 3
		list = append(list, u)
	}
	for _, g := range s.groups {
		if g.saved {
			list = append(list, s.groupWire(g, false))
		}
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "MemberCount": len(list), "MemberList": list, "Seq": 0})
}

func (s *Server) batchGetContact(w http.ResponseWriter, r *http.Request) {
	var req struct {
		List []struct{ UserName, EncryChatRoomId string }
	}
	ok := s.decode(r, &req)
	if ret := s.failing("webwxbatchgetcontact"); ret != 0 || !ok {
		if ret == 0 {
			ret = 1101
		}
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}})
		return
	}
	out := make([]wireUser, 0, len(req.List))
	for _, item := range req.List {
		key, known := s.byUser[item.UserName]
		switch {
		case !known:
			out = append(out, wireUser{UserName: item.UserName})
		case strings.HasPrefix(item.UserName, "@@"):
			out = append(out, s.groupWire(s.groupLocked(key), true))
		case key == "self":
			out = append(out, s.selfUser())
		default:
			out = append(out, s.personUser(key, ""))
		}
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "Count": len(out), "ContactList": out})
}
