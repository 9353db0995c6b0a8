package discord

import (
	"slices"
	"strings"
)

// serves reports whether Pulse serves a server: listed (or no list), and
// on this process's shard.
func (a *Adapter) serves(guild string) bool {
	if guild == "" || a.only != nil && !a.only[guild] {
		return false
	}
	if a.cfg.ShardCount > 1 {
		id, err := parseSnowflake(guild)
		if err != nil || int((id>>22)%uint64(a.cfg.ShardCount)) != a.cfg.ShardID {
			return false
		}
	}
	return true
}

func (a *Adapter) guild(id string) *guildSettings {
	if g := a.guilds[id]; g != nil {
		return g
	}
	return &guildSettings{}
}

func groupKey(guild string) string { return Platform + "/" + guild }

// guildOf returns the server id of a group key.
func guildOf(key string) (string, bool) {
	platform, id, ok := strings.Cut(key, "/")
	if !ok || platform != Platform || id == "" {
		return "", false
	}
	if _, err := parseSnowflake(id); err != nil {
		return "", false
	}
	return id, true
}

// ids returns the bot's user id and the application id.
func (a *Adapter) ids() (botID, appID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID, a.appID
}

// peopleOf returns a group's configured admins and owners.
func (a *Adapter) peopleOf(key string) *people {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p := a.people[key]; p != nil {
		return p
	}
	g := a.o.groups(key)
	p := &people{admins: set(g.Admins), owners: set(g.Owners), ownerList: slices.Clone(g.Owners)}
	a.people[key] = p
	return p
}

// locale returns a group's locale.
func (a *Adapter) locale(key string) string { return a.core.Group(key).Locale }

// --- lifecycle handlers ---
