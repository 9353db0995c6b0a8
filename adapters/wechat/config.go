package wechat

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pulsebot/pulse/config"
)

// Config is the "wechat:" section of the configuration file: the adapter's
// own options, decoded by package config and checked by Validate.
//
// Every option's zero value means its default, so that an empty section
// (or none) is a working configuration. A WeChat group's key is
// "wechat/<stable id>", where the stable id is the group's name when Pulse
// first saw it (a second group with the same name gets "name#2"); it stays
// the same when the group is renamed. Locale and time zone come from the
// shared groups: section under that key (zh and Asia/Shanghai by default).
type Config struct {
	// Enabled starts the WeChat adapter in `pulse run`.
	Enabled bool `yaml:"enabled"`
	// Groups lists the groups Pulse serves, by name or stable id. Empty:
	// every group that sends a message.
	Groups []string `yaml:"groups"`
	// GroupSettings holds WeChat-only settings per group, keyed by group
	// name or stable id.
	GroupSettings map[string]GroupConfig `yaml:"group_settings"`
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

// GroupConfig is one WeChat group's own settings.
type GroupConfig struct {
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
	DefaultSendInterval = time.Second
	DefaultSplitLength  = 1500
	DefaultMemberPoll   = 10 * time.Minute
)

// DigestOn reports whether the group's weekly digest is on.
func (g GroupConfig) DigestOn() bool { return g.Digest == nil || *g.Digest }

// Validate reports every problem of the section to v, at the option at
// fault, naming the option as it is written in the file. config.Check runs
// it outside a file.
func (c Config) Validate(v *config.Validator) {
	names := func(path []string, list []string) {
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				v.Errorf(path, "%s: entry %d is empty", strings.Join(path, "."), i+1)
			}
		}
	}
	names([]string{"groups"}, c.Groups)
	names([]string{"admins"}, c.Admins)
	names([]string{"owners"}, c.Owners)
	for _, key := range slices.Sorted(maps.Keys(c.GroupSettings)) {
		g := c.GroupSettings[key]
		if strings.TrimSpace(key) == "" {
			v.Errorf([]string{"group_settings"}, "group_settings: a group name is empty")
			continue
		}
		names([]string{"group_settings", key, "admins"}, g.Admins)
		names([]string{"group_settings", key, "owners"}, g.Owners)
	}
	if c.SendInterval < 0 || c.SendInterval > 0 && c.SendInterval < 200*time.Millisecond {
		v.Errorf([]string{"send_interval"}, "send_interval must be at least 200ms (0s for the default %s), not %s", DefaultSendInterval, c.SendInterval)
	}
	if c.SplitLength != 0 && (c.SplitLength < 100 || c.SplitLength > 20000) {
		v.Errorf([]string{"split_length"}, "split_length must be between 100 and 20000 characters (0 for the default %d), not %d", DefaultSplitLength, c.SplitLength)
	}
	if c.MemberPoll < 0 || c.MemberPoll > 0 && c.MemberPoll < time.Second {
		v.Errorf([]string{"member_poll"}, "member_poll must be at least 1s (0s for the default %s), not %s", DefaultMemberPoll, c.MemberPoll)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.Errorf([]string{"base_url"}, "base_url %q must be an http:// or https:// URL with a host", c.BaseURL)
		}
	}
}
