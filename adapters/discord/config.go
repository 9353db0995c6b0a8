package discord

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/config"
)

// Config is the "discord:" section of the configuration file: the
// adapter's own options, decoded by package config and checked by Validate.
//
// Every option's zero value means its default, so that an empty section
// (and the zero Config) configures a working adapter; the adapter fills in
// the defaults. Per-server locale, time zone, admins and owners come from the
// shared groups section ("discord/<server id>"), not from here.
type Config struct {
	// Enabled starts the Discord adapter in `pulse run`.
	Enabled bool `yaml:"enabled"`
	// Token is the bot token from the developer portal; write
	// ${DISCORD_TOKEN} to keep it out of the file. A leading "Bot " is
	// optional. Required when Enabled.
	Token string `yaml:"token"`
	// ApplicationID is the application's id, used to register slash
	// commands; empty: read from the gateway's READY event.
	ApplicationID string `yaml:"application_id"`
	// Guilds lists the server (guild) ids Pulse serves; empty: every server
	// the bot has been invited to.
	Guilds []string `yaml:"guilds"`
	// GuildSettings holds per-server Discord settings by server id.
	GuildSettings map[string]GuildConfig `yaml:"guild_settings"`
	// CommandPrefix is mapped to "/" for text commands, so "!checkin" works
	// like "/checkin". Empty: "!"; "off": no prefix ("/word" and the
	// Chinese words still work).
	CommandPrefix string `yaml:"command_prefix"`
	// SlashCommands is where slash commands are registered: "guild" (each
	// server, overwritten at start, visible at once), "global" (once for
	// every server; Discord takes a while to show changes) or "off".
	// Empty: guild.
	SlashCommands string `yaml:"slash_commands"`
	// MessageContent asks for the privileged Message Content intent (it must
	// also be switched on in the developer portal). Without it messages are
	// still counted, but text commands and the spam filters do not see text.
	MessageContent bool `yaml:"message_content"`
	// RESTURL is the base URL of Discord's REST API, e.g. a proxy; the
	// gateway URL is asked from it. Empty: https://discord.com.
	RESTURL string `yaml:"rest_url"`
	// DigestInterval is the least time between two unsolicited posts
	// (digests, owners' private digests), so a weekly run over many servers
	// stays inside Discord's rate limits. 0: 1s.
	DigestInterval time.Duration `yaml:"digest_interval"`
	// ShardID and ShardCount select this process's gateway shard; a server
	// lives on shard (server id >> 22) % ShardCount. 0 and 0: one shard.
	ShardID    int `yaml:"shard_id"`
	ShardCount int `yaml:"shard_count"`
}

// GuildConfig is one Discord server's adapter settings.
type GuildConfig struct {
	// LevelUpChannel is the channel id where level-ups are announced and
	// role-reward problems are reported; empty: the channel of the message
	// that levelled up (and problems go to the owners by direct message).
	LevelUpChannel string `yaml:"level_up_channel"`
	// DigestChannel is the channel id of the weekly digest; empty: the
	// level-up channel, else the server's system channel.
	DigestChannel string `yaml:"digest_channel"`
	// AdminRoles are role ids whose members are Pulse admins, in addition to
	// members with the Administrator or Manage Server permission.
	AdminRoles []string `yaml:"admin_roles"`
	// RoleRewards maps a level to the role id a member receives on reaching
	// it.
	RoleRewards map[int]string `yaml:"role_rewards"`
	// RoleMode is "stack" (members keep the reward roles of lower levels)
	// or "replace" (only the highest reached reward role is kept). Empty:
	// stack.
	RoleMode string `yaml:"role_mode"`
	// NoXPChannels are channel ids (threads inherit their parent's) where
	// messages count as activity but earn no XP or message points.
	NoXPChannels []string `yaml:"no_xp_channels"`
}

// Values of Config.SlashCommands and GuildConfig.RoleMode.
const (
	CommandsGuild  = "guild"
	CommandsGlobal = "global"
	CommandsOff    = "off"
	RolesStack     = "stack"
	RolesReplace   = "replace"
)

