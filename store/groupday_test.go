package store_test

import (
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

func groupDayRecords() groupRecords {
	gdays := map[store.Day]store.GroupDay{
		day0:     {Messages: 4, Chars: 130, Active: 2, Checkins: 1, Makeups: 1, Joins: 2, Leaves: 1, Interactive: 7, Reacted: 8, Reactions: 11},
		day0 + 1: {Messages: 1, Active: 1},
		day0 + 5: {Reactions: 2},
	}
	return groupRecords{
		name: "group day",
		write: func(g *store.Group) error {
			for d, want := range gdays {
				s, err := g.GroupDayW(d)
				if err != nil {
					return err
				}
				*s = want
			}
			return nil
		},
		check: func(t *testing.T, _ *store.Tx, g *store.Group) {
			for d, want := range gdays {
				s, err := g.GroupDay(d)
				if err != nil || *s != want {
					t.Errorf("GroupDay(%s) = %+v, %v; want %+v", d, s, err, want)
				}
			}
			var got []store.Day
			if err := g.ForEachGroupDay(day0+1, day0+5, func(d store.Day, s *store.GroupDay) error {
				got = append(got, d)
				if *s != gdays[d] {
					t.Errorf("ForEachGroupDay %s = %+v, want %+v", d, *s, gdays[d])
				}
				return nil
			}); err != nil {
				t.Error(err)
			}
			if want := []store.Day{day0 + 1, day0 + 5}; !reflect.DeepEqual(got, want) {
				t.Errorf("ForEachGroupDay days %v, want %v", got, want)
			}
		},
	}
}
