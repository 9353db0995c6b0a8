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
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/importer"
)

// ID is a Discord id written as a JSON string or number.
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s is neither a string nor a number", b)
	}
	*id = ID(n.String())
	return nil
}

// Page is one leaderboard page.
type Page struct {
	Guild *struct {
		ID   ID     `json:"id"`
		Name string `json:"name"`
	} `json:"guild"`
	Page        *int         `json:"page"`
	Players     []Player     `json:"players"`
	RoleRewards []RoleReward `json:"role_rewards"`
}

// Player is one member on the leaderboard.
type Player struct {
	ID           ID      `json:"id"`
	Username     string  `json:"username"`
	GuildID      ID      `json:"guild_id"`
	XP           int64   `json:"xp"`
	Level        int     `json:"level"`
	MessageCount int64   `json:"message_count"`
	DetailedXP   []int64 `json:"detailed_xp"`
}

// RoleReward is a role MEE6 gives at a level.
type RoleReward struct {
	Rank   *int `json:"rank"`
	Level  *int `json:"level"`
	RoleID ID   `json:"role_id"`
	Role   *struct {
		ID   ID     `json:"id"`
		Name string `json:"name"`
	} `json:"role"`
}

// Options tune an import.
type Options struct {
	Group string // discord/<guild id>
	// Max keeps the larger of Pulse's XP and MEE6's; otherwise MEE6's
	// replaces Pulse's.
	Max bool
	// DryRun reads and checks everything but changes nothing.
	DryRun bool
}

// Reward is a role reward, merged over pages.
type Reward struct {
	Level  int
	RoleID string
	Name   string
}

// Mismatch is a player whose level MEE6 and Pulse's curve disagree on.
type Mismatch struct {
	ID, Username string
	XP           int64
	MEE6, Pulse  int
	Detail       string
}

