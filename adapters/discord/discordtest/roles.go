package discordtest

import (
	"net/http"
	"slices"
)

// MemberRoles returns a member's roles as the fake has them.
func (s *Server) MemberRoles(guild, user string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guild]; g != nil {
		if m := findMember(g, user); m != nil {
			return slices.Clone(m.Roles)
		}
	}
	return nil
}

// memberRole adds or removes a member's role and dispatches
// GUILD_MEMBER_UPDATE, as Discord does.
func (s *Server) memberRole(add bool, guild, user, role string) answer {
	g := s.guilds[guild]
	if g == nil {
		return apiError(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	m := findMember(g, user)
	if m == nil {
		return apiError(http.StatusNotFound, CodeUnknownMember, "Unknown Member")
	}
	if !slices.ContainsFunc(g.Roles, func(r Role) bool { return r.ID == role }) {
		return apiError(http.StatusNotFound, CodeUnknownRole, "Unknown Role")
	}
	has := slices.Contains(m.Roles, role)
	switch {
	case add && !has:
		m.Roles = append(m.Roles, role)
	case !add && has:
		m.Roles = slices.DeleteFunc(m.Roles, func(r string) bool { return r == role })
	default:
		return answer{status: http.StatusNoContent}
	}
	w := memberWire(*m) // copies the roles
	w["guild_id"] = guild
	return answer{status: http.StatusNoContent, after: func() { s.Dispatch("GUILD_MEMBER_UPDATE", w) }}
}
