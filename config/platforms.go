package config

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DiscordConfig configures the Discord adapter (adapters/discord).
//
// Every option's zero value means its default, so that an empty section
// (and Default()) configures a working adapter; the adapter fills in the
// defaults. Per-server locale, time zone, admins and owners come from the
// shared groups section ("discord/<server id>"), not from here.
type DiscordConfig struct {
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
	GuildSettings map[string]DiscordGuildConfig `yaml:"guild_settings"`
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

// DiscordGuildConfig is one Discord server's adapter settings.
type DiscordGuildConfig struct {
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

// Values of DiscordConfig.SlashCommands and DiscordGuildConfig.RoleMode.
const (
	DiscordCommandsGuild  = "guild"
	DiscordCommandsGlobal = "global"
	DiscordCommandsOff    = "off"
	DiscordRolesStack     = "stack"
	DiscordRolesReplace   = "replace"
)

// Validate reports every problem of the section, each as one error whose
// text starts with the option's path ("discord.token: ..."), joined with
// errors.Join; nil if the section can work. A disabled section is checked
// too, so that a mistake shows before the adapter is switched on.
func (c DiscordConfig) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("discord."+format, args...)) }
	if c.Enabled && strings.TrimSpace(strings.TrimPrefix(c.Token, "Bot ")) == "" {
		bad("token is required when discord.enabled is true (write token: ${DISCORD_TOKEN} and set the variable)")
	}
	if strings.ContainsAny(strings.TrimPrefix(c.Token, "Bot "), " \t\r\n") {
		bad("token contains spaces or line breaks; copy it again from the developer portal")
	}
	if c.ApplicationID != "" && !isSnowflake(c.ApplicationID) {
		bad("application_id: %q is not a Discord id (a number)", c.ApplicationID)
	}
	for i, g := range c.Guilds {
		if !isSnowflake(g) {
			bad("guilds: entry %d, %q, is not a server id (a number)", i+1, g)
		}
	}
	ids := make([]string, 0, len(c.GuildSettings))
	for id := range c.GuildSettings {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		g := c.GuildSettings[id]
		p := "guild_settings." + id
		switch {
		case !isSnowflake(id):
			bad("guild_settings: %q is not a server id (a number)", id)
		case len(c.Guilds) > 0 && !slices.Contains(c.Guilds, id):
			bad("%s: server %s is not listed in discord.guilds, so Pulse does not serve it", p, id)
		}
		for _, ch := range []struct{ opt, id string }{{"level_up_channel", g.LevelUpChannel}, {"digest_channel", g.DigestChannel}} {
			if ch.id != "" && !isSnowflake(ch.id) {
				bad("%s.%s: %q is not a channel id (a number)", p, ch.opt, ch.id)
			}
		}
		for i, r := range g.AdminRoles {
			if !isSnowflake(r) {
				bad("%s.admin_roles: entry %d, %q, is not a role id (a number)", p, i+1, r)
			}
		}
		for i, ch := range g.NoXPChannels {
			if !isSnowflake(ch) {
				bad("%s.no_xp_channels: entry %d, %q, is not a channel id (a number)", p, i+1, ch)
			}
		}
		levels := make([]int, 0, len(g.RoleRewards))
		for l := range g.RoleRewards {
			levels = append(levels, l)
		}
		slices.Sort(levels)
		seen := map[string]int{}
		for _, l := range levels {
			r := g.RoleRewards[l]
			switch {
			case l < 1:
				bad("%s.role_rewards: level %d must be 1 or more", p, l)
			case !isSnowflake(r):
				bad("%s.role_rewards: level %d: %q is not a role id (a number)", p, l, r)
			case seen[r] != 0:
				bad("%s.role_rewards: role %s is the reward of both level %d and level %d", p, r, seen[r], l)
			}
			seen[r] = l
		}
		switch g.RoleMode {
		case "", DiscordRolesStack, DiscordRolesReplace:
		default:
			bad("%s.role_mode: %q is not stack or replace", p, g.RoleMode)
		}
	}
	if p := c.CommandPrefix; p != "" && p != "off" && (strings.ContainsAny(p, " \t\r\n") || len([]rune(p)) > 3) {
		bad("command_prefix: %q must be 1 to 3 characters without spaces, or off", p)
	}
	switch c.SlashCommands {
	case "", DiscordCommandsGuild, DiscordCommandsGlobal, DiscordCommandsOff:
	default:
		bad("slash_commands: %q is not guild, global or off", c.SlashCommands)
	}
	if c.RESTURL != "" {
		u, err := url.Parse(c.RESTURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			bad("rest_url: %q must be a URL such as https://discord.com (scheme and host only)", c.RESTURL)
		}
	}
	if c.DigestInterval < 0 {
		bad("digest_interval must be 0s or more, not %s", c.DigestInterval)
	}
	switch {
	case c.ShardCount < 0:
		bad("shard_count must be 0 or more, not %d", c.ShardCount)
	case c.ShardID < 0 || c.ShardID >= max(c.ShardCount, 1):
		bad("shard_id must be from 0 to shard_count-1, not %d", c.ShardID)
	}
	return errors.Join(errs...)
}

