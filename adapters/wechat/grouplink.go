package wechat

import (
	"context"
	"slices"
	"sort"
)

// Linking a live group to its stable identity.

// groupsNamed returns the stored groups that have this name and those that
// had it (or have it as their id).
func (ids *identities) groupsNamed(name string) (current, earlier []*groupIdent) {
	for _, gi := range ids.groups {
		if gi.rec.Name == name {
			current = append(current, gi)
		} else if slices.Contains(gi.rec.Names, name) || gi.rec.ID == name {
			earlier = append(earlier, gi)
		}
	}
	sortGroups(current)
	sortGroups(earlier)
	return current, earlier
}

func sortGroups(l []*groupIdent) {
	sort.Slice(l, func(i, j int) bool { return l[i].rec.ID < l[j].rec.ID })
}

// Outcomes of linking a group.
const (
	linkKnown     = "known"
	linkRenamed   = "renamed"
	linkOverlap   = "renamed while away (recognised by its members)"
	linkNew       = "new"
	linkAmbiguous = "ambiguous"
)

// linkGroup finds (or creates) the stable identity of a live group named
// name, whose members have the given (nickname, display name) pairs. taken reports ids already
// linked to another group in this session. The caller holds ids.mu and
// saves b.
func (ids *identities) linkGroup(ctx context.Context, name string, memberNames [][2]string, taken func(string) bool, now int64, b *batch) (*groupIdent, string, error) {
	free := func(l []*groupIdent) []*groupIdent {
		var out []*groupIdent
		for _, gi := range l {
			if !taken(gi.rec.ID) {
				out = append(out, gi)
			}
		}
		return out
	}
	current, earlier := ids.groupsNamed(name)
	how := linkKnown
	cands := free(current)
	if len(cands) == 0 {
		cands, how = free(earlier), linkRenamed
	}
	if len(cands) > 1 {
		// Several groups share the name: their members decide, or nobody.
		gi, err := ids.byOverlap(ctx, cands, memberNames, 0.5)
		if err != nil {
			return nil, "", err
		}
		if gi == nil {
			return nil, linkAmbiguous, nil
		}
		cands = []*groupIdent{gi}
	}
	if len(cands) == 0 && name != "" {
		var others []*groupIdent
		for _, gi := range ids.groups {
			if !taken(gi.rec.ID) && gi.rec.Name != name {
				others = append(others, gi)
			}
		}
		sortGroups(others)
		gi, err := ids.byOverlap(ctx, others, memberNames, 0.8)
		if err != nil {
			return nil, "", err
		}
		if gi != nil {
			cands, how = []*groupIdent{gi}, linkOverlap
		}
	}
	if len(cands) == 1 {
		gi := cands[0]
		if gi.rec.Name != name && name != "" {
			gi.rec.Names = appendName(gi.rec.Names, gi.rec.Name)
			gi.rec.Name = name
		}
		gi.rec.Seen = now
		b.group(gi.rec)
		return gi, how, nil
	}
	gi := &groupIdent{
		rec:     groupRecord{ID: ids.newGroupID(name), Name: name, Created: now, Seen: now},
		members: map[string]*memberRecord{},
	}
	ids.groups[gi.rec.ID] = gi
	b.group(gi.rec)
	return gi, linkNew, nil
}

// byOverlap returns the one group among cands whose recorded members
// share the most names (nicknames or display names) with names, if that
// share of the smaller list is at least least (and at least 3 members),
// and no other group comes as close.
func (ids *identities) byOverlap(ctx context.Context, cands []*groupIdent, members [][2]string, least float64) (*groupIdent, error) {
	if len(members) == 0 {
		return nil, nil
	}
	live := map[string]bool{}
	for _, m := range members {
		for _, n := range m {
			if n != "" {
				live[n] = true
			}
		}
	}
	var best *groupIdent
	bestScore, second := 0.0, 0.0
	for _, gi := range cands {
		ms, err := ids.membersOf(ctx, gi)
		if err != nil {
			return nil, err
		}
		common, total := 0, 0
		for _, m := range ms {
			if m.Left || m.MergedInto != "" {
				continue
			}
			total++
			if live[m.Nick] || m.Display != "" && live[m.Display] {
				common++
			}
		}
		smaller := min(total, len(members))
		if common < 3 || smaller == 0 {
			continue
		}
		score := float64(common) / float64(smaller)
		switch {
		case score > bestScore:
			best, second, bestScore = gi, bestScore, score
		case score > second:
			second = score
		}
	}
	if best == nil || bestScore < least || second >= bestScore {
		return nil, nil
	}
	return best, nil
}
