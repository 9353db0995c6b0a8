// Package config loads Pulse's YAML configuration.
//
// Loading is strict: an unknown option, a value of the wrong type or a value
// out of range is refused with the file name, the line and the option's
// name, never ignored. All problems of a file are reported together.
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
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	// Pulse validates and uses IANA time zones (wechat groups default to
	// Asia/Shanghai); embed the database so this also works on hosts and
	// containers without /usr/share/zoneinfo. Go only uses it as a fallback.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/pulsebot/pulse/bot/growth"
)

// Config is Pulse's whole configuration.
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
	Discord DiscordConfig          `yaml:"discord"`
	WeChat  WeChatConfig           `yaml:"wechat"`

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

// GroupConfig is one group's settings.
type GroupConfig struct {
	Locale   string   `yaml:"locale"`   // "zh" or "en"; empty = platform default
	Timezone string   `yaml:"timezone"` // IANA name; empty = platform default
	Admins   []string `yaml:"admins"`   // member ids/names treated as admins in addition to platform roles
	Owners   []string `yaml:"owners"`   // who receives private digests
	// DedupDays is how many days of platform message ids are kept to drop
	// replays; 1..365, default 14.
	DedupDays    int              `yaml:"dedup_days"`
	Digest       DigestConfig     `yaml:"digest"`
	growth.Rules `yaml:",inline"` // checkin, makeup, xp, levels
}

// Default returns the configuration used when the file sets nothing.
func Default() *Config {
	return &Config{
		DB:       "pulse.db",
		Log:      LogConfig{Level: "info", Format: "text"},
		Defaults: GroupConfig{DedupDays: 14, Rules: growth.Default(), Digest: DigestConfig{Enabled: true, Schedule: DefaultDigestSchedule}},
		Groups:   map[string]GroupConfig{},
		Console:  ConsoleConfig{Group: "demo"},
	}
}

// Load reads and parses a configuration file. Error messages start with
// path; a missing file satisfies errors.Is(err, fs.ErrNotExist).
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(data, path)
}

