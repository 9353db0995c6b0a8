package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/pulsebot/pulse/bot"
)

// reportEvery bounds how often the same role problem is told to admins;
// every occurrence is logged.
const reportEvery = 6 * time.Hour

// plan returns the reward roles to add and to remove for a member at
// level `to`, up from level `from` (0: re-sync everything). has lists
// the member's roles when known (known false: the member is not cached;
// adding and removing roles are idempotent, so unknown roles are set).
// Stack keeps every reward up to the level; replace keeps only the
// highest reached.
func plan(rewards []reward, replace bool, from, to int, has []string, known bool) (add, remove []reward) {
	holds := func(r reward) bool { return known && slices.Contains(has, r.role) }
	if !replace {
		for _, r := range rewards {
			if r.level <= to && !holds(r) && (known || r.level > from) {
				add = append(add, r)
			}
		}
		return add, nil
	}
	top := -1
	for k, r := range rewards {
		if r.level <= to {
			top = k
		}
	}
	for k, r := range rewards {
		switch {
		case k == top:
			if !holds(r) && (known || r.level > from) {
				add = append(add, r)
			}
		case known && holds(r):
			remove = append(remove, r)
		case !known && r.level <= to && (from == 0 || top >= 0 && rewards[top].level > from):
			remove = append(remove, r)
		}
	}
	return add, remove
}

// memberRoles returns a member's cached roles.
func (a *Adapter) memberRoles(guild, user string) ([]string, bool) {
	m, err := a.s.State.Member(guild, user)
	if err != nil {
		return nil, false
	}
	a.s.State.RLock()
	defer a.s.State.RUnlock()
	return slices.Clone(m.Roles), true
}

// reward applies a level-up's role rewards. Problems are reported.
func (a *Adapter) reward(ctx context.Context, guild string, lu *bot.LevelUp) {
	gs := a.guild(guild)
	if len(gs.rewards) == 0 || lu.To <= lu.From {
		return
	}
	has, known := a.memberRoles(guild, lu.Member)
	add, remove := plan(gs.rewards, gs.replace, lu.From, lu.To, has, known)
	a.applyRoles(ctx, guild, lu.Member, add, remove)
}

// applyRoles adds and removes reward roles, reporting failures, and
// counts what it did.
func (a *Adapter) applyRoles(ctx context.Context, guild, user string, add, remove []reward) (added, removed, failed int) {
	for _, r := range add {
		err := a.s.GuildMemberRoleAdd(guild, user, r.role, discordgo.WithContext(ctx),
			discordgo.WithAuditLogReason(fmt.Sprintf("Pulse: level %d reward", r.level)))
		if a.roleResult(ctx, guild, user, r, err) {
			added++
		} else if code(err) != discordgo.ErrCodeUnknownMember {
			failed++
		}
	}
	for _, r := range remove {
		err := a.s.GuildMemberRoleRemove(guild, user, r.role, discordgo.WithContext(ctx),
			discordgo.WithAuditLogReason(fmt.Sprintf("Pulse: level %d reward replaced by a higher one", r.level)))
		if a.roleResult(ctx, guild, user, r, err) {
			removed++
		} else if code(err) != discordgo.ErrCodeUnknownMember {
			failed++
		}
	}
	return added, removed, failed
}

// roleResult reports a failed role change to the server's admins (at
// most once per reportEvery for the same role and cause) and logs it; a
// member who left is not a problem. It returns true on success.
func (a *Adapter) roleResult(ctx context.Context, guild, user string, r reward, err error) bool {
	if err == nil {
		return true
	}
	c := code(err)
	if c == discordgo.ErrCodeUnknownMember {
		a.log.Info("reward role not changed: the member left", "guild", guild, "member", user, "role", r.role)
		return false
	}
	status := 0
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		status = re.Response.StatusCode
	}
	a.log.Error("reward role not changed", "guild", guild, "member", user, "role", r.role, "level", r.level,
		"status", status, "code", c, "err", err)
	if ctx.Err() != nil {
		return false
	}
	key := groupKey(guild)
	loc := a.locale(key)
	var text string
	switch {
	case c == discordgo.ErrCodeMissingPermissions || status == http.StatusForbidden:
		text = t(loc, "role.forbidden", r.role, r.level, user)
	case c == discordgo.ErrCodeUnknownRole:
		text = t(loc, "role.unknown", r.role, r.level)
	default:
		text = t(loc, "role.failed", r.role, r.level, user, err.Error())
	}
	report := fmt.Sprintf("%s/%d/%d", guild, status, c) // one report per cause
	a.mu.Lock()
	last, seen := a.reported[report]
	now := a.o.clock.Now()
	if seen && now.Sub(last) < reportEvery {
		a.mu.Unlock()
		return false
	}
	a.reported[report] = now
	a.mu.Unlock()
	a.tellAdmins(ctx, guild, text)
	return false
}

