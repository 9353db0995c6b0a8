package growth

import (
	"errors"
	"strings"
	"testing"
)

// Every problem names its option in a field, and the message starts with it.
func TestRuleErrorOption(t *testing.T) {
	for _, tc := range []struct {
		change func(*Rules)
		option string
	}{
		{func(r *Rules) { r.Checkin.Points = -1 }, "checkin.points"},
		{func(r *Rules) { r.Checkin.StreakBonusCap = -1 }, "checkin.streak_bonus_per_day"},
		{func(r *Rules) { r.Checkin.Milestones = map[int]int{0: 1} }, "checkin.milestones"},
		{func(r *Rules) { r.Makeup.WindowDays = 400 }, "makeup.window_days"},
		{func(r *Rules) { r.XP.Min = 30 }, "xp.min"},
		{func(r *Rules) { r.XP.MessagePoints = -1 }, "xp.message_points"},
		{func(r *Rules) { r.Levels.Curve = "linear"; r.Levels.LinearStep = 0 }, "levels.linear_step"},
		{func(r *Rules) { r.Levels.Curve = "cubic" }, "levels.curve"},
		{func(r *Rules) { r.Levels.Announce = "every_n"; r.Levels.AnnounceEvery = 0 }, "levels.announce_every"},
		{func(r *Rules) { r.Levels.Titles = []Title{{From: 2}, {From: 1}} }, "levels.titles"},
	} {
		r := Default()
		tc.change(&r)
		var re *RuleError
		if err := r.Validate(); !errors.As(err, &re) || re.Option != tc.option || !strings.HasPrefix(re.Msg, tc.option) || err.Error() != re.Msg {
			t.Errorf("Validate() = %v (%#v), want a *RuleError for %s", err, re, tc.option)
		}
	}
}
