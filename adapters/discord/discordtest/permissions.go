package discordtest

import "slices"

// Permissions computes a member's server permissions from the roles, as
// Discord sends them with interactions: the owner and Administrator have
// all.
func (s *Server) Permissions(guild, user string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.permissions(guild, user)
}

func (s *Server) permissions(guild, user string) int64 {
	g := s.guilds[guild]
	if g == nil {
		return 0
	}
	if g.OwnerID == user {
		return permAll
	}
	m := findMember(g, user)
	var p int64
	for _, r := range g.Roles {
		if r.ID == g.ID || m != nil && slices.Contains(m.Roles, r.ID) {
			p |= r.Permissions
		}
	}
	if p&PermAdministrator != 0 {
		return permAll
	}
	return p
}
