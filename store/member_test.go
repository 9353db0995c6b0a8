package store_test

import (
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

func memberRecords() groupRecords {
	members := map[string]store.Member{
		"alice": {Name: "Alice", Present: true, FirstSeen: day0, JoinedAt: 1767225600, Points: 42, XP: 1234,
			Messages: 17, Chars: 900, Checkins: 5, Streak: 3, BestStreak: 4, LastCheckin: day0 + 4,
			LastActive: day0 + 5, LastXPAt: 1767657600, LastHash: 0xdeadbeefcafef00d},
		"bob":   {Name: "鲍勃 🎉", IsBot: false, LeftAt: 1767657601, Points: -7, XP: -1},
		"robot": {Name: "Robot", IsBot: true},
		"zero":  {},
	}
	return groupRecords{
		name: "member",
		write: func(g *store.Group) error {
			for id, want := range members {
				m, err := g.MemberW(id)
				if err != nil {
					return err
				}
				*m = want
			}
			return nil
		},
		// ForEachMember in the same write transaction sees these changes.
		inTx: func(t *testing.T, g *store.Group) error {
			n := 0
			if err := g.ForEachMember(func(id string, m *store.Member) error {
				n++
				if *m != members[id] {
					t.Errorf("ForEachMember in write tx: %s = %+v, want %+v", id, *m, members[id])
				}
				return nil
			}); err != nil {
				return err
			}
			if n != len(members) {
				t.Errorf("ForEachMember in write tx visited %d members, want %d", n, len(members))
			}
			return nil
		},
		check: func(t *testing.T, _ *store.Tx, g *store.Group) {
			for id, want := range members {
				m, err := g.Member(id)
				if err != nil {
					t.Errorf("Member(%s): %v", id, err)
					continue
				}
				if m == nil || *m != want {
					t.Errorf("Member(%s) = %+v, want %+v", id, m, want)
				}
			}
			if m, err := g.Member("stranger"); m != nil || err != nil {
				t.Errorf("unknown member = %+v, %v; want nil, nil", m, err)
			}
			var ids []string
			if err := g.ForEachMember(func(id string, m *store.Member) error {
				ids = append(ids, id)
				return nil
			}); err != nil {
				t.Error(err)
			}
			if want := []string{"alice", "bob", "robot", "zero"}; !reflect.DeepEqual(ids, want) {
				t.Errorf("ForEachMember order %v, want %v", ids, want)
			}
		},
	}
}
