package bot

import (
	"sort"
	"strings"

	"github.com/pulsebot/pulse/store"
)

// resolve finds the member a command names: a mention the adapter resolved,
// else an "@name" or id matched against the group's members. It answers
// the member itself when nobody or several match.
func (c *call) resolve(arg string) (Member, bool, error) {
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "@"), "＠")
	for _, mm := range c.ev.Mentions {
		if mm.ID == name || mm.Name == name || len(c.ev.Mentions) == 1 {
			return mm, true, nil
		}
	}
	if m, err := c.g.Member(name); err != nil {
		return Member{}, false, err
	} else if m != nil {
		return Member{ID: name, Name: m.Name, IsBot: m.IsBot}, true, nil
	}
	var matches []Member
	var names []string
	err := c.g.ForEachMember(func(id string, m *store.Member) error {
		if strings.EqualFold(m.Name, name) {
			matches = append(matches, Member{ID: id, Name: m.Name, IsBot: m.IsBot})
			names = append(names, m.Name+" ("+id+")")
		}
		return nil
	})
	if err != nil {
		return Member{}, false, err
	}
	switch len(matches) {
	case 1:
		return matches[0], true, nil
	case 0:
		c.answer(c.t("member.unknown", name))
	default:
		sort.Strings(names)
		c.answer(c.t("member.ambiguous", name, strings.Join(names, ", ")))
	}
	return Member{}, false, nil
}