// Parse parses a configuration; name is the file name used in messages.
// An empty document yields Default(). Every problem found is reported, each
// as an *Error, joined with errors.Join.
func Parse(data []byte, name string) (*Config, error) {
	if name == "" {
		name = "config"
	}
	d := &decoder{file: name, fromEnv: map[*yaml.Node]string{}, failed: map[*yaml.Node]bool{}}
	cfg := Default()
	root := d.parseYAML(data)
	if root != nil {
		d.expandTree(root, "")
		d.decodeConfig(root, cfg)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	cfg.fromEnv = d.fromEnv
	return cfg, nil
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

// Error is one problem in a configuration file.
type Error struct {
	File string
	Line int // 1-based; 0 if unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// maxErrors bounds how many problems one error reports.
const maxErrors = 30

// maxSteps bounds the nodes visited while decoding, aliases included, so a
// small file cannot expand into an enormous one.
const maxSteps = 1_000_000

// decoder decodes yaml.Nodes into Go values, checking option names against
// the yaml tags of the target struct and collecting every problem.
//
// yaml.v3 offers strict decoding (KnownFields) only on a Decoder reading
// text, while Pulse must decode the node tree after expanding variables,
// and wants the option's path in every message; so the tree walk and the
// strictness are done here and yaml.v3 converts the scalars.
type decoder struct {
	file      string
	quiet     bool // discard problems (Group re-decoding a checked node)
	errs      []*Error
	fromEnv   map[*yaml.Node]string // original text of expanded scalars
	failed    map[*yaml.Node]bool   // scalars whose expansion failed (reported)
	steps     int
	following map[*yaml.Node]bool // aliases being followed, to catch cycles
}

func (d *decoder) errorf(line int, format string, args ...any) {
	if d.quiet {
		return
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems sorted by line, without repeats, joined.
func (d *decoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(d.errs, func(a, b *Error) int { return a.Line - b.Line })
	var out []error
	seen := map[Error]bool{}
	for _, e := range d.errs {
		if seen[*e] {
			continue
		}
		seen[*e] = true
		out = append(out, e)
	}
	if len(out) > maxErrors {
		more := len(out) - maxErrors
		out = append(out[:maxErrors], &Error{File: d.file, Msg: fmt.Sprintf("and %d more problems", more)})
	}
	return errors.Join(out...)
}

// step counts a visited node; false once the budget is spent.
func (d *decoder) step(n *yaml.Node) bool {
	d.steps++
	if d.steps == maxSteps+1 {
		d.errorf(n.Line, "the file expands to more than %d values (aliases referring to aliases?)", maxSteps)
	}
	return d.steps <= maxSteps
}

// follow marks alias n as being followed; false (and an error) if it
// already is, i.e. the alias refers to a node that contains it.
func (d *decoder) follow(n *yaml.Node, path string) bool {
	if d.following == nil {
		d.following = map[*yaml.Node]bool{}
	}
	if d.following[n] || n.Alias == nil {
		d.errorf(n.Line, "%salias *%s refers to a value that contains it", prefix(path), n.Value)
		return false
	}
	d.following[n] = true
	return true
}

// parseYAML parses data into a node tree; nil if there is no document or
// it cannot be parsed (then a problem is recorded).
func (d *decoder) parseYAML(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err != io.EOF {
			d.syntaxError(err, data)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		d.syntaxError(err, data)
		return nil
	default:
		d.errorf(extra.Line, "a second YAML document (after ---); the file must hold one")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// syntaxError records a yaml.v3 parse error, "yaml: line N: reason", as
// FILE:N: reason.
func (d *decoder) syntaxError(err error, data []byte) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, reason, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, reason
			}
		}
	}
	switch {
	case line == 0:
		line = guessLine(msg, data)
	case isParserProblem(msg):
		// yaml.v3 counts these from 0 (its scanner errors from 1).
		line++
	}
	if strings.Contains(msg, "cannot start any token") && bytes.Contains(data, []byte("\t")) {
		msg += " (tabs cannot indent YAML; use spaces)"
	}
	d.errorf(line, "invalid YAML: %s", msg)
}

// isParserProblem reports whether msg comes from yaml.v3's parser, rather
// than its scanner.
func isParserProblem(msg string) bool {
	for _, p := range []string{
		"did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected key", "did not find expected node content",
		"did not find expected '-' indicator", "did not find expected <",
		"found duplicate %", "found incompatible YAML document",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// guessLine finds the line of a yaml.v3 error that does not say it: errors
// on the first line (yaml.v3 omits line 1), unknown anchors and bad bytes.
func guessLine(msg string, data []byte) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name, _, _ = strings.Cut(name, "'")
		for i, l := range lines {
			if bytes.Contains(l, []byte("*"+name)) {
				return i + 1
			}
		}
		return 0
	}
	if strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8") {
		for i, l := range lines {
			if !utf8.Valid(l) || bytes.ContainsFunc(l, func(r rune) bool {
				return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
			}) {
				return i + 1
			}
		}
		return 0
	}
	var n yaml.Node
	if err := yaml.Unmarshal(lines[0], &n); err != nil && strings.HasSuffix(err.Error(), msg) {
		return 1
	}
	return 0
}

// expandTree replaces ${NAME} and ${NAME:-fallback} in the string values
// of the tree, in place. path names the option, for messages.
func (d *decoder) expandTree(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			d.expandTree(c, index(path, i))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && strings.Contains(k.Value, "${") {
				d.errorf(k.Line, "%s%q: environment variables are only expanded in values, not in names or group keys", prefix(path), k.Value)
			}
			d.expandTree(v, join(path, k.Value))
		}
	case yaml.ScalarNode:
		if n.ShortTag() != "!!str" || !strings.Contains(n.Value, "$") {
			return
		}
		val, refs, err := expand(n.Value, os.LookupEnv)
		if err != nil {
			d.failed[n] = true
			d.errorf(n.Line, "%s%v", prefix(path), err)
			return
		}
		if refs > 0 {
			d.fromEnv[n] = n.Value
		}
		n.Value = val
	}
}

