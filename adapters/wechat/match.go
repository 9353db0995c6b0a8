package wechat

import (
	"context"
	"slices"
	"sort"
)

// Matching live members to the records of their group.

// score says how well a live member fits a record: 0 not at all; a
// nickname is worth 4, a display name 2, the avatar and attribute bits 1
// each, and differing display names cost 1.
func score(lm *liveMember, r *memberRecord) int {
	s := 0
	if lm.nick != "" && lm.nick == r.Nick {
		s += 4
	}
	if lm.display != "" && lm.display == r.Display {
		s += 2
	}
	if s == 0 {
		return 0
	}
	if lm.display != "" && r.Display != "" && lm.display != r.Display {
		s--
	}
	if lm.avatar != "" && lm.avatar == r.Avatar {
		s++
	}
	if lm.attr != 0 && lm.attr == r.Attr {
		s++
	}
	return s
}

// match links live members without an id to records of the group:
// a record goes to the member it fits best when that member fits no other
// record as well and no other member fits it as well. Members fitted by
// several records (or sharing their best record with another member) are
// returned as ambiguous (held has the records that fit them: their
// people are in the group); those no record fits, as fresh. taken holds
// ids already linked in the group this session. The caller holds ids.mu.
func (ids *identities) match(ctx context.Context, gi *groupIdent, live []*liveMember, taken map[string]bool, now int64, b *batch) (linked map[*liveMember]*memberRecord, ambiguous, fresh []*liveMember, held map[string]bool, err error) {
	recs, err := ids.membersOf(ctx, gi)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	byName := map[string][]*memberRecord{}
	for _, r := range recs {
		if r.MergedInto != "" || taken[r.ID] {
			continue
		}
		byName["n:"+r.Nick] = append(byName["n:"+r.Nick], r)
		if r.Display != "" {
			byName["d:"+r.Display] = append(byName["d:"+r.Display], r)
		}
	}
	linked = map[*liveMember]*memberRecord{}
	used := map[string]bool{}
	sort.Slice(live, func(i, j int) bool { return live[i].user < live[j].user })
	type fit struct {
		top   int
		recs  []*memberRecord
		other int // best score of any other record (for uniqueness)
	}
	best := func(lm *liveMember) fit {
		var f fit
		seen := map[string]bool{}
		for _, key := range []string{"n:" + lm.nick, "d:" + lm.display} {
			if key == "d:" {
				continue
			}
			for _, r := range byName[key] {
				if used[r.ID] || seen[r.ID] {
					continue
				}
				seen[r.ID] = true
				switch s := score(lm, r); {
				case s > f.top:
					f.top, f.recs = s, []*memberRecord{r}
				case s == f.top && s > 0:
					f.recs = append(f.recs, r)
				}
			}
		}
		return f
	}
	pending := slices.Clone(live)
	for {
		fits := make(map[*liveMember]fit, len(pending))
		claim := map[string][]*liveMember{}
		for _, lm := range pending {
			f := best(lm)
			fits[lm] = f
			for _, r := range f.recs {
				claim[r.ID] = append(claim[r.ID], lm)
			}
		}
		progress := false
		var rest []*liveMember
		for _, lm := range pending {
			f := fits[lm]
			if len(f.recs) != 1 {
				rest = append(rest, lm)
				continue
			}
			r := f.recs[0]
			unique := true
			for _, other := range claim[r.ID] {
				if other != lm && fits[other].top >= f.top {
					unique = false
				}
			}
			if !unique || used[r.ID] {
				rest = append(rest, lm)
				continue
			}
			used[r.ID] = true
			linked[lm] = r
			progress = true
		}
		pending = rest
		if !progress {
			break
		}
	}
	for lm, r := range linked {
		update(r, lm, now)
		b.member(gi.rec.ID, r)
	}
	held = map[string]bool{}
	for _, lm := range pending {
		if f := best(lm); len(f.recs) > 0 {
			ambiguous = append(ambiguous, lm)
			for _, r := range f.recs {
				held[r.ID] = true
			}
		} else {
			fresh = append(fresh, lm)
		}
	}
	return linked, ambiguous, fresh, held, nil
}