// tellAdmins reports a problem: in the level-up channel if the server
// has one, else by direct message to the owners configured for the group,
// else to the server's owner.
func (a *Adapter) tellAdmins(ctx context.Context, guild, text string) {
	r := bot.Reply{Group: groupKey(guild), Text: text}
	if ch := a.guild(guild).levelUp; ch != "" {
		if err := a.sendMessage(ctx, ch, r, nil); err == nil {
			return
		} else {
			a.log.Error("cannot report to the level-up channel", "guild", guild, "err", err)
		}
	}
	owners := a.peopleOf(groupKey(guild)).ownerList
	if len(owners) == 0 {
		if g, err := a.s.State.Guild(guild); err == nil {
			a.s.State.RLock()
			if g.OwnerID != "" {
				owners = []string{g.OwnerID}
			}
			a.s.State.RUnlock()
		}
	}
	told := false
	for _, o := range owners {
		r.To = o
		if err := a.sendDirect(ctx, r); err != nil {
			a.log.Error("cannot report to an owner", "guild", guild, "owner", o, "err", err)
			continue
		}
		told = true
	}
	if !told {
		a.log.Error("nobody could be told about a role problem", "guild", guild, "problem", text)
	}
}

// resync re-applies every present member's rewards from their stored
// level. It returns a summary in the group's locale.
func (a *Adapter) resync(ctx context.Context, guild string) string {
	key := groupKey(guild)
	loc := a.locale(key)
	gs := a.guild(guild)
	switch {
	case len(gs.rewards) == 0:
		return t(loc, "roles.none")
	}
	rows, err := a.core.Members(ctx, key, a.o.clock.Now())
	if errors.Is(err, bot.ErrNoGroup) {
		return t(loc, "roles.empty")
	}
	if err != nil {
		a.log.Error("roles sync", "group", key, "err", err)
		return t(loc, "error")
	}
	checked, added, removed, failed := 0, 0, 0, 0
	for _, m := range rows {
		if !m.Present || m.Bot || ctx.Err() != nil {
			continue
		}
		checked++
		has, known := a.memberRoles(guild, m.ID)
		add, remove := plan(gs.rewards, gs.replace, 0, m.Level, has, known)
		ad, rm, bad := a.applyRoles(ctx, guild, m.ID, add, remove)
		added, removed, failed = added+ad, removed+rm, failed+bad
	}
	a.log.Info("reward roles re-synced", "group", key, "members", checked, "added", added, "removed", removed, "failed", failed)
	return t(loc, "roles.done", checked, added, removed, failed)
}

// rolesSyncText runs "/roles sync" typed in a channel.
func (a *Adapter) rolesSyncText(o origin) {
	key := groupKey(o.guild)
	text := t(a.locale(key), "roles.denied")
	if o.member.IsAdmin || o.member.IsOwner {
		text = a.resync(a.bg, o.guild)
	}
	r := bot.Reply{Group: key, Text: text, To: o.member.ID, Ping: []string{o.member.ID}}
	a.deliver(o, []bot.Reply{r})
}

// rolesSyncInteraction runs /roles sync: deferred, as it may take long.
func (a *Adapter) rolesSyncInteraction(i *discordgo.Interaction, o origin) {
	a.deferResponse(a.bg, i, true)
	a.respond(a.bg, i, true, true, bot.Reply{Group: groupKey(o.guild), Text: a.resync(a.bg, o.guild), Private: true})
}
