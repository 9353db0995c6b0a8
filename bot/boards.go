package bot

import (
	"sort"
	"strings"

	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// ranked reports whether a member takes part in leaderboards.
func ranked(m *store.Member) bool { return m.Present && !m.IsBot }

// rank returns a member's 1-based rank by score among ranked members.
func (c *call) rank(id string, score func(*store.Member) int64) (rank, of int, err error) {
	var mine int64
	scores := make([]int64, 0, 64)
	err = c.g.ForEachMember(func(mid string, m *store.Member) error {
		if !ranked(m) {
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

type entry struct {
	id, name string
	score    int64
}

// top answers /top [points|xp|messages|streak] [week|all].
func (c *call) top(args []string) error {
	metric, period := "points", "all"
	for _, a := range args {
		switch strings.ToLower(a) {
		case "points", "积分", "point":
			metric = "points"
		case "xp", "经验", "level", "等级":
			metric = "xp"
		case "messages", "发言", "msgs", "消息":
			metric = "messages"
		case "streak", "streaks", "连续", "签到":
			metric = "streak"
		case "week", "本周", "周榜":
			period = "week"
		case "all", "总榜", "全部":
			period = "all"
		default:
			c.answer(c.t("top.usage"))
			return nil
		}
	}
	if metric == "streak" {
		period = "all" // a streak is a running figure, not a sum over a week
	}
	names := map[string]string{}
	scores := map[string]int64{}
	err := c.g.ForEachMember(func(id string, m *store.Member) error {
		if !ranked(m) {
			return nil
		}
		names[id] = m.Name
		if period == "all" {
			switch metric {
			case "points":
				scores[id] = m.Points
			case "xp":
				scores[id] = m.XP
			case "messages":
				scores[id] = m.Messages
			case "streak":
				scores[id] = currentStreak(m, c.day)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if period == "week" {
		// Weeks start on Monday, the way both zh and en communities count them.
		start := c.day - calendar.Day((int(c.day.Weekday())+6)%7)
		err = c.g.ForEachDay(start, c.day, func(_ calendar.Day, id string, a *store.DayAgg) error {
			if _, ok := names[id]; !ok {
				return nil
			}
			switch metric {
			case "points":
				scores[id] += a.Points
			case "xp":
				scores[id] += a.XP
			case "messages":
				scores[id] += a.Messages
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	list := make([]entry, 0, len(scores))
	for id, s := range scores {
		if s > 0 {
			list = append(list, entry{id, names[id], s})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].name < list[j].name
	})
	var b strings.Builder
	b.WriteString(c.t("top.title", c.t("top."+metric), c.t("top."+period)))
	if len(list) == 0 {
		b.WriteString("\n" + c.t("top.empty"))
	}
	me := -1
	for i, e := range list {
		if e.id == c.ev.Member.ID {
			me = i
		}
		if i < 10 {
			b.WriteString("\n" + c.t("top.line", i+1, e.name, e.score))
		}
	}
	if me >= 10 {
		b.WriteString("\n" + c.t("top.you", me+1, list[me].score))
	}
	c.answer(b.String())
	return nil
}
