package store_test

import (
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

func rosterRecords() groupRecords {
	roster := []store.RosterEntry{
		{Time: 300, Member: "bob", Name: "鲍勃", Join: false},
		{Time: 100, Member: "alice", Name: "Alice", Join: true, Inviter: "carol"},
		{Time: 200, Member: "bob", Name: "Bob", Join: true},
		{Time: 300, Member: "carol", Name: "Carol", Join: true},
	}
	return groupRecords{
		name: "roster range",
		write: func(g *store.Group) error {
			for _, e := range roster {
				if err := g.AppendRoster(e); err != nil {
					return err
				}
			}
			return nil
		},
		check: func(t *testing.T, _ *store.Tx, g *store.Group) {
			cases := []struct {
				from, to int64
				want     []string // members in visiting order
			}{
				{0, 1000, []string{"alice", "bob", "bob", "carol"}}, // time order, then append order
				{100, 300, []string{"alice", "bob"}},                // to is exclusive
				{150, 301, []string{"bob", "bob", "carol"}},
				{300, 301, []string{"bob", "carol"}},
				{301, 1000, nil},
				{0, 100, nil},
			}
			for _, c := range cases {
				var got []string
				err := g.ForEachRoster(c.from, c.to, func(e store.RosterEntry) error {
					got = append(got, e.Member)
					return nil
				})
				if err != nil {
					t.Errorf("ForEachRoster(%d, %d): %v", c.from, c.to, err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("ForEachRoster(%d, %d) = %v, want %v", c.from, c.to, got, c.want)
				}
			}
			var all []store.RosterEntry
			_ = g.ForEachRoster(0, 1000, func(e store.RosterEntry) error { all = append(all, e); return nil })
			want := []store.RosterEntry{roster[1], roster[2], roster[0], roster[3]}
			if !reflect.DeepEqual(all, want) {
				t.Errorf("roster entries = %+v, want %+v", all, want)
			}
		},
	}
}
