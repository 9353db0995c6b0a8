package config

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	// Pulse validates and uses IANA time zones (wechat groups default to
	// Asia/Shanghai); embed the database so this also works on hosts and
	// containers without /usr/share/zoneinfo. Go only uses it as a fallback.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// GroupConfig is one group's settings.
type GroupConfig struct {
	Locale   string   `yaml:"locale"`   // "zh" or "en"; empty = platform default
	Timezone string   `yaml:"timezone"` // IANA name; empty = platform default
	Admins   []string `yaml:"admins"`   // member ids/names treated as admins in addition to platform roles
	Owners   []string `yaml:"owners"`   // who receives private digests
	// DedupDays is how many days of platform message ids are kept to drop
	// replays; 1..365, default 14.
	DedupDays int              `yaml:"dedup_days"`
	Digest    DigestConfig     `yaml:"digest"`
	Growth    `yaml:",inline"` // checkin, makeup, xp, levels
}

// Group returns the settings of the group with the given key: Defaults,
// overlaid with the options Groups[key] sets, then the platform's defaults
// for an empty Locale or Timezone. The platform is the part of key before
// the first "/": "wechat" groups default to zh and Asia/Shanghai, all
// others to en and UTC. The result shares no slice or map with c.
func (c *Config) Group(key string) GroupConfig {
	g := clone(c.Defaults)
	if own, ok := c.Groups[key]; ok {
		if n := c.groupNodes[key]; n != nil {
			// Parse has reported any problem already.
			d := &decoder{file: "", quiet: true, fromEnv: c.fromEnv}
			d.decode(n, reflect.ValueOf(&g).Elem(), "")
		} else {
			// Built in Go rather than parsed: what is not zero is set.
			overlay(reflect.ValueOf(&g).Elem(), reflect.ValueOf(own))
		}
	}
	platform, _, _ := strings.Cut(key, "/")
	if g.Locale == "" {
		g.Locale = "en"
		if platform == "wechat" {
			g.Locale = "zh"
		}
	}
	if g.Timezone == "" {
		g.Timezone = "UTC"
		if platform == "wechat" {
			g.Timezone = "Asia/Shanghai"
		}
	}
	return g
}

// Location returns the group's time zone, UTC if Timezone is empty or
// cannot be loaded (Parse refuses such a name, so that only happens for a
// GroupConfig built in Go).
func (g GroupConfig) Location() *time.Location {
	if g.Timezone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(g.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// decodeGroups decodes and checks each group over the defaults.
func (d *decoder) decodeGroups(p pair, cfg *Config) {
	n := p.val
	for n.Kind == yaml.AliasNode && n.Alias != nil && n.Alias != n {
		n = n.Alias
	}
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, "groups", "groups: expected one entry per group key (\"platform/id\": options), found %s", d.describe(n))
		return
	}
	defaultProblems := map[string]bool{}
	for _, pr := range checkGroup(cfg.Defaults, d.checkGroup) {
		defaultProblems[pr.msg] = true
	}
	cfg.groupNodes = map[string]*yaml.Node{}
	for _, gp := range d.pairs(n, "groups") {
		key := gp.key.Value
		if msg := checkGroupKey(key); msg != "" {
			d.errorf(gp.key.Line, join("groups", key), "groups: %s", msg)
			continue
		}
		path := join("groups", key)
		g := clone(cfg.Defaults)
		before := len(d.errs)
		d.decode(gp.val, reflect.ValueOf(&g).Elem(), path)
		cfg.Groups[key] = g
		cfg.groupNodes[key] = gp.val
		if len(d.errs) > before {
			continue
		}
		for _, pr := range checkGroup(g, d.checkGroup) {
			// A value inherited from defaults was reported there.
			if _, set := d.locate(gp, pr.path); defaultProblems[pr.msg] && !set {
				continue
			}
			d.report(&gp, path, pr)
		}
	}
}

// checkGroupKey explains what is wrong with a group key, or returns "".
func checkGroupKey(key string) string {
	platform, id, ok := strings.Cut(key, "/")
	switch {
	case !ok || platform == "" || id == "":
		return fmt.Sprintf("group key %q must be \"platform/id\", e.g. \"discord/1234\" or \"wechat/读书会\"", key)
	case strings.TrimSpace(id) != id:
		return fmt.Sprintf("group key %q has spaces around the id", key)
	}
	for _, r := range platform {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_' || r == '-') {
			return fmt.Sprintf("group key %q: the platform %q must be lower-case letters, digits, - or _", key, platform)
		}
	}
	return ""
}

// checkGroup validates a group's settings (before platform defaults):
// config's own options, then, if extra is set, what it checks.
func checkGroup(g GroupConfig, extra func(GroupConfig, *Validator)) []problem {
	v := &Validator{}
	switch g.Locale {
	case "", "zh", "en":
	default:
		v.Errorf([]string{"locale"}, "locale: %q is not zh or en (leave it empty for the platform's default)", g.Locale)
	}
	if g.Timezone != "" {
		if _, err := time.LoadLocation(g.Timezone); err != nil {
			v.Errorf([]string{"timezone"}, "timezone: unknown time zone %q", g.Timezone)
		}
	}
	for _, list := range []struct {
		opt   string
		names []string
	}{{"admins", g.Admins}, {"owners", g.Owners}} {
		for i, s := range list.names {
			if strings.TrimSpace(s) == "" {
				v.Errorf([]string{list.opt}, "%s: entry %d is empty", list.opt, i+1)
			}
		}
	}
	if g.DedupDays < 1 || g.DedupDays > 365 {
		v.Errorf([]string{"dedup_days"}, "dedup_days must be between 1 and 365, not %d", g.DedupDays)
	}
	if _, err := cron.ParseStandard(g.Digest.Schedule); err != nil || strings.Contains(g.Digest.Schedule, "TZ=") {
		// Located at digest, whose schedule may be inherited.
		v.Errorf([]string{"digest"}, "digest.schedule: %q is not a cron schedule like \"0 9 * * 1\" (minute hour day month weekday, in the group's time zone)", g.Digest.Schedule)
	}
	if f := g.Digest.Font; f != "" {
		if st, err := os.Stat(f); err != nil {
			v.Errorf([]string{"digest", "font"}, "digest.font: no font file %q (give a CJK font file, or leave it empty to search the system's font folders)", f)
		} else if st.IsDir() {
			v.Errorf([]string{"digest", "font"}, "digest.font: %q is a folder, not a font file", f)
		}
	}
	if extra != nil {
		extra(g, v)
	}
	return v.problems
}
