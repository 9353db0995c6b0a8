package config

import "time"

// Growth is a group's growth options: check-in points, make-up check-ins
// (补签), message XP and levels. Config only reads them; the rules they
// describe, and what can work, belong to the core (see Loader.CheckGroup).
type Growth struct {
	Checkin CheckinConfig `yaml:"checkin"`
	Makeup  MakeupConfig  `yaml:"makeup"`
	XP      XPConfig      `yaml:"xp"`
	Levels  LevelsConfig  `yaml:"levels"`
}

// CheckinConfig prices a daily check-in.
type CheckinConfig struct {
	Points int `yaml:"points"` // base points per check-in
	XP     int `yaml:"xp"`     // XP per check-in
	// StreakBonusPerDay adds this many points per day of streak beyond the
	// first, up to StreakBonusCap.
	StreakBonusPerDay int `yaml:"streak_bonus_per_day"`
	StreakBonusCap    int `yaml:"streak_bonus_cap"`
	// Milestones pay extra points on the day a streak reaches a length.
	Milestones map[int]int `yaml:"milestones"`
}

// MakeupConfig governs 补签, filling a missed day.
type MakeupConfig struct {
	WindowDays int `yaml:"window_days"` // how far back; 0 disables make-up
	Cost       int `yaml:"cost"`        // points spent per make-up
}

// XPConfig governs XP and points from ordinary messages.
type XPConfig struct {
	Min       int           `yaml:"min"`        // random XP per rewarded message, inclusive
	Max       int           `yaml:"max"`        //
	Cooldown  time.Duration `yaml:"cooldown"`   // at most one reward per member per cooldown
	MinLength int           `yaml:"min_length"` // shorter messages earn nothing
	// Points per rewarded message (same cooldown and filters); 0 is off.
	MessagePoints int `yaml:"message_points"`
}

// LevelsConfig describes the level curve, titles and announcements.
type LevelsConfig struct {
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

// defaultGrowth is what a group gets when the file sets nothing:
// MEE6-compatible XP and levels, 10 points a check-in with a capped streak
// bonus, and 补签 within 7 days for 20 points. It is the core's default
// rules, written as options (a test in cmd/pulse keeps the two equal).
func defaultGrowth() Growth {
	return Growth{
		Checkin: CheckinConfig{
			Points: 10, XP: 0,
			StreakBonusPerDay: 1, StreakBonusCap: 10,
			Milestones: map[int]int{7: 20, 30: 100},
		},
		Makeup: MakeupConfig{WindowDays: 7, Cost: 20},
		XP:     XPConfig{Min: 15, Max: 25, Cooldown: 60 * time.Second, MinLength: 2},
		Levels: LevelsConfig{
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
