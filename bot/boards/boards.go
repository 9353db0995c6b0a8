// Package boards ranks members: the leaderboards of /top and the rank
// that /me shows.
package boards

import (
	"sort"
	"strings"

	"github.com/pulsebot/pulse/bot/checkin"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// What a board ranks by.
const (
	Points   = "points"
	XP       = "xp"
	Messages = "messages"
	Streak   = "streak"
)

// The period a board covers.
const (
	Week = "week"
	All  = "all"
)

// Ranked reports whether a member takes part in leaderboards.
func Ranked(m *store.Member) bool { return m.Present && !m.IsBot }

// Rank returns a member's 1-based rank by score among ranked members, and
// how many are ranked.
func Rank(g *store.Group, id string, score func(*store.Member) int64) (rank, of int, err error) {
	var mine int64
	scores := make([]int64, 0, 64)
	err = g.ForEachMember(func(mid string, m *store.Member) error {
		if !Ranked(m) {
			return nil
		}
		s := score(m)
		if mid == id {
			mine = s
		}
		scores = append(scores, s)
		return nil
	})
	for _, s := range scores {
		if s > mine {
			rank++
		}
	}
	return rank + 1, len(scores), err
}

// ParseTop reads /top's words, in English or Chinese, in any order:
// [points|xp|messages|streak] [week|all]. ok is false for a word it does
// not know.
func ParseTop(args []string) (metric, period string, ok bool) {
	metric, period = Points, All
	for _, a := range args {
		switch strings.ToLower(a) {
		case "points", "积分", "point":
			metric = Points
		case "xp", "经验", "level", "等级":
			metric = XP
		case "messages", "发言", "msgs", "消息":
			metric = Messages
		case "streak", "streaks", "连续", "签到":
			metric = Streak
		case "week", "本周", "周榜":
			period = Week
		case "all", "总榜", "全部":
			period = All
		default:
			return "", "", false
		}
	}
	if metric == Streak {
		period = All // a streak is a running figure, not a sum over a week
	}
	return metric, period, true
}

// Entry is one line of a board.
type Entry struct {
	ID, Name string
	Score    int64
}

// Top ranks the members with a positive score by metric over period, as
// of day: highest first, ties by name.
func Top(g *store.Group, metric, period string, day calendar.Day) ([]Entry, error) {
	names := map[string]string{}
	scores := map[string]int64{}
	err := g.ForEachMember(func(id string, m *store.Member) error {
		if !Ranked(m) {
			return nil
		}
		names[id] = m.Name
		if period == All {
			switch metric {
			case Points:
				scores[id] = m.Points
			case XP:
				scores[id] = m.XP
			case Messages:
				scores[id] = m.Messages
			case Streak:
				scores[id] = checkin.Current(m, day)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if period == Week {
		// Weeks start on Monday, the way both zh and en communities count them.
		start := day - calendar.Day((int(day.Weekday())+6)%7)
		err = g.ForEachDay(start, day, func(_ calendar.Day, id string, a *store.DayAgg) error {
			if _, ok := names[id]; !ok {
				return nil
			}
			switch metric {
			case Points:
				scores[id] += a.Points
			case XP:
				scores[id] += a.XP
			case Messages:
				scores[id] += a.Messages
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	list := make([]Entry, 0, len(scores))
	for id, s := range scores {
		if s > 0 {
			list = append(list, Entry{id, names[id], s})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Score != list[j].Score {
			return list[i].Score > list[j].Score
		}
		return list[i].Name < list[j].Name
	})
	return list, nil
}
