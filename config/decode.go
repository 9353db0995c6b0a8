package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

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

	// sections holds a copy of each Loader section, being decoded, by name.
	sections map[string]reflect.Value
	// checkGroup is Loader.CheckGroup.
	checkGroup func(GroupConfig, *Validator)
}

var configType = reflect.TypeFor[Config]()

// decodeConfig decodes the top-level mapping. Groups come last, as they
// start from the decoded defaults.
func (d *decoder) decodeConfig(n *yaml.Node, cfg *Config) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, "", "expected options (name: value) at the top of the file, found %s", d.describe(n))
		return
	}
	v := reflect.ValueOf(cfg).Elem()
	fields := fieldsOf(configType)
	set := map[string]pair{} // the top-level options the file sets
	var groups *pair
	for _, p := range d.pairs(n, "") {
		name := p.key.Value
		idx, own := fields[name]
		section, other := d.sections[name]
		if !own && !other {
			d.unknown(p.key, d.topOptions(), "")
			continue
		}
		set[name] = p
		switch {
		case other:
			d.decode(p.val, section.Elem(), name)
		case name == "groups":
			groups = &p
		default:
			before := len(d.errs)
			d.decode(p.val, v.FieldByIndex(idx), name)
			if name == "defaults" && len(d.errs) == before {
				// Checked only if it decoded cleanly, to avoid follow-on noise.
				for _, pr := range checkGroup(cfg.Defaults, d.checkGroup) {
					d.report(&p, "defaults", pr)
				}
			}
		}
	}
	d.checkTop(cfg, set)
	d.checkSections(set)
	if groups != nil {
		d.decodeGroups(*groups, cfg)
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
			d.errorf(n.Line, path, "option %s: expected a section of options (name: value), found %s", path, d.describe(n))
			return
		}
		fields := fieldsOf(v.Type())
		for _, p := range d.pairs(n, path) {
			idx, ok := fields[p.key.Value]
			if !ok {
				d.unknown(p.key, optionTypes(v.Type()), path)
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
			d.errorf(n.Line, path, "option %s: expected a mapping (key: value), found %s", path, d.describe(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for _, p := range d.pairs(n, path) {
			k := reflect.New(v.Type().Key()).Elem()
			if !d.scalar(p.key, k, path, true) {
				continue
			}
			if m.MapIndex(k).IsValid() {
				d.errorf(p.key.Line, path, "option %s: key %q is given twice", path, p.key.Value)
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
			d.errorf(n.Line, path, "option %s: expected a list such as [a, b], found %s", path, d.describe(n))
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
		d.errorf(n.Line, path, "option %s: expected a single %svalue, found %s", path, what, d.describe(n))
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
			d.errorf(n.Line, path, "option %s: %s is empty; expected %s", path, d.describe(n), typeName(v.Type()))
		} else {
			d.errorf(n.Line, path, "option %s: no value given; expected %s (delete the line to keep the default)", path, typeName(v.Type()))
		}
		return false
	}
	p := reflect.New(v.Type())
	if err := src.Decode(p.Interface()); err != nil {
		d.errorf(n.Line, path, "option %s: cannot read %s%s as %s", path, what, d.describe(n), typeName(v.Type()))
		return false
	}
	v.Set(p.Elem())
	return true
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
