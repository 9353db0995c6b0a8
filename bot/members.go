package bot

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pulsebot/pulse/bot/checkin"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// MemberRow is one member as operator tools list them.
type MemberRow struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Present     bool   `json:"present"`
	Bot         bool   `json:"bot,omitempty"`
	Points      int64  `json:"points"`
	XP          int64  `json:"xp"`
	Level       int    `json:"level"`
	Title       string `json:"title,omitempty"`
	Streak      int64  `json:"streak"`
	BestStreak  int64  `json:"best_streak"`
	Checkins    int64  `json:"checkins"`
	Messages    int64  `json:"messages"`
	FirstSeen   string `json:"first_seen"`
	LastActive  string `json:"last_active,omitempty"`
	LastCheckin string `json:"last_checkin,omitempty"`
}

// ErrNoGroup is returned for a group the store holds nothing of.
var ErrNoGroup = store.ErrNoGroup

// Members lists a group's members, highest XP first, as of the local day of
// at in the group's time zone (streaks not continued by the day before
// read 0).
func (b *Bot) Members(ctx context.Context, group string, at time.Time) ([]MemberRow, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list members of %s: %w", group, err)
	}
	gs := b.group(group)
	s, curve := gs.GroupSettings, gs.curve
	today := calendar.DayOf(at, s.Location)
	var rows []MemberRow
	err := b.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil {
			return err
		}
		if g == nil {
			return fmt.Errorf("group %q: %w (groups: %v)", group, ErrNoGroup, tx.Groups())
		}
		return g.ForEachMember(func(id string, m *store.Member) error {
			if m.Name == "" {
				return nil
			}
			level := curve.Level(m.XP)
			r := MemberRow{
				ID: id, Name: m.Name, Present: m.Present, Bot: m.IsBot, Points: m.Points, XP: m.XP,
				Level: level, Title: s.Rules.TitleFor(level, s.Locale), Streak: checkin.Current(m, today),
				BestStreak: m.BestStreak, Checkins: m.Checkins, Messages: m.Messages, FirstSeen: dayString(m.FirstSeen),
				LastActive: dayString(m.LastActive), LastCheckin: dayString(m.LastCheckin),
			}
			rows = append(rows, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list members of %s: %w", group, err)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].XP != rows[j].XP {
			return rows[i].XP > rows[j].XP
		}
		return rows[i].ID < rows[j].ID
	})
	return rows, nil
}

func dayString(d calendar.Day) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// StoredSettings reads what the store remembers of a group's locale and
// zone, for tools that run without the bot's config.
func (b *Bot) StoredSettings(ctx context.Context, group string) (locale, tz string, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return "", "", false, fmt.Errorf("settings of %s: %w", group, err)
	}
	err = b.db.View(func(tx *store.Tx) error {
		g, err := tx.Group(group)
		if err != nil || g == nil {
			return err
		}
		s, found, err := g.Settings()
		locale, tz, ok = s.Locale, s.Timezone, found
		return err
	})
	return locale, tz, ok, err
}
