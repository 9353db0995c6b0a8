// Package mee6 imports MEE6 leaderboards: members' XP becomes MEE6's, so
// levels carry over, and MEE6's role rewards are printed as configuration
// for Pulse's Discord adapter.
//
// The input is what https://mee6.xyz/api/plugins/levels/leaderboard/<guild
// id>?page=N answers, one page per file (or an array of pages): players[]
// with id, username, xp, level, message_count and detailed_xp ([XP into
// the level, XP the level spans, total]), and role_rewards[] with the role
// as role.id or role_id and the level as rank (or level).
package mee6

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/growth"
)

// Options tune an import.
type Options struct {
	Group string // discord/<guild id>
	// Max keeps the larger of Pulse's XP and MEE6's; otherwise MEE6's
	// replaces Pulse's.
	Max bool
	// DryRun reads and checks everything but changes nothing.
	DryRun bool
}

// Import reads the pages and sets members' XP through b in one
// transaction: all of it or nothing.
func Import(ctx context.Context, b *bot.Bot, paths []string, o Options) (*Summary, error) {
	start := time.Now()
	guild, ok := strings.CutPrefix(o.Group, "discord/")
	if !ok || guild == "" || strings.Contains(guild, "/") {
		return nil, fmt.Errorf("import mee6: group %q is not discord/<guild id>", o.Group)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("import mee6: no files")
	}
	s := &Summary{Group: o.Group, Files: len(paths), DryRun: o.DryRun, Max: o.Max}
	players := map[ID]Player{}
	var order []ID
	rewards := map[string]Reward{}
	for _, path := range paths {
		pages, err := readPages(path)
		if err != nil {
			return nil, fmt.Errorf("import mee6: %w", err)
		}
		for pi, pg := range pages {
			where := path
			if len(pages) > 1 {
				where = fmt.Sprintf("%s page %d", path, pi+1)
			}
			if pg.Guild != nil && pg.Guild.ID != "" && string(pg.Guild.ID) != guild {
				return nil, fmt.Errorf("import mee6: %s is the leaderboard of guild %s (%s), not %s", where, pg.Guild.ID, pg.Guild.Name, o.Group)
			}
			for k, p := range pg.Players {
				switch {
				case p.ID == "":
					return nil, fmt.Errorf("import mee6: %s: player %d has no id", where, k+1)
				case p.GuildID != "" && string(p.GuildID) != guild:
					return nil, fmt.Errorf("import mee6: %s: player %s is from guild %s, not %s", where, p.ID, p.GuildID, o.Group)
				case p.XP < 0:
					return nil, fmt.Errorf("import mee6: %s: player %s has negative XP %d", where, p.ID, p.XP)
				}
				if old, ok := players[p.ID]; ok {
					s.Duplicates++
					if old.XP >= p.XP {
						continue
					}
				} else {
					order = append(order, p.ID)
				}
				players[p.ID] = p
			}
			for k, r := range pg.RoleRewards {
				rw := Reward{RoleID: string(r.RoleID)}
				if r.Role != nil {
					if rw.RoleID == "" {
						rw.RoleID = string(r.Role.ID)
					}
					rw.Name = r.Role.Name
				}
				switch {
				case r.Rank != nil:
					rw.Level = *r.Rank
				case r.Level != nil:
					rw.Level = *r.Level
				}
				if rw.RoleID == "" || rw.Level <= 0 {
					return nil, fmt.Errorf("import mee6: %s: role reward %d has no role id or no level (rank)", where, k+1)
				}
				k := strconv.Itoa(rw.Level) + "/" + rw.RoleID
				if old, ok := rewards[k]; ok && rw.Name == "" {
					rw.Name = old.Name
				}
				rewards[k] = rw
			}
		}
	}
	for _, rw := range rewards {
		s.Rewards = append(s.Rewards, rw)
	}
	sort.Slice(s.Rewards, func(i, j int) bool {
		if s.Rewards[i].Level != s.Rewards[j].Level {
			return s.Rewards[i].Level < s.Rewards[j].Level
		}
		return s.Rewards[i].RoleID < s.Rewards[j].RoleID
	})

	// MEE6's levels must come out of our default (mee6) curve unchanged.
	curve, err := growth.NewCurve(growth.Default().Levels)
	if err != nil {
		return nil, err
	}
	sets := make([]bot.XPSet, 0, len(order))
	for _, id := range order {
		p := players[id]
		if lvl := curve.Level(p.XP); lvl != p.Level {
			s.Mismatches = append(s.Mismatches, Mismatch{ID: string(id), Username: p.Username, XP: p.XP, MEE6: p.Level, Pulse: lvl})
		} else if len(p.DetailedXP) == 3 {
			into, span, total := p.DetailedXP[0], p.DetailedXP[1], p.DetailedXP[2]
			_, ci, cs := curve.Progress(p.XP)
			if total != p.XP || into != ci || span != cs {
				s.Mismatches = append(s.Mismatches, Mismatch{ID: string(id), Username: p.Username, XP: p.XP, MEE6: p.Level, Pulse: lvl,
					Detail: fmt.Sprintf("detailed_xp %v, Pulse's curve gives [%d %d %d]", p.DetailedXP, ci, cs, p.XP)})
			}
		}
		sets = append(sets, bot.XPSet{Member: bot.Member{ID: string(id), Name: p.Username}, XP: p.XP})
	}
	s.Players = len(sets)
	if o.DryRun {
		s.Elapsed = time.Since(start)
		return s, nil
	}
	changes, err := b.SetXP(ctx, o.Group, sets, o.Max)
	if err != nil {
		return nil, fmt.Errorf("import mee6: %w", err)
	}
	for _, c := range changes {
		switch {
		case c.Skipped:
			s.Bots++
			continue
		case c.Created:
			s.Created++
		}
		switch {
		case c.After > c.Before:
			s.Raised++
		case c.After < c.Before:
			s.Lowered++
		default:
			s.Unchanged++
		}
	}
	s.Elapsed = time.Since(start)
	return s, nil
}
