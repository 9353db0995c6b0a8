package wechat

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pulsebot/pulse/store"
)

// Identity.
//
// A WeChat UserName changes at every login, so Pulse keeps stable ids of
// its own and links them to each session's UserNames:
//
//   - a group's id is its name when Pulse first saw it ("name#2" for a
//     second group of that name); each session links a group by its name,
//     then by one of its earlier names, then (a group renamed while Pulse
//     was away) by the members it shares with exactly one known group;
//   - a member's id is "u<number>", unique across all WeChat groups; each
//     session links members by (nickname, display name), helped by the
//     avatar and attribute bits where WeChat gives them. Two members that
//     cannot be told apart are reported and get no history; a member
//     renamed while Pulse was away claims their record with 认领, or an
//     admin merges it with 合并.
//
// The records live in the store's identity bucket (store/identity.go).
type identities struct {
	db *store.DB

	mu     sync.Mutex
	groups map[string]*groupIdent // by stable id
	seq    uint64                 // next member number
}

type groupIdent struct {
	rec     store.IdentityGroup
	members map[string]*store.IdentityMember // by id; nil until loaded
}

func loadIdentities(db *store.DB) (*identities, error) {
	ids := &identities{db: db, groups: map[string]*groupIdent{}}
	err := db.View(func(tx *store.Tx) error {
		gs, err := tx.IdentityGroups(Platform)
		if err != nil {
			return err
		}
		for _, g := range gs {
			ids.groups[g.ID] = &groupIdent{rec: g}
		}
		ids.seq, err = tx.IdentitySeq(Platform)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("wechat: load identities: %w", err)
	}
	return ids, nil
}

// membersOf returns a group's member records, loading them on first use.
// The caller holds ids.mu.
func (ids *identities) membersOf(gi *groupIdent) (map[string]*store.IdentityMember, error) {
	if gi.members != nil {
		return gi.members, nil
	}
	m := map[string]*store.IdentityMember{}
	err := ids.db.View(func(tx *store.Tx) error {
		list, err := tx.IdentityMembers(Platform, gi.rec.ID)
		for i := range list {
			m[list[i].ID] = &list[i]
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("wechat: load members of %s: %w", gi.rec.ID, err)
	}
	gi.members = m
	return m, nil
}

// newMemberID allocates a member id; the caller holds ids.mu and saves
// the record (with the sequence) before using the id.
func (ids *identities) newMemberID() string {
	id := "u" + strconv.FormatUint(ids.seq, 10)
	ids.seq++
	return id
}

// newGroupID returns an unused stable id for a group named name.
func (ids *identities) newGroupID(name string) string {
	base := strings.TrimSpace(name)
	if base == "" {
		base = "group"
	}
	if _, used := ids.groups[base]; !used {
		return base
	}
	for n := 2; ; n++ {
		id := base + "#" + strconv.Itoa(n)
		if _, used := ids.groups[id]; !used {
			return id
		}
	}
}

// batch collects identity records to save together.
type batch struct {
	groups  []store.IdentityGroup
	members map[string][]store.IdentityMember // by group id
	seq     uint64
}

func (b *batch) group(g store.IdentityGroup) { b.groups = append(b.groups, g) }

func (b *batch) member(gid string, m *store.IdentityMember) {
	if b.members == nil {
		b.members = map[string][]store.IdentityMember{}
	}
	c := *m
	c.Names = slices.Clone(m.Names)
	b.members[gid] = append(b.members[gid], c)
}

func (b *batch) empty() bool { return len(b.groups) == 0 && len(b.members) == 0 }

// save writes the batch and waits for its commit, so that an id is on disk
// before any event uses it.
func (ids *identities) save(ctx context.Context, b *batch) error {
	if b.empty() {
		return nil
	}
	ids.mu.Lock()
	b.seq = ids.seq
	ids.mu.Unlock()
	err := ids.db.Update(ctx, func(tx *store.Tx) error {
		for _, g := range b.groups {
			if err := tx.PutIdentityGroup(Platform, g); err != nil {
				return err
			}
		}
		for gid, ms := range b.members {
			for _, m := range ms {
				if err := tx.PutIdentityMember(Platform, gid, m); err != nil {
					return err
				}
			}
		}
		return tx.RaiseIdentitySeq(Platform, b.seq)
	})
	if err != nil {
		return fmt.Errorf("wechat: save identities: %w", err)
	}
	return nil
}

// knownName reports whether a stored group has (or had) this name, and
// the ids of those groups.
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
func (ids *identities) linkGroup(name string, memberNames [][2]string, taken func(string) bool, now int64, b *batch) (*groupIdent, string, error) {
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
		gi, err := ids.byOverlap(cands, memberNames, 0.5)
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
		gi, err := ids.byOverlap(others, memberNames, 0.8)
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
		rec:     store.IdentityGroup{ID: ids.newGroupID(name), Name: name, Created: now, Seen: now},
		members: map[string]*store.IdentityMember{},
	}
	ids.groups[gi.rec.ID] = gi
	b.group(gi.rec)
	return gi, linkNew, nil
}

// byOverlap returns the one group among cands whose recorded members
// share the most names (nicknames or display names) with names, if that
// share of the smaller list is at least least (and at least 3 members),
// and no other group comes as close.
func (ids *identities) byOverlap(cands []*groupIdent, members [][2]string, least float64) (*groupIdent, error) {
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
		ms, err := ids.membersOf(gi)
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

// appendName adds an earlier name to a history, once, keeping the latest
// 16.
func appendName(names []string, name string) []string {
	if name == "" {
		return names
	}
	names = slices.DeleteFunc(names, func(n string) bool { return n == name })
	names = append(names, name)
	if len(names) > 16 {
		names = names[len(names)-16:]
	}
	return names
}

// score says how well a live member fits a record: 0 not at all; a
// nickname is worth 4, a display name 2, the avatar and attribute bits 1
// each, and differing display names cost 1.
func score(lm *liveMember, r *store.IdentityMember) int {
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
func (ids *identities) match(gi *groupIdent, live []*liveMember, taken map[string]bool, now int64, b *batch) (linked map[*liveMember]*store.IdentityMember, ambiguous, fresh []*liveMember, held map[string]bool, err error) {
	recs, err := ids.membersOf(gi)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	byName := map[string][]*store.IdentityMember{}
	for _, r := range recs {
		if r.MergedInto != "" || taken[r.ID] {
			continue
		}
		byName["n:"+r.Nick] = append(byName["n:"+r.Nick], r)
		if r.Display != "" {
			byName["d:"+r.Display] = append(byName["d:"+r.Display], r)
		}
	}
	linked = map[*liveMember]*store.IdentityMember{}
	used := map[string]bool{}
	sort.Slice(live, func(i, j int) bool { return live[i].user < live[j].user })
	type fit struct {
		top   int
		recs  []*store.IdentityMember
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
					f.top, f.recs = s, []*store.IdentityMember{r}
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

// create records a new member identity; the caller holds ids.mu.
func (ids *identities) create(gi *groupIdent, lm *liveMember, now int64, ambiguous bool) *store.IdentityMember {
	r := &store.IdentityMember{
		ID: ids.newMemberID(), Nick: lm.nick, Display: lm.display, Avatar: lm.avatar, Attr: lm.attr,
		FirstSeen: now, LastSeen: now, Ambiguous: ambiguous,
	}
	gi.members[r.ID] = r
	return r
}

// update brings a record up to date with the live member it is linked
// to, keeping earlier names.
func update(r *store.IdentityMember, lm *liveMember, now int64) {
	if r.Nick != lm.nick {
		r.Names = appendName(r.Names, r.Nick)
		r.Nick = lm.nick
	}
	if r.Display != lm.display {
		r.Names = appendName(r.Names, r.Display)
		r.Display = lm.display
	}
	if lm.avatar != "" {
		r.Avatar = lm.avatar
	}
	if lm.attr != 0 {
		r.Attr = lm.attr
	}
	r.LastSeen, r.Missing, r.Left = now, 0, false
}

// find returns the group's records called name (a nickname, display name
// or earlier name) or with id name, skipping merged ones.
func (ids *identities) find(gi *groupIdent, name string) ([]*store.IdentityMember, error) {
	recs, err := ids.membersOf(gi)
	if err != nil {
		return nil, err
	}
	var out []*store.IdentityMember
	for _, r := range recs {
		if r.MergedInto != "" {
			continue
		}
		if r.ID == name || r.Nick == name || r.Display == name || slices.Contains(r.Names, name) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out, nil
}

// idLess orders member ids by number.
func idLess(a, b string) bool {
	na, ea := strconv.ParseUint(strings.TrimPrefix(a, "u"), 10, 64)
	nb, eb := strconv.ParseUint(strings.TrimPrefix(b, "u"), 10, 64)
	if ea == nil && eb == nil {
		return na < nb
	}
	return a < b
}