// expand replaces variable references in s and counts them.
func expand(s string, lookup func(string) (string, bool)) (string, int, error) {
	var b strings.Builder
	refs := 0
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), refs, nil
		}
		if i > 0 && s[i-1] == '$' { // $${ is a literal ${
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", 0, fmt.Errorf("%q has no closing } (write $${ for a literal ${)", s[i:])
		}
		ref := s[i+2 : i+end]
		name, fallback, hasFallback := strings.Cut(ref, ":-")
		if !isVarName(name) || strings.Contains(fallback, "${") {
			return "", 0, fmt.Errorf("cannot read %q: write ${NAME} or ${NAME:-fallback}, NAME being letters, digits and _", s[i:i+end+1])
		}
		val, ok := lookup(name)
		switch {
		case hasFallback && val == "":
			val = fallback
		case !ok:
			return "", 0, fmt.Errorf("environment variable %s is not set (write ${%s:-value} to give a fallback)", name, name)
		}
		b.WriteString(val)
		refs++
		s = s[i+end+1:]
	}
}

func isVarName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

type pair struct{ key, val *yaml.Node }

// pairs lists a mapping's entries with merge keys (<<: *anchor) applied,
// reporting repeated and non-text keys.
func (d *decoder) pairs(n *yaml.Node, path string) []pair {
	var own, merged []pair
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			merged = append(merged, d.mergeSource(v, path, true)...)
		case k.Kind != yaml.ScalarNode:
			d.errorf(k.Line, "%sfound %s where an option name was expected", prefix(path), describeKind(k))
		case seen[k.Value] != nil:
			d.errorf(k.Line, "%s is given twice (first on line %d)", join(path, k.Value), seen[k.Value].Line)
		default:
			seen[k.Value] = k
			own = append(own, pair{k, v})
		}
	}
	for _, p := range merged { // explicit entries win, then earlier merges
		if seen[p.key.Value] == nil {
			seen[p.key.Value] = p.key
			own = append(own, p)
		}
	}
	return own
}

// mergeSource returns the entries a merge key's value contributes: a
// mapping, an alias of one, or (if list) a list of those.
func (d *decoder) mergeSource(n *yaml.Node, path string, list bool) []pair {
	if !d.step(n) {
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		if !d.follow(n, path) {
			return nil
		}
		defer delete(d.following, n)
		return d.mergeSource(n.Alias, path, false)
	case yaml.MappingNode:
		return d.pairs(n, path)
	case yaml.SequenceNode:
		if list {
			var out []pair
			for _, c := range n.Content {
				out = append(out, d.mergeSource(c, path, false)...)
			}
			return out
		}
	}
	d.errorf(n.Line, "%s<< must merge a mapping or a list of mappings, not %s", prefix(path), d.describe(n))
	return nil
}

var configType = reflect.TypeFor[Config]()

