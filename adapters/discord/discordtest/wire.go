package discordtest

import (
	"slices"
	"time"
)

func partialMember(m Member) map[string]any {
	w := map[string]any{"roles": nonNil(slices.Clone(m.Roles)), "joined_at": m.JoinedAt.UTC().Format(time.RFC3339Nano), "deaf": false, "mute": false}
	if m.Nick != "" {
		w["nick"] = m.Nick
	}
	return w
}

func memberWire(m Member) map[string]any {
	w := partialMember(m)
	w["user"] = m.User
	return w
}

func membersWire(ms []Member) []map[string]any {
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, memberWire(m))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// guildWire is GUILD_CREATE's payload; s.mu held.
func guildWire(g *Guild) map[string]any {
	members := g.Members
	if g.InitialMembers > 0 && g.InitialMembers < len(members) {
		members = members[:g.InitialMembers]
	}
	channels := make([]Channel, len(g.Channels))
	for i, c := range g.Channels {
		c.GuildID = g.ID
		channels[i] = c
	}
	roles := g.Roles
	if roles == nil {
		roles = []Role{}
	}
	w := map[string]any{
		"id": g.ID, "name": g.Name, "owner_id": g.OwnerID, "roles": roles, "channels": channels,
		"members": membersWire(members), "member_count": len(g.Members), "large": len(members) < len(g.Members),
		"unavailable": false, "threads": []any{}, "voice_states": []any{}, "presences": []any{}, "emojis": []any{},
	}
	if g.SystemChannelID != "" {
		w["system_channel_id"] = g.SystemChannelID
	}
	return w
}
