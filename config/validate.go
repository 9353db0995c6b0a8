package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// A Validator collects the problems of one section (a Section, or a group's
// settings), each tied to the option at fault so that it can be reported
// at that option's line.
type Validator struct {
	problems []problem
}

// Errorf records a problem of the option at path: the option names from the
// section down, as in {"guild_settings", id, "role_mode"}, or none for the
// section as a whole. The message names the option as the file writes it,
// without the section's own name, which is added: a message for path
// {"token"} reads "token is required …" and is shown as
// "discord.token is required …".
func (v *Validator) Errorf(path []string, format string, args ...any) {
	v.problems = append(v.problems, problem{slices.Clone(path), fmt.Sprintf(format, args...)})
}

// problem is a value that cannot work: path is its option's path within the
// section, and msg usually starts with that path written with dots.
type problem struct {
	path []string
	msg  string
}

// message is the problem's text in the section named section: "section.msg"
// when msg starts with the option's path, else "section: msg".
func (pr problem) message(section string) string {
	if opt := strings.Join(pr.path, "."); opt != "" && strings.HasPrefix(pr.msg, opt) {
		return section + "." + pr.msg
	}
	return section + ": " + pr.msg
}

// option is the problem's option path in the section named section.
func (pr problem) option(section string) string {
	opt := section
	for _, name := range pr.path {
		opt = join(opt, name)
	}
	return opt
}

// Check validates a section outside a file, such as one built in Go; name
// is the section's name in a file. It returns nil or Errors without file
// or line.
func Check(name string, s Section) error {
	v := &Validator{}
	s.Validate(v)
	if len(v.problems) == 0 {
		return nil
	}
	errs := make(Errors, len(v.problems))
	for i, pr := range v.problems {
		errs[i] = &Error{Option: pr.option(name), Msg: pr.message(name)}
	}
	return errs
}

// report records a problem of the section named section, at the line of
// the option it names if the file sets it; p is where the file sets the
// section, nil if it does not.
func (d *decoder) report(p *pair, section string, pr problem) {
	line := 0
	if p != nil {
		line, _ = d.locate(*p, pr.path)
	}
	d.errorf(line, pr.option(section), "%s", pr.message(section))
}

// locate finds the option at path within section p; it returns the line of
// the deepest part found (the section's line if none) and whether all of
// it was found.
func (d *decoder) locate(p pair, path []string) (line int, found bool) {
	quiet := &decoder{quiet: true}
	line, n := p.key.Line, p.val
	if len(path) == 0 {
		return line, false
	}
	for _, part := range path {
		for n.Kind == yaml.AliasNode && n.Alias != nil && n.Alias != n && quiet.step(n) {
			n = n.Alias
		}
		if n.Kind != yaml.MappingNode {
			return line, false
		}
		next := -1
		ps := quiet.pairs(n, "")
		for i, kv := range ps {
			if kv.key.Value == part {
				next = i
			}
		}
		if next < 0 {
			return line, false
		}
		line, n = ps[next].key.Line, ps[next].val
	}
	return line, true
}

// checkTop validates config's own options outside groups; set holds the
// top-level options the file sets.
func (d *decoder) checkTop(cfg *Config, set map[string]pair) {
	at := func(section string, path ...string) int {
		p, ok := set[section]
		if !ok {
			return 0
		}
		line, _ := d.locate(p, path)
		return line
	}
	if strings.TrimSpace(cfg.DB) == "" {
		d.errorf(at("db"), "db", "db must name the database file (default pulse.db)")
	}
	switch cfg.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		d.errorf(at("log", "level"), "log.level", "log.level: %q is not one of debug, info, warn, error", cfg.Log.Level)
	}
	switch cfg.Log.Format {
	case "text", "json":
	default:
		d.errorf(at("log", "format"), "log.format", "log.format: %q is not one of text, json", cfg.Log.Format)
	}
	if strings.TrimSpace(cfg.Console.Group) == "" {
		d.errorf(at("console", "group"), "console.group", "console.group must not be empty (default demo)")
	}
}

// checkSections validates each Loader section, in name order; set holds
// the top-level options the file sets.
func (d *decoder) checkSections(set map[string]pair) {
	for _, name := range slices.Sorted(maps.Keys(d.sections)) {
		v := &Validator{}
		d.sections[name].Interface().(Section).Validate(v)
		var p *pair
		if sp, ok := set[name]; ok {
			p = &sp
		}
		for _, pr := range v.problems {
			d.report(p, name, pr)
		}
	}
}
