package mee6

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pulsebot/pulse/importer"
)

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
