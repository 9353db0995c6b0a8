package config

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

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
				d.errorf(k.Line, join(path, k.Value), "%s%q: environment variables are only expanded in values, not in names or group keys", prefix(path), k.Value)
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
			d.errorf(n.Line, path, "%s%v", prefix(path), err)
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
