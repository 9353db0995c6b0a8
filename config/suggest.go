package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// unknown reports an unknown option name, with a suggestion if one fits;
// options are the names allowed where it stands, and path is "" at the top
// of the file.
func (d *decoder) unknown(k *yaml.Node, options map[string]reflect.Type, path string) {
	msg := fmt.Sprintf("unknown option %q", k.Value)
	if path != "" {
		msg += fmt.Sprintf(" (in %s)", path)
	}
	if s := suggest(k.Value, options); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if path == "" {
		if _, ok := fieldsOf(reflect.TypeFor[GroupConfig]())[k.Value]; ok {
			msg += "; group options go under defaults: or under an entry of groups:"
		}
	}
	d.errorf(k.Line, join(path, k.Value), "%s", msg)
}

// topOptions are the names allowed at the top of the file: config's own
// options and the Loader's sections.
func (d *decoder) topOptions() map[string]reflect.Type {
	out := optionTypes(configType)
	for name, v := range d.sections {
		out[name] = v.Type().Elem()
	}
	return out
}

// optionTypes maps the option names of struct type t to their types.
func optionTypes(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for name, idx := range fieldsOf(t) {
		out[name] = t.FieldByIndex(idx).Type
	}
	return out
}

// suggest returns the option that name most likely meant: a near spelling
// of one of options, or an option of a section one level down
// (name → "xp.name").
func suggest(name string, options map[string]reflect.Type) string {
	names := slices.Sorted(maps.Keys(options))
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
		if ft := options[f]; ft.Kind() == reflect.Struct {
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
