// Package config loads Pulse's YAML configuration.
//
// Loading is strict: an unknown option, a value of the wrong type or a value
// out of range is refused with the file name, the line and the option's
// name, never ignored. All problems of a file are reported together, as
// Errors.
//
// Secrets stay out of the file: ${NAME} inside a value is replaced by the
// environment variable NAME, ${NAME:-fallback} by "fallback" when NAME is
// unset or empty, and $${ is a literal ${. Expansion happens after the YAML
// is parsed, so a variable's value is always a single value and can never
// add YAML structure. Variables are expanded in values only, not in option
// names or group keys.
//
// Options under "defaults" apply to every group; an entry under "groups"
// overrides only the options it sets. Sections merge option by option
// (a group setting xp.max keeps the other xp options), while lists and the
// checkin.milestones table are replaced as a whole.
//
// The package holds the generic strict-YAML engine and the settings shared
// by every group. A platform's own section ("discord:", "wechat:") belongs
// to its adapter: the caller lists those sections in a Loader, and each is
// decoded by the same engine and checks itself through a Validator.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"

	"gopkg.in/yaml.v3"
)

// Config is Pulse's configuration, apart from the sections other packages
// own (see Loader).
type Config struct {
	DB       string      `yaml:"db"` // bbolt file; default "pulse.db"
	Log      LogConfig   `yaml:"log"`
	Defaults GroupConfig `yaml:"defaults"` // applies to every group
	// Groups holds per-group settings by group key, "platform/id" (e.g.
	// "console/demo", "discord/1234", "wechat/读书会"). Each entry overrides
	// only what its YAML sets. After Parse an entry holds Defaults overlaid
	// with that group's options; use Group to read a group's settings.
	Groups  map[string]GroupConfig `yaml:"groups"`
	Console ConsoleConfig          `yaml:"console"`

	// groupNodes keeps each group's own YAML (variables already expanded)
	// so Group can overlay exactly the options the group sets.
	groupNodes map[string]*yaml.Node
	// fromEnv marks the scalars whose text came from ${...} expansion.
	fromEnv map[*yaml.Node]string
}

// LogConfig sets up logging.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug|info|warn|error; default info
	Format string `yaml:"format"` // text|json; default text
}

// ConsoleConfig configures the stdin console adapter.
type ConsoleConfig struct {
	// Enabled runs the console adapter in `pulse run` (it is also used when
	// no other adapter is enabled).
	Enabled bool     `yaml:"enabled"`
	Group   string   `yaml:"group"`  // group name; the group key is "console/"+Group; default "demo"
	Admins  []string `yaml:"admins"` // member names treated as admins
	Owners  []string `yaml:"owners"` // member names treated as owners
	Bots    []string `yaml:"bots"`   // member names that are bots
}

// Default returns the configuration used when the file sets nothing.
func Default() *Config {
	return &Config{
		DB:       "pulse.db",
		Log:      LogConfig{Level: "info", Format: "text"},
		Defaults: GroupConfig{DedupDays: 14, Growth: defaultGrowth(), Digest: DigestConfig{Enabled: true, Schedule: DefaultDigestSchedule}},
		Groups:   map[string]GroupConfig{},
		Console:  ConsoleConfig{Group: "demo"},
	}
}

// Section is a top-level section another package owns, such as a platform
// adapter's "discord:". A Section is a pointer to a struct whose fields
// carry yaml tags, like Config's; it is decoded as strictly as config's own
// options, then Validate reports what cannot work.
type Section interface {
	Validate(v *Validator)
}

// Sections lists the sections a file may hold beyond config's own options,
// by their top-level name.
type Sections map[string]Section

// A Loader reads files that also hold sections other packages own. The
// zero Loader reads config's own options only.
type Loader struct {
	// Sections are decoded over the values they point to, which hold the
	// section's defaults; they are set only when the whole file is valid.
	// Every listed section is validated, even one the file does not set.
	Sections Sections
	// CheckGroup, if set, validates the settings of defaults and of every
	// group beyond config's own checks (the growth options, whose rules
	// another package owns).
	CheckGroup func(g GroupConfig, v *Validator)
}

// Load reads and parses a configuration file with config's own options
// only. See Loader.Load.
func Load(path string) (*Config, error) { return Loader{}.Load(path) }

// Parse parses a configuration with config's own options only. See
// Loader.Parse.
func Parse(data []byte, name string) (*Config, error) { return Loader{}.Parse(data, name) }

// Load reads and parses a configuration file. Error messages start with
// path; a missing file satisfies errors.Is(err, fs.ErrNotExist).
func (l Loader) Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l.Parse(data, path)
}

// Parse parses a configuration; name is the file name used in messages.
// An empty document yields Default(), and the sections keep their values.
// Every problem found is reported, together, as Errors.
func (l Loader) Parse(data []byte, name string) (*Config, error) {
	if name == "" {
		name = "config"
	}
	sections, err := l.sectionValues()
	if err != nil {
		return nil, err
	}
	d := &decoder{file: name, fromEnv: map[*yaml.Node]string{}, failed: map[*yaml.Node]bool{},
		sections: sections, checkGroup: l.CheckGroup}
	cfg := Default()
	root := d.parseYAML(data)
	if root != nil {
		d.expandTree(root, "")
		d.decodeConfig(root, cfg)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	for name, v := range sections {
		reflect.ValueOf(l.Sections[name]).Elem().Set(v.Elem())
	}
	cfg.fromEnv = d.fromEnv
	return cfg, nil
}

// sectionValues checks the Loader's sections and returns, by name, a copy
// of each to decode into, so that a file with problems changes none.
func (l Loader) sectionValues() (map[string]reflect.Value, error) {
	own := fieldsOf(configType)
	out := make(map[string]reflect.Value, len(l.Sections))
	for name, s := range l.Sections {
		v := reflect.ValueOf(s)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("config: section %q: %T is not a pointer to a struct", name, s)
		}
		if _, taken := own[name]; taken || name == "" {
			return nil, fmt.Errorf("config: section %q: the name is empty or one of config's own options", name)
		}
		c := reflect.New(v.Elem().Type())
		copyValue(c.Elem(), v.Elem())
		out[name] = c
	}
	return out, nil
}
