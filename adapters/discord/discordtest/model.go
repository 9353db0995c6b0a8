package discordtest

import (
	"slices"
	"time"
)

// User is a Discord user.
type User struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	GlobalName string `json:"global_name,omitempty"`
	Bot        bool   `json:"bot,omitempty"`
}

// Role is a server role; the role whose id is the server's id is @everyone.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Permissions int64  `json:"permissions,string"`
	Position    int    `json:"position"`
}

// Channel is a server channel (type 0 text, 11 public thread).
type Channel struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     int    `json:"type"`
	ParentID string `json:"parent_id,omitempty"`
	GuildID  string `json:"guild_id,omitempty"`
}

// Member is a user in a server.
type Member struct {
	User     User      `json:"user"`
	Nick     string    `json:"nick,omitempty"`
	Roles    []string  `json:"roles"`
	JoinedAt time.Time `json:"joined_at"`
}

// Guild is a server as the fake knows it.
type Guild struct {
	ID              string
	Name            string
	OwnerID         string
	SystemChannelID string
	Roles           []Role
	Channels        []Channel
	Members         []Member
	// InitialMembers is how many members GUILD_CREATE carries (like a
	// large server); the rest come as GUILD_MEMBERS_CHUNK when asked for
	// with op 8. 0: all.
	InitialMembers int
}

func findMember(g *Guild, user string) *Member {
	for i := range g.Members {
		if g.Members[i].User.ID == user {
			return &g.Members[i]
		}
	}
	return nil
}

func cloneGuild(g Guild) Guild {
	g.Roles = slices.Clone(g.Roles)
	g.Channels = slices.Clone(g.Channels)
	g.Members = slices.Clone(g.Members)
	for i := range g.Members {
		g.Members[i].Roles = slices.Clone(g.Members[i].Roles)
	}
	return g
}

// channelGuild returns the server of a channel ("" for DM channels) and
// whether the channel exists; s.mu held.
func (s *Server) channelGuild(id string) (string, bool) {
	if _, ok := s.dms[id]; ok {
		return "", true
	}
	for _, g := range s.guilds {
		for _, c := range g.Channels {
			if c.ID == id {
				return g.ID, true
			}
		}
	}
	return "", false
}

func (s *Server) user(id string) User {
	for _, g := range s.guilds {
		if m := findMember(g, id); m != nil {
			return m.User
		}
	}
	return User{ID: id, Username: "user" + id}
}
