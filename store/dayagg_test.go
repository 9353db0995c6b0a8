package store_test

import (
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

func dayRecords() groupRecords {
	days := map[store.Day]map[string]store.DayAgg{
		day0: {
			"alice": {Messages: 3, Chars: 120, RepliesGiven: 1, RepliesRecv: 2, MentionsGiven: 3, MentionsRecv: 4,
				ReactGiven: 5, ReactRecv: 6, Interactive: 7, Reacted: 8, XP: 9, Points: 10, Checkin: store.CheckinOnTime, CheckinOrder: 1},
			"bob": {Messages: 1, Checkin: store.CheckinMakeup, Points: -3},
		},
		day0 + 1: {"alice": {Messages: 1}},
		day0 + 5: {"bob": {ReactGiven: 2}},
	}
	return groupRecords{
		name: "day",
		write: func(g *store.Group) error {
			for d, byID := range days {
				for id, want := range byID {
					a, err := g.DayW(d, id)
					if err != nil {
						return err
					}
					*a = want
				}
			}
			return nil
		},
		check: func(t *testing.T, _ *store.Tx, g *store.Group) {
			for d, byID := range days {
				for id, want := range byID {
					a, err := g.Day(d, id)
					if err != nil || a == nil || *a != want {
						t.Errorf("Day(%s, %s) = %+v, %v; want %+v", d, id, a, err, want)
					}
				}
			}
			if a, err := g.Day(day0+2, "alice"); err != nil || *a != (store.DayAgg{}) {
				t.Errorf("missing day = %+v, %v; want zero", a, err)
			}

			t.Run("ForEachDay range", func(t *testing.T) {
				type row struct {
					d  store.Day
					id string
					a  store.DayAgg
				}
				cases := []struct {
					from, to store.Day
					want     []row
				}{
					{day0, day0, []row{{day0, "alice", days[day0]["alice"]}, {day0, "bob", days[day0]["bob"]}}},
					{day0, day0 + 1, []row{{day0, "alice", days[day0]["alice"]}, {day0, "bob", days[day0]["bob"]}, {day0 + 1, "alice", days[day0+1]["alice"]}}},
					{day0 + 1, day0 + 10, []row{{day0 + 1, "alice", days[day0+1]["alice"]}, {day0 + 5, "bob", days[day0+5]["bob"]}}},
					{day0 + 2, day0 + 4, nil},
					{day0 + 6, day0 + 100, nil},
					{0, day0 - 1, nil},
				}
				for _, c := range cases {
					var got []row
					err := g.ForEachDay(c.from, c.to, func(d store.Day, id string, a *store.DayAgg) error {
						got = append(got, row{d, id, *a})
						return nil
					})
					if err != nil {
						t.Errorf("ForEachDay(%s, %s): %v", c.from, c.to, err)
					}
					if !reflect.DeepEqual(got, c.want) {
						t.Errorf("ForEachDay(%s, %s) = %+v, want %+v", c.from, c.to, got, c.want)
					}
				}
			})
		},
	}
}
