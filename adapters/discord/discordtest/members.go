package discordtest

import (
	"encoding/json"
	"slices"
)

// requestMembers answers op 8 with GUILD_MEMBERS_CHUNK events.
func (s *Server) requestMembers(d json.RawMessage) {
	var rq struct {
		GuildID json.RawMessage `json:"guild_id"`
		Nonce   string          `json:"nonce"`
	}
	if json.Unmarshal(d, &rq) != nil {
		return
	}
	var ids []string
	var one string
	if json.Unmarshal(rq.GuildID, &one) == nil {
		ids = []string{one}
	} else {
		_ = json.Unmarshal(rq.GuildID, &ids)
	}
	chunk := s.o.ChunkSize
	s.mu.Lock()
	lost := s.lostChunks
	s.lostChunks = nil
	s.mu.Unlock()
	for _, gid := range ids {
		s.mu.Lock()
		g := s.guilds[gid]
		var members []Member
		if g != nil {
			members = slices.Clone(g.Members)
		}
		s.gw.Requested = append(s.gw.Requested, gid)
		s.notify()
		s.mu.Unlock()
		if g == nil {
			continue
		}
		count := max((len(members)+chunk-1)/chunk, 1)
		for i := 0; i < count; i++ {
			if lost[i] {
				continue
			}
			part := members[i*chunk : min((i+1)*chunk, len(members))]
			s.Dispatch("GUILD_MEMBERS_CHUNK", map[string]any{
				"guild_id": gid, "members": membersWire(part), "chunk_index": i, "chunk_count": count, "nonce": rq.Nonce,
			})
		}
	}
}

// MemberAdd adds a member to a server and dispatches GUILD_MEMBER_ADD.
// A zero JoinedAt is the clock's time.
func (s *Server) MemberAdd(guild string, m Member) {
	s.mu.Lock()
	if m.JoinedAt.IsZero() {
		m.JoinedAt = s.o.Clock()
	}
	if g := s.guilds[guild]; g != nil && findMember(g, m.User.ID) == nil {
		g.Members = append(g.Members, m)
	}
	w := memberWire(m)
	w["guild_id"] = guild
	s.mu.Unlock()
	s.Dispatch("GUILD_MEMBER_ADD", w)
}

// MemberRemove removes a member from a server and dispatches
// GUILD_MEMBER_REMOVE.
func (s *Server) MemberRemove(guild string, u User) {
	s.mu.Lock()
	if g := s.guilds[guild]; g != nil {
		g.Members = slices.DeleteFunc(g.Members, func(m Member) bool { return m.User.ID == u.ID })
	}
	s.mu.Unlock()
	s.Dispatch("GUILD_MEMBER_REMOVE", map[string]any{"guild_id": guild, "user": u})
}

// LoseChunks makes the next member request (op 8) lose the chunks with
// these indexes: they are never dispatched, as when the connection drops
// half way through a large server's list. The other chunks still say how
// many there are.
func (s *Server) LoseChunks(indexes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lostChunks = map[int]bool{}
	for _, i := range indexes {
		s.lostChunks[i] = true
	}
}

// LeaveQuietly removes a member from a server without dispatching
// anything, as when they leave while the client is not connected and the
// session that would have told it is gone: only the member lists of later
// sessions (GUILD_CREATE, chunks) show it.
func (s *Server) LeaveQuietly(guild, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guild]; g != nil {
		g.Members = slices.DeleteFunc(g.Members, func(m Member) bool { return m.User.ID == user })
	}
}
