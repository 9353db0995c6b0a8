package main

import (
	"errors"
	"strings"

	"github.com/pulsebot/pulse/adapters/discord"
	"github.com/pulsebot/pulse/adapters/wechat"
	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/config"
)

// fileConfig is the whole configuration file: the options every group
// shares, which package config holds, and the section each platform
// adapter owns.
type fileConfig struct {
	*config.Config
	Discord discord.Config
	WeChat  wechat.Config
}

// defaultConfig is the configuration of an empty file.
func defaultConfig() *fileConfig { return &fileConfig{Config: config.Default()} }

// loader reads a file into f: the adapters' sections into theirs, and every
// group's growth options checked against the core's rules.
func (f *fileConfig) loader() config.Loader {
	return config.Loader{
		Sections:   config.Sections{discord.Platform: &f.Discord, wechat.Platform: &f.WeChat},
		CheckGroup: checkGrowth,
	}
}

// loadConfig reads the config file; an empty path means the defaults.
func loadConfig(path string) (*fileConfig, error) {
	f := defaultConfig()
	if path == "" {
		return f, nil
	}
	cfg, err := f.loader().Load(path)
	if err != nil {
		return nil, err
	}
	f.Config = cfg
	return f, nil
}

// growthRules turns a group's growth options into the core's rules. The
// sections convert directly where their fields match, so the build breaks
// if one side gains an option; a test compares the others' fields.
func growthRules(g config.Growth) growth.Rules {
	r := growth.Rules{
		Checkin: growth.CheckinRules(g.Checkin),
		Makeup:  growth.MakeupRules(g.Makeup),
		XP:      growth.XPRules(g.XP),
		Levels: growth.LevelRules{
			Curve:         g.Levels.Curve,
			LinearStep:    g.Levels.LinearStep,
			Thresholds:    g.Levels.Thresholds,
			Announce:      g.Levels.Announce,
			AnnounceEvery: g.Levels.AnnounceEvery,
		},
	}
	if g.Levels.Titles != nil {
		r.Levels.Titles = make([]growth.Title, len(g.Levels.Titles))
		for i, t := range g.Levels.Titles {
			r.Levels.Titles[i] = growth.Title(t)
		}
	}
	return r
}

// checkGrowth reports what of a group's growth options the core's rules
// refuse, at the option the rules name.
func checkGrowth(g config.GroupConfig, v *config.Validator) {
	err := growthRules(g.Growth).Validate()
	var re *growth.RuleError
	switch {
	case errors.As(err, &re):
		v.Errorf(strings.Split(re.Option, "."), "%s", re.Msg)
	case err != nil:
		v.Errorf(nil, "%s", err)
	}
}