// decodeConfig decodes the top-level mapping. Groups come last, as they
// start from the decoded defaults.
func (d *decoder) decodeConfig(n *yaml.Node, cfg *Config) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, "expected options (name: value) at the top of the file, found %s", d.describe(n))
		return
	}
	v := reflect.ValueOf(cfg).Elem()
	fields := fieldsOf(configType)
	sections := map[string]pair{}
	var groups *pair
	for _, p := range d.pairs(n, "") {
		name := p.key.Value
		idx, ok := fields[name]
		if !ok {
			d.unknown(p.key, configType, "")
			continue
		}
		sections[name] = p
		if name == "groups" {
			groups = &p
			continue
		}
		before := len(d.errs)
		d.decode(p.val, v.FieldByIndex(idx), name)
		if name == "defaults" && len(d.errs) == before {
			// Checked only if it decoded cleanly, to avoid follow-on noise.
			for _, pr := range checkGroup(cfg.Defaults) {
				d.report(p, "defaults", pr)
			}
		}
	}
	d.checkTop(cfg, sections)
	if groups != nil {
		d.decodeGroups(*groups, cfg)
	}
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
		d.errorf(n.Line, "groups: expected one entry per group key (\"platform/id\": options), found %s", d.describe(n))
		return
	}
	defaultProblems := map[string]bool{}
	for _, pr := range checkGroup(cfg.Defaults) {
		defaultProblems[pr.msg] = true
	}
	cfg.groupNodes = map[string]*yaml.Node{}
	for _, gp := range d.pairs(n, "groups") {
		key := gp.key.Value
		if msg := checkGroupKey(key); msg != "" {
			d.errorf(gp.key.Line, "groups: %s", msg)
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
		for _, pr := range checkGroup(g) {
			// A value inherited from defaults was reported there.
			if _, set := d.locate(gp, pr.opt); defaultProblems[pr.msg] && !set {
				continue
			}
			d.report(gp, path, pr)
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

// problem is a value that cannot work; opt is its option path within the
// section and msg starts with it.
type problem struct{ opt, msg string }

// checkGroup validates a group's settings (before platform defaults).
func checkGroup(g GroupConfig) []problem {
	var ps []problem
	switch g.Locale {
	case "", "zh", "en":
	default:
		ps = append(ps, problem{"locale", fmt.Sprintf("locale: %q is not zh or en (leave it empty for the platform's default)", g.Locale)})
	}
	if g.Timezone != "" {
		if _, err := time.LoadLocation(g.Timezone); err != nil {
			ps = append(ps, problem{"timezone", fmt.Sprintf("timezone: unknown time zone %q", g.Timezone)})
		}
	}
	for _, list := range []struct {
		opt   string
		names []string
	}{{"admins", g.Admins}, {"owners", g.Owners}} {
		for i, s := range list.names {
			if strings.TrimSpace(s) == "" {
				ps = append(ps, problem{list.opt, fmt.Sprintf("%s: entry %d is empty", list.opt, i+1)})
			}
		}
	}
	if g.DedupDays < 1 || g.DedupDays > 365 {
		ps = append(ps, problem{"dedup_days", fmt.Sprintf("dedup_days must be between 1 and 365, not %d", g.DedupDays)})
	}
	if _, err := cron.ParseStandard(g.Digest.Schedule); err != nil || strings.Contains(g.Digest.Schedule, "TZ=") {
		ps = append(ps, problem{"digest", fmt.Sprintf("digest.schedule: %q is not a cron schedule like \"0 9 * * 1\" (minute hour day month weekday, in the group's time zone)", g.Digest.Schedule)})
	}
	if err := g.Rules.Validate(); err != nil {
		msg := err.Error()
		ps = append(ps, problem{optionPrefix(msg), msg})
	}
	return ps
}

// optionPrefix returns the option path a message starts with, such as
// "xp.min" in "xp.min must be ≥ 0".
func optionPrefix(msg string) string {
	end := strings.IndexFunc(msg, func(r rune) bool {
		return !(r == '_' || r == '.' || 'a' <= r && r <= 'z')
	})
	if end < 0 {
		end = len(msg)
	}
	return strings.Trim(msg[:end], ".")
}

// report records a problem of section p, at the line of the option it
// names if the section sets it.
func (d *decoder) report(p pair, section string, pr problem) {
	line, _ := d.locate(p, pr.opt)
	msg := section + ": " + pr.msg
	if pr.opt != "" && strings.HasPrefix(pr.msg, pr.opt) {
		msg = section + "." + pr.msg
	}
	d.errorf(line, "%s", msg)
}

// locate finds the dotted option path opt within section p; it returns the
// line of the deepest part found (the section's line if none) and whether
// all of it was found.
func (d *decoder) locate(p pair, opt string) (line int, found bool) {
	quiet := &decoder{quiet: true}
	line, n := p.key.Line, p.val
	if opt == "" {
		return line, false
	}
	for part := range strings.SplitSeq(opt, ".") {
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

// checkTop validates the options outside groups.
func (d *decoder) checkTop(cfg *Config, sections map[string]pair) {
	at := func(section, opt string) int {
		p, ok := sections[section]
		if !ok {
			return 0
		}
		line, _ := d.locate(p, opt)
		return line
	}
	if strings.TrimSpace(cfg.DB) == "" {
		d.errorf(at("db", ""), "db must name the database file (default pulse.db)")
	}
	switch cfg.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		d.errorf(at("log", "level"), "log.level: %q is not one of debug, info, warn, error", cfg.Log.Level)
	}
	switch cfg.Log.Format {
	case "text", "json":
	default:
		d.errorf(at("log", "format"), "log.format: %q is not one of text, json", cfg.Log.Format)
	}
	if strings.TrimSpace(cfg.Console.Group) == "" {
		d.errorf(at("console", "group"), "console.group must not be empty (default demo)")
	}
	// The platform sections check themselves; each problem names its option
	// path ("discord.token: …"), which finds its line.
	for section, err := range map[string]error{"discord": cfg.Discord.Validate(), "wechat": cfg.WeChat.Validate()} {
		if err == nil {
			continue
		}
		for _, msg := range strings.Split(err.Error(), "\n") {
			opt := strings.TrimPrefix(msg, section+".")
			if i := strings.IndexAny(opt, ": "); i >= 0 {
				opt = opt[:i]
			}
			d.errorf(at(section, opt), "%s", msg)
		}
	}
}

// decode decodes n into v. Structs are updated option by option; maps,
// lists and single values are replaced.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if !d.step(n) {
		return
	}
	if n.Kind == yaml.AliasNode {
		if !d.follow(n, path) {
			return
		}
		defer delete(d.following, n)
		d.decode(n.Alias, v, path)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if isNull(n) { // an empty section changes nothing
			return
		}
		if n.Kind != yaml.MappingNode {
			d.errorf(n.Line, "option %s: expected a section of options (name: value), found %s", path, d.describe(n))
			return
		}
		fields := fieldsOf(v.Type())
		for _, p := range d.pairs(n, path) {
			idx, ok := fields[p.key.Value]
			if !ok {
				d.unknown(p.key, v.Type(), path)
				continue
			}
			d.decode(p.val, v.FieldByIndex(idx), join(path, p.key.Value))
		}
	case reflect.Map:
		if isNull(n) {
			v.SetZero()
			return
		}
		if n.Kind != yaml.MappingNode {
			d.errorf(n.Line, "option %s: expected a mapping (key: value), found %s", path, d.describe(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for _, p := range d.pairs(n, path) {
			k := reflect.New(v.Type().Key()).Elem()
			if !d.scalar(p.key, k, path, true) {
				continue
			}
			if m.MapIndex(k).IsValid() {
				d.errorf(p.key.Line, "option %s: key %q is given twice", path, p.key.Value)
				continue
			}
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(p.val, e, join(path, p.key.Value))
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Slice:
		if isNull(n) {
			v.SetZero()
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.errorf(n.Line, "option %s: expected a list such as [a, b], found %s", path, d.describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), index(path, i))
		}
		v.Set(s)
	default:
		d.scalar(n, v, path, false)
	}
}

// scalar decodes a single value (or a map key) into v, converting it with
// yaml.v3. A value that came from ${...} is read as if written unquoted,
// so `dedup_days: "${DAYS}"` works.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string, key bool) bool {
	what := ""
	if key {
		what = "key "
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n.Line, "option %s: expected a single %svalue, found %s", path, what, d.describe(n))
		return false
	}
	if d.failed[n] {
		return false
	}
	if v.Kind() == reflect.String {
		if isNull(n) {
			v.SetString("")
		} else {
			v.SetString(n.Value)
		}
		return true
	}
	src := n
	_, env := d.fromEnv[n]
	if env {
		src = &yaml.Node{Kind: yaml.ScalarNode, Value: n.Value, Line: n.Line, Column: n.Column}
	}
	if src.ShortTag() == "!!null" {
		if env {
			d.errorf(n.Line, "option %s: %s is empty; expected %s", path, d.describe(n), typeName(v.Type()))
		} else {
			d.errorf(n.Line, "option %s: no value given; expected %s (delete the line to keep the default)", path, typeName(v.Type()))
		}
		return false
	}
	p := reflect.New(v.Type())
	if err := src.Decode(p.Interface()); err != nil {
		d.errorf(n.Line, "option %s: cannot read %s%s as %s", path, what, d.describe(n), typeName(v.Type()))
		return false
	}
	v.Set(p.Elem())
	return true
}

// unknown reports an unknown option name, with a suggestion if one fits.
func (d *decoder) unknown(k *yaml.Node, t reflect.Type, path string) {
	msg := fmt.Sprintf("unknown option %q", k.Value)
	if path != "" {
		msg += fmt.Sprintf(" (in %s)", path)
	}
	if s := suggest(k.Value, t); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if t == configType {
		if _, ok := fieldsOf(reflect.TypeFor[GroupConfig]())[k.Value]; ok {
			msg += "; group options go under defaults: or under an entry of groups:"
		}
	}
	d.errorf(k.Line, "%s", msg)
}

// suggest returns the option of t that name most likely meant: a near
// spelling, or an option of a section one level down (name → "xp.name").
func suggest(name string, t reflect.Type) string {
	fields := fieldsOf(t)
	names := slices.Sorted(maps.Keys(fields))
	best, bestDist := "", max(1, len(name)/3)+1
	for _, f := range names {
		if dist := distance(strings.ToLower(name), f); dist < bestDist {
			best, bestDist = f, dist
		}
	}
	if best != "" {
		return best
	}
	var nested []string
	for _, f := range names {
		if ft := t.FieldByIndex(fields[f]).Type; ft.Kind() == reflect.Struct {
			if _, ok := fieldsOf(ft)[name]; ok {
				nested = append(nested, f+"."+name)
			}
		}
	}
	if len(nested) == 1 {
		return nested[0]
	}
	return ""
}

// distance is the edit distance between a and b, counting insertions,
// deletions, substitutions and swaps of neighbours.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1) // transposition
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// fieldsOf maps the yaml option names of struct type t to field indexes,
// looking into inline fields.
func fieldsOf(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if slices.Contains(strings.Split(opts, ","), "inline") && f.Type.Kind() == reflect.Struct {
			for n, idx := range fieldsOf(f.Type) {
				out[n] = append([]int{i}, idx...)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = []int{i}
	}
	return out
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe shows a value in a message. A value from the environment is
// shown by its reference, not its (possibly secret) text.
func (d *decoder) describe(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return describeKind(n)
	}
	if orig, ok := d.fromEnv[n]; ok {
		return "the value of " + strconv.Quote(orig)
	}
	s := n.Value
	if r := []rune(s); len(r) > 40 {
		s = string(r[:37]) + "..."
	}
	return strconv.Quote(s)
}

func describeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section (name: value)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a value"
}

func typeName(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration such as 90s, 5m or 1h30m"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	}
	return t.String()
}

// join appends a name to an option path, quoting it unless it is a plain
// word: groups."console/demo".timezone.
func join(path, name string) string {
	plain := name != ""
	for _, r := range name {
		if !(r == '_' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			plain = false
		}
	}
	if !plain {
		name = strconv.Quote(name)
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// prefix is "path: ", or "" at the top level.
func prefix(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

// clone returns a deep copy of v: no slice or map is shared.
func clone[T any](v T) T {
	var out T
	copyValue(reflect.ValueOf(&out).Elem(), reflect.ValueOf(v))
	return out
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if dst.Field(i).CanSet() {
				copyValue(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			e := reflect.New(src.Type().Elem()).Elem()
			copyValue(e, it.Value())
			m.SetMapIndex(it.Key(), e)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}

// overlay sets in dst every field that is not zero in src, descending
// into structs.
func overlay(dst, src reflect.Value) {
	for i := range src.NumField() {
		if !dst.Field(i).CanSet() {
			continue
		}
		if f := src.Field(i); f.Kind() == reflect.Struct {
			overlay(dst.Field(i), f)
		} else if !f.IsZero() {
			copyValue(dst.Field(i), f)
		}
	}
}