// isSnowflake reports whether s looks like a Discord id: a decimal uint64.
func isSnowflake(s string) bool {
	if s == "" || s[0] == '+' {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// WeChatConfig configures the WeChat adapter (adapters/wechat).
//
// Every option's zero value means its default, so that an empty section
// (or none) is a working configuration. A WeChat group's key is
// "wechat/<stable id>", where the stable id is the group's name when Pulse
// first saw it (a second group with the same name gets "name#2"); it stays
// the same when the group is renamed. Locale and time zone come from the
// shared groups: section under that key (zh and Asia/Shanghai by default).
type WeChatConfig struct {
	// Enabled starts the WeChat adapter in `pulse run`.
	Enabled bool `yaml:"enabled"`
	// Groups lists the groups Pulse serves, by name or stable id. Empty:
	// every group that sends a message.
	Groups []string `yaml:"groups"`
	// GroupSettings holds WeChat-only settings per group, keyed by group
	// name or stable id.
	GroupSettings map[string]WeChatGroupConfig `yaml:"group_settings"`
	// Admins are nicknames (or group display names, or stable member ids)
	// treated as admins in every group, besides each group's owner (群主).
	Admins []string `yaml:"admins"`
	// Owners are nicknames of the people who run the bot: owners in every
	// group, and told by direct message when the bot had to log in again.
	Owners []string `yaml:"owners"`
	// LoginFile keeps the login session (cookies) for the next start, so
	// that a restart needs no QR scan. Created with owner-only permissions.
	// Default: the database file name + ".wechat-login.json".
	LoginFile string `yaml:"login_file"`
	// QRFile is where the login QR code is written as a PNG, for headless
	// servers. Default: the database file name + ".wechat-qr.png".
	QRFile string `yaml:"qr_file"`
	// SendInterval is the least time between two messages the bot sends; a
	// random extra of up to half of it is added each time. Default 1s.
	SendInterval time.Duration `yaml:"send_interval"`
	// SplitLength is the most characters per message; longer replies are
	// split, at line ends where possible. Default 1500.
	SplitLength int `yaml:"split_length"`
	// MemberPoll is how often each group's member list is read to notice
	// leaves and silent members. Default 10m.
	MemberPoll time.Duration `yaml:"member_poll"`
	// BaseURL sends all WeChat web traffic to this server instead of
	// WeChat's own hosts (a local protocol relay, or a test server); the
	// original host is passed in the X-Original-Host header. Default: "".
	BaseURL string `yaml:"base_url"`
}

// WeChatGroupConfig is one WeChat group's own settings.
type WeChatGroupConfig struct {
	// Admins are nicknames (or display names, or member ids) treated as
	// admins in this group.
	Admins []string `yaml:"admins"`
	// Owners are nicknames treated as owners in this group; a digest meant
	// for the owners goes to them by direct message.
	Owners []string `yaml:"owners"`
	// Digest turns the weekly digest for this group on or off. Default on.
	Digest *bool `yaml:"digest"`
}

// Defaults of the WeChat options whose zero value means "default".
const (
	WeChatSendInterval = time.Second
	WeChatSplitLength  = 1500
	WeChatMemberPoll   = 10 * time.Minute
)

// DigestOn reports whether the group's weekly digest is on.
func (g WeChatGroupConfig) DigestOn() bool { return g.Digest == nil || *g.Digest }

// Validate reports every problem of the section, one per line, naming the
// option as it is written in the file.
func (c WeChatConfig) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("wechat."+format, args...)) }
	names := func(opt string, list []string) {
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				bad("%s: entry %d is empty", opt, i+1)
			}
		}
	}
	names("groups", c.Groups)
	names("admins", c.Admins)
	names("owners", c.Owners)
	for _, key := range slices.Sorted(maps.Keys(c.GroupSettings)) {
		g := c.GroupSettings[key]
		if strings.TrimSpace(key) == "" {
			bad("group_settings: a group name is empty")
			continue
		}
		names(fmt.Sprintf("group_settings.%s.admins", key), g.Admins)
		names(fmt.Sprintf("group_settings.%s.owners", key), g.Owners)
	}
	if c.SendInterval < 0 || c.SendInterval > 0 && c.SendInterval < 200*time.Millisecond {
		bad("send_interval must be at least 200ms (0s for the default %s), not %s", WeChatSendInterval, c.SendInterval)
	}
	if c.SplitLength != 0 && (c.SplitLength < 100 || c.SplitLength > 20000) {
		bad("split_length must be between 100 and 20000 characters (0 for the default %d), not %d", WeChatSplitLength, c.SplitLength)
	}
	if c.MemberPoll < 0 || c.MemberPoll > 0 && c.MemberPoll < time.Second {
		bad("member_poll must be at least 1s (0s for the default %s), not %s", WeChatMemberPoll, c.MemberPoll)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("base_url %q must be an http:// or https:// URL with a host", c.BaseURL)
		}
	}
	return errors.Join(errs...)
}
