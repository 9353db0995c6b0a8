package config

import "gopkg.in/yaml.v3"

// maxSteps bounds the nodes visited while decoding, aliases included, so a
// small file cannot expand into an enormous one.
const maxSteps = 1_000_000

// step counts a visited node; false once the budget is spent.
func (d *decoder) step(n *yaml.Node) bool {
	d.steps++
	if d.steps == maxSteps+1 {
		d.errorf(n.Line, "", "the file expands to more than %d values (aliases referring to aliases?)", maxSteps)
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
		d.errorf(n.Line, path, "%salias *%s refers to a value that contains it", prefix(path), n.Value)
		return false
	}
	d.following[n] = true
	return true
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
			d.errorf(k.Line, path, "%sfound %s where an option name was expected", prefix(path), describeKind(k))
		case seen[k.Value] != nil:
			d.errorf(k.Line, join(path, k.Value), "%s is given twice (first on line %d)", join(path, k.Value), seen[k.Value].Line)
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
	d.errorf(n.Line, path, "%s<< must merge a mapping or a list of mappings, not %s", prefix(path), d.describe(n))
	return nil
}