// Summary is what an import did.
type Summary struct {
	Group      string
	Files      int
	Players    int // distinct players read
	Duplicates int // players listed more than once (the highest XP kept)
	Created    int // members Pulse did not know
	Raised     int // members whose XP went up
	Lowered    int // members whose XP went down (replace mode)
	Unchanged  int
	Bots       int // members Pulse knows as bots: left unchanged
	Mismatches []Mismatch
	Rewards    []Reward
	Skipped    importer.Skips
	DryRun     bool
	Max        bool
	Elapsed    time.Duration
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

// readPages reads one file: a page object or an array of pages.
func readPages(path string) ([]Page, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, &importer.FileError{File: path, Offset: 0, Msg: "empty file"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var pages []Page
	if trimmed[0] == '[' {
		err = dec.Decode(&pages)
	} else {
		var p Page
		err = dec.Decode(&p)
		pages = []Page{p}
	}
	if err != nil {
		return nil, jsonErr(path, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &importer.FileError{File: path, Offset: dec.InputOffset(), Line: lineAt(data, dec.InputOffset()), Msg: "data after the leaderboard"}
	}
	for i, p := range pages {
		if p.Players == nil {
			where := ""
			if len(pages) > 1 {
				where = fmt.Sprintf("page %d: ", i+1)
			}
			return nil, &importer.FileError{File: path, Offset: -1, Msg: where + "no \"players\" array: not a MEE6 leaderboard page"}
		}
	}
	return pages, nil
}

func jsonErr(path string, data []byte, err error) error {
	off := int64(-1)
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
		err = fmt.Errorf("%s must be %s, not %s", e.Field, e.Type, e.Value)
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		off = int64(len(data))
		err = fmt.Errorf("unexpected end of file: the file is truncated")
	}
	fe := &importer.FileError{File: path, Offset: off, Msg: "malformed MEE6 leaderboard: " + err.Error()}
	if off >= 0 {
		fe.Line = lineAt(data, off)
	}
	return fe
}

func lineAt(data []byte, off int64) int64 {
	off = min(max(off, 0), int64(len(data)))
	return int64(bytes.Count(data[:off], []byte{'\n'})) + 1
}

// Print writes the summary.
func (s *Summary) Print(w io.Writer) {
	mode := "replace"
	if s.Max {
		mode = "max"
	}
	verb := "set"
	if s.DryRun {
		verb = "would set (dry run: nothing changed)"
	}
	fmt.Fprintf(w, "mee6 → %s: %d file(s), %d player(s), mode %s, in %s\n", s.Group, s.Files, s.Players, mode, s.Elapsed.Round(time.Millisecond))
	if !s.DryRun {
		fmt.Fprintf(w, "  XP %s: %d raised, %d lowered, %d unchanged; %d new member(s) created (not counted present until seen)\n", verb, s.Raised, s.Lowered, s.Unchanged, s.Created)
		if s.Bots > 0 {
			fmt.Fprintf(w, "  %d player(s) are bots in Pulse: left unchanged\n", s.Bots)
		}
	} else {
		fmt.Fprintf(w, "  XP %s\n", verb)
	}
	if s.Duplicates > 0 {
		fmt.Fprintf(w, "  %d player(s) listed more than once: the highest XP was kept\n", s.Duplicates)
	}
	if len(s.Mismatches) == 0 {
		fmt.Fprintf(w, "  levels: all %d agree with Pulse's mee6 curve (5n²+50n+100)\n", s.Players)
	} else {
		fmt.Fprintf(w, "  levels: %d of %d disagree with Pulse's mee6 curve (Pulse shows the curve's level for the XP):\n", len(s.Mismatches), s.Players)
		for i, m := range s.Mismatches {
			if i == 20 {
				fmt.Fprintf(w, "    … and %d more\n", len(s.Mismatches)-i)
				break
			}
			detail := ""
			if m.Detail != "" {
				detail = "; " + m.Detail
			}
			fmt.Fprintf(w, "    %s (%s): %d XP is level %d for Pulse, MEE6 says %d%s\n", m.Username, m.ID, m.XP, m.Pulse, m.MEE6, detail)
		}
	}
	if len(s.Rewards) > 0 {
		fmt.Fprintf(w, "  role rewards: %d; merge this into the config (the Discord adapter gives these roles at these levels):\n\n", len(s.Rewards))
		fmt.Fprint(w, s.RewardsYAML())
	}
}

// RewardsYAML is the role rewards as configuration for the Discord
// adapter (discord.guild_settings.<guild id>.role_rewards: level → role
// id). The configuration takes one role per level and each role at one
// level; MEE6 rewards that do not fit are written as comments.
func (s *Summary) RewardsYAML() string {
	var b strings.Builder
	guild := strings.TrimPrefix(s.Group, "discord/")
	b.WriteString("discord:\n  guild_settings:\n")
	fmt.Fprintf(&b, "    %q:\n      role_rewards:\n", guild)
	levels, roles := map[int]string{}, map[string]int{}
	for _, r := range s.Rewards {
		name := ""
		if r.Name != "" {
			name = " (" + strings.ReplaceAll(r.Name, "\n", " ") + ")"
		}
		switch other, taken := levels[r.Level]; {
		case taken:
			fmt.Fprintf(&b, "        # level %d also gives role %s%s in MEE6; the config takes one role per level (it has %s)\n", r.Level, r.RoleID, name, other)
			continue
		case roles[r.RoleID] != 0:
			fmt.Fprintf(&b, "        # role %s%s is also MEE6's reward of level %d; the config gives a role at one level only\n", r.RoleID, name, r.Level)
			continue
		}
		levels[r.Level], roles[r.RoleID] = r.RoleID, r.Level
		comment := ""
		if r.Name != "" {
			comment = "  # " + strings.ReplaceAll(r.Name, "\n", " ")
		}
		fmt.Fprintf(&b, "        %d: %q%s\n", r.Level, r.RoleID, comment)
	}
	return b.String()
}
