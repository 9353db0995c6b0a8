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
	const chunk = 1000
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
