package wechat

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulsebot/pulse/calendar"
)

// ImportIdentities links the members of imported WeChat history to the
// adapter's stable member ids by nickname, creating the ids (and the
// group) the adapter will link the live members to, by the same nickname,
// at its next login. Imported and live activity so land on one member.
type ImportIdentities struct {
	ids   *identities
	clock calendar.Clock
}

// NewImportIdentities reads the identities the core keeps. Of the
// options, only WithClock applies (it stamps the records created).
func NewImportIdentities(ctx context.Context, l Links, opts ...Option) (*ImportIdentities, error) {
	o := options{clock: calendar.System{}}
	for _, opt := range opts {
		opt(&o)
	}
	ids, err := loadIdentities(ctx, l)
	if err != nil {
		return nil, err
	}
	return &ImportIdentities{ids: ids, clock: o.clock}, nil
}

// Member returns the stable id of the member of group (a key such as
// "wechat/读书会") called nickname, creating it if there is none. Two
// members going by that name cannot be told apart: that is an error, not
// a guess.
func (im *ImportIdentities) Member(ctx context.Context, group, nickname string) (string, error) {
	gid, ok := strings.CutPrefix(group, Platform+"/")
	if !ok || gid == "" {
		return "", fmt.Errorf("wechat: %q is not a WeChat group key (wechat/NAME)", group)
	}
	ids := im.ids
	ids.mu.Lock()
	defer ids.mu.Unlock()
	now := im.clock.Now().Unix()
	var b batch
	gi := ids.groups[gid]
	if gi == nil {
		gi = &groupIdent{rec: groupRecord{ID: gid, Name: gid, Created: now, Seen: now}, members: map[string]*memberRecord{}}
		ids.groups[gid] = gi
		b.group(gi.rec)
	}
	recs, err := ids.find(ctx, gi, nickname)
	if err != nil {
		return "", err
	}
	switch len(recs) {
	case 1:
		return recs[0].ID, nil
	case 0:
	default:
		list := make([]string, len(recs))
		for i, r := range recs {
			list[i] = r.ID
		}
		return "", fmt.Errorf("wechat: in %s, %q could be %s; merge them first (合并 / /merge) so history goes to the right member", group, nickname, strings.Join(list, ", "))
	}
	r := &memberRecord{ID: ids.newMemberID(), Nick: nickname, FirstSeen: now, LastSeen: now}
	gi.members[r.ID] = r
	b.member(gid, r)
	ids.mu.Unlock()
	err = ids.save(ctx, &b)
	ids.mu.Lock()
	if err != nil {
		return "", err
	}
	return r.ID, nil
}