// Validate reports every problem of the section to v, at the option at
// fault. A disabled section is checked too, so that a mistake shows before
// the adapter is switched on. config.Check runs it outside a file.
func (c Config) Validate(v *config.Validator) {
	opt := func(names ...string) []string { return names }
	if c.Enabled && strings.TrimSpace(strings.TrimPrefix(c.Token, "Bot ")) == "" {
		v.Errorf(opt("token"), "token is required when discord.enabled is true (write token: ${DISCORD_TOKEN} and set the variable)")
	}
	if strings.ContainsAny(strings.TrimPrefix(c.Token, "Bot "), " \t\r\n") {
		v.Errorf(opt("token"), "token contains spaces or line breaks; copy it again from the developer portal")
	}
	if c.ApplicationID != "" && !isSnowflake(c.ApplicationID) {
		v.Errorf(opt("application_id"), "application_id: %q is not a Discord id (a number)", c.ApplicationID)
	}
	for i, g := range c.Guilds {
		if !isSnowflake(g) {
			v.Errorf(opt("guilds"), "guilds: entry %d, %q, is not a server id (a number)", i+1, g)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.GuildSettings)) {
		g := c.GuildSettings[id]
		p := "guild_settings." + id
		switch {
		case !isSnowflake(id):
			v.Errorf(opt("guild_settings"), "guild_settings: %q is not a server id (a number)", id)
		case len(c.Guilds) > 0 && !slices.Contains(c.Guilds, id):
			v.Errorf(opt("guild_settings", id), "%s: server %s is not listed in discord.guilds, so Pulse does not serve it", p, id)
		}
		for _, ch := range []struct{ opt, id string }{{"level_up_channel", g.LevelUpChannel}, {"digest_channel", g.DigestChannel}} {
			if ch.id != "" && !isSnowflake(ch.id) {
				v.Errorf(opt("guild_settings", id, ch.opt), "%s.%s: %q is not a channel id (a number)", p, ch.opt, ch.id)
			}
		}
		for i, r := range g.AdminRoles {
			if !isSnowflake(r) {
				v.Errorf(opt("guild_settings", id, "admin_roles"), "%s.admin_roles: entry %d, %q, is not a role id (a number)", p, i+1, r)
			}
		}
		for i, ch := range g.NoXPChannels {
			if !isSnowflake(ch) {
				v.Errorf(opt("guild_settings", id, "no_xp_channels"), "%s.no_xp_channels: entry %d, %q, is not a channel id (a number)", p, i+1, ch)
			}
		}
		seen := map[string]int{}
		for _, l := range slices.Sorted(maps.Keys(g.RoleRewards)) {
			r := g.RoleRewards[l]
			switch {
			case l < 1:
				v.Errorf(opt("guild_settings", id, "role_rewards"), "%s.role_rewards: level %d must be 1 or more", p, l)
			case !isSnowflake(r):
				v.Errorf(opt("guild_settings", id, "role_rewards"), "%s.role_rewards: level %d: %q is not a role id (a number)", p, l, r)
			case seen[r] != 0:
				v.Errorf(opt("guild_settings", id, "role_rewards"), "%s.role_rewards: role %s is the reward of both level %d and level %d", p, r, seen[r], l)
			}
			seen[r] = l
		}
		switch g.RoleMode {
		case "", RolesStack, RolesReplace:
		default:
			v.Errorf(opt("guild_settings", id, "role_mode"), "%s.role_mode: %q is not stack or replace", p, g.RoleMode)
		}
	}
	if p := c.CommandPrefix; p != "" && p != "off" && (strings.ContainsAny(p, " \t\r\n") || len([]rune(p)) > 3) {
		v.Errorf(opt("command_prefix"), "command_prefix: %q must be 1 to 3 characters without spaces, or off", p)
	}
	switch c.SlashCommands {
	case "", CommandsGuild, CommandsGlobal, CommandsOff:
	default:
		v.Errorf(opt("slash_commands"), "slash_commands: %q is not guild, global or off", c.SlashCommands)
	}
	if c.RESTURL != "" {
		u, err := url.Parse(c.RESTURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			v.Errorf(opt("rest_url"), "rest_url: %q must be a URL such as https://discord.com (scheme and host only)", c.RESTURL)
		}
	}
	if c.DigestInterval < 0 {
		v.Errorf(opt("digest_interval"), "digest_interval must be 0s or more, not %s", c.DigestInterval)
	}
	switch {
	case c.ShardCount < 0:
		v.Errorf(opt("shard_count"), "shard_count must be 0 or more, not %d", c.ShardCount)
	case c.ShardID < 0 || c.ShardID >= max(c.ShardCount, 1):
		v.Errorf(opt("shard_id"), "shard_id must be from 0 to shard_count-1, not %d", c.ShardID)
	}
}

// isSnowflake reports whether s looks like a Discord id: a decimal uint64.
func isSnowflake(s string) bool {
	if s == "" || s[0] == '+' {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
