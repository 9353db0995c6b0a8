package wechat

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pulsebot/pulse/bot/links"
)

// Identity.
//
// A WeChat UserName changes at every login, so Pulse keeps stable ids of
// its own and links them to each session's UserNames:
//
//   - a group's id is its name when Pulse first saw it ("name#2" for a
//     second group of that name); each session links a group by its name,
//     then by one of its earlier names, then (a group renamed while Pulse
//     was away) by the members it shares with exactly one known group
//     (grouplink.go);
//   - a member's id is "u<number>", unique across all WeChat groups; each
//     session links members by (nickname, display name), helped by the
//     avatar and attribute bits where WeChat gives them (match.go). Two
//     members that cannot be told apart are reported and get no history; a
//     member renamed while Pulse was away claims their record with 认领, or
//     an admin merges it with 合并 (commands.go).
//
// The core keeps the records (record.go) as opaque link records.
type identities struct {
	links Links

	mu     sync.Mutex
	groups map[string]*groupIdent // by stable id
	seq    uint64                 // next member number
}

type groupIdent struct {
	rec     groupRecord
	members map[string]*memberRecord // by id; nil until loaded
}

func loadIdentities(ctx context.Context, l Links) (*identities, error) {
	set, err := l.Links(ctx, Platform)
	if err != nil {
		return nil, fmt.Errorf("wechat: load identities: %w", err)
	}
	ids := &identities{links: l, groups: map[string]*groupIdent{}, seq: set.Next}
	for _, r := range set.Groups {
		var g groupRecord
		if err := g.decode(r.Data); err != nil {
			return nil, fmt.Errorf("wechat: load identities: group %q: %w", r.ID, err)
		}
		ids.groups[g.ID] = &groupIdent{rec: g}
	}
	return ids, nil
}

// membersOf returns a group's member records, loading them on first use.
// The caller holds ids.mu.
func (ids *identities) membersOf(ctx context.Context, gi *groupIdent) (map[string]*memberRecord, error) {
	if gi.members != nil {
		return gi.members, nil
	}
	list, err := ids.links.MemberLinks(ctx, Platform, gi.rec.ID)
	if err != nil {
		return nil, fmt.Errorf("wechat: load members of %s: %w", gi.rec.ID, err)
	}
	m := make(map[string]*memberRecord, len(list))
	for _, r := range list {
		rec := &memberRecord{}
		if err := rec.decode(r.Data); err != nil {
			return nil, fmt.Errorf("wechat: load members of %s: member %q: %w", gi.rec.ID, r.ID, err)
		}
		m[rec.ID] = rec
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

// batch collects identity records to save together, each encoded as it
// is added (a later change to the record is not in the batch).
type batch struct{ links.Batch }

func (b *batch) group(g groupRecord) { b.Groups = append(b.Groups, g.link()) }

func (b *batch) member(gid string, m *memberRecord) {
	if b.Members == nil {
		b.Members = map[string][]links.Record{}
	}
	b.Members[gid] = append(b.Members[gid], m.link())
}

// save writes the batch with the member number and waits for its commit,
// so that an id is on disk before any event uses it.
func (ids *identities) save(ctx context.Context, b *batch) error {
	if b.Empty() {
		return nil
	}
	ids.mu.Lock()
	b.Next = ids.seq
	ids.mu.Unlock()
	if err := ids.links.SaveLinks(ctx, Platform, b.Batch); err != nil {
		return fmt.Errorf("wechat: save identities: %w", err)
	}
	return nil
}

// create records a new member identity; the caller holds ids.mu.
func (ids *identities) create(gi *groupIdent, lm *liveMember, now int64, ambiguous bool) *memberRecord {
	r := &memberRecord{
		ID: ids.newMemberID(), Nick: lm.nick, Display: lm.display, Avatar: lm.avatar, Attr: lm.attr,
		FirstSeen: now, LastSeen: now, Ambiguous: ambiguous,
	}
	gi.members[r.ID] = r
	return r
}

// update brings a record up to date with the live member it is linked
// to, keeping earlier names.
func update(r *memberRecord, lm *liveMember, now int64) {
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

// find returns the group's records called name (a nickname, display name
// or earlier name) or with id name, skipping merged ones. The caller
// holds ids.mu.
func (ids *identities) find(ctx context.Context, gi *groupIdent, name string) ([]*memberRecord, error) {
	recs, err := ids.membersOf(ctx, gi)
	if err != nil {
		return nil, err
	}
	var out []*memberRecord
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
