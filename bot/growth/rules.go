// Package growth holds the rules of Pulse's growth mechanics: check-in
// points and streak bonuses, make-up check-ins, message XP, level curves
// and titles. It is pure computation; the core applies it to stored state.
package growth

import (
	"time"
)

// Rules are one group's growth settings. The zero value is not useful;
// start from Default.
type Rules struct {
	Checkin CheckinRules `yaml:"checkin"`
	Makeup  MakeupRules  `yaml:"makeup"`
	XP      XPRules      `yaml:"xp"`
	Levels  LevelRules   `yaml:"levels"`
}

// CheckinRules price a daily check-in.
type CheckinRules struct {
	Points int `yaml:"points"` // base points per check-in
	XP     int `yaml:"xp"`     // XP per check-in
	// StreakBonusPerDay adds this many points per day of streak beyond the
	// first, up to StreakBonusCap.
	StreakBonusPerDay int `yaml:"streak_bonus_per_day"`
	StreakBonusCap    int `yaml:"streak_bonus_cap"`
	// Milestones pay extra points on the day a streak reaches a length.
	Milestones map[int]int `yaml:"milestones"`
}

// MakeupRules govern 补签, filling a missed day.
type MakeupRules struct {
	WindowDays int `yaml:"window_days"` // how far back; 0 disables make-up
	Cost       int `yaml:"cost"`        // points spent per make-up
}

// XPRules govern XP and points from ordinary messages.
type XPRules struct {
	Min       int           `yaml:"min"`        // random XP per rewarded message, inclusive
	Max       int           `yaml:"max"`        //
	Cooldown  time.Duration `yaml:"cooldown"`   // at most one reward per member per cooldown
	MinLength int           `yaml:"min_length"` // shorter messages earn nothing
	// Points per rewarded message (same cooldown and filters); 0 is off.
	MessagePoints int `yaml:"message_points"`
}

// LevelRules describe the level curve, titles and announcements.
type LevelRules struct {
	// Curve is "mee6" (5n²+50n+100 XP from level n to n+1), "linear"
	// (LinearStep XP per level) or "thresholds" (Thresholds[i] is the total
	// XP needed for level i+1).
	Curve      string  `yaml:"curve"`
	LinearStep int     `yaml:"linear_step"`
	Thresholds []int   `yaml:"thresholds"`
	Titles     []Title `yaml:"titles"`
	// Announce is "off", "every" or "every_n" (every AnnounceEvery levels).
	Announce      string `yaml:"announce"`
	AnnounceEvery int    `yaml:"announce_every"`
}

// Title names the levels from From upward (until the next title).
type Title struct {
	From int    `yaml:"from"`
	Zh   string `yaml:"zh"`
	En   string `yaml:"en"`
}

// Default returns the rules Pulse uses when a group configures nothing:
// MEE6-compatible XP and levels, 10 points a check-in with a capped
// streak bonus, and 补签 within 7 days for 20 points.
func Default() Rules {
	return Rules{
		Checkin: CheckinRules{
			Points: 10, XP: 0,
			StreakBonusPerDay: 1, StreakBonusCap: 10,
			Milestones: map[int]int{7: 20, 30: 100},
		},
		Makeup: MakeupRules{WindowDays: 7, Cost: 20},
		XP:     XPRules{Min: 15, Max: 25, Cooldown: 60 * time.Second, MinLength: 2},
		Levels: LevelRules{
			Curve: "mee6", LinearStep: 100, Announce: "every", AnnounceEvery: 5,
			Titles: []Title{
				{From: 0, Zh: "新人", En: "Newcomer"},
				{From: 5, Zh: "活跃成员", En: "Regular"},
				{From: 10, Zh: "资深成员", En: "Veteran"},
				{From: 20, Zh: "核心成员", En: "Core member"},
				{From: 35, Zh: "社群元老", En: "Elder"},
				{From: 50, Zh: "传奇", En: "Legend"},
			},
		},
	}
}

// Validate reports the first rule that cannot work, naming its option; the
// error is a *RuleError.
func (r Rules) Validate() error {
	switch {
	case r.Checkin.Points < 0:
		return ruleErrorf("checkin.points", "checkin.points must not be negative")
	case r.Checkin.XP < 0:
		return ruleErrorf("checkin.xp", "checkin.xp must not be negative")
	case r.Checkin.StreakBonusPerDay < 0 || r.Checkin.StreakBonusCap < 0:
		return ruleErrorf("checkin.streak_bonus_per_day", "checkin.streak_bonus_per_day and streak_bonus_cap must not be negative")
	case r.Makeup.WindowDays < 0 || r.Makeup.WindowDays > 366:
		return ruleErrorf("makeup.window_days", "makeup.window_days must be between 0 and 366")
	case r.Makeup.Cost < 0:
		return ruleErrorf("makeup.cost", "makeup.cost must not be negative")
	case r.XP.Min < 0 || r.XP.Max < r.XP.Min:
		return ruleErrorf("xp.min", "xp.min must be ≥ 0 and xp.max ≥ xp.min")
	case r.XP.Cooldown < 0:
		return ruleErrorf("xp.cooldown", "xp.cooldown must not be negative")
	case r.XP.MessagePoints < 0:
		return ruleErrorf("xp.message_points", "xp.message_points must not be negative")
	}
	for d, p := range r.Checkin.Milestones {
		if d < 1 || p < 0 {
			return ruleErrorf("checkin.milestones", "checkin.milestones: %d: %d is not a streak length ≥ 1 with points ≥ 0", d, p)
		}
	}
	if _, err := NewCurve(r.Levels); err != nil {
		return err
	}
	switch r.Levels.Announce {
	case "off", "every":
	case "every_n":
		if r.Levels.AnnounceEvery < 1 {
			return ruleErrorf("levels.announce_every", "levels.announce_every must be ≥ 1 with announce: every_n")
		}
	default:
		return ruleErrorf("levels.announce", "levels.announce: %q is not one of off, every, every_n", r.Levels.Announce)
	}
	for i := 1; i < len(r.Levels.Titles); i++ {
		if r.Levels.Titles[i].From <= r.Levels.Titles[i-1].From {
			return ruleErrorf("levels.titles", "levels.titles: 'from' must increase (entry %d)", i+1)
		}
	}
	return nil
}

// CheckinPoints is what a check-in pays on the day a streak reaches streak
// days: base points, the capped per-day bonus, and any milestone.
func (r Rules) CheckinPoints(streak int) (base, bonus int) {
	base = r.Checkin.Points
	if streak > 1 {
		bonus = (streak - 1) * r.Checkin.StreakBonusPerDay
		if bonus > r.Checkin.StreakBonusCap {
			bonus = r.Checkin.StreakBonusCap
		}
	}
	bonus += r.Checkin.Milestones[streak]
	return base, bonus
}

// ShouldAnnounce says whether reaching level `to` from `from` is announced.
func (r Rules) ShouldAnnounce(from, to int) bool {
	if to <= from {
		return false
	}
	switch r.Levels.Announce {
	case "every":
		return true
	case "every_n":
		n := r.Levels.AnnounceEvery
		return to/n > from/n
	}
	return false
}

// TitleFor returns the title of a level in a locale ("zh" or "en").
func (r Rules) TitleFor(level int, locale string) string {
	t := ""
	for _, ti := range r.Levels.Titles {
		if level >= ti.From {
			t = ti.En
			if locale == "zh" {
				t = ti.Zh
			}
		}
	}
	return t
}
