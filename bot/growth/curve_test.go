package growth

import "testing"

func TestMEE6Curve(t *testing.T) {
	c, err := NewCurve(Default().Levels)
	if err != nil {
		t.Fatal(err)
	}
	// MEE6's published totals: level 1 at 100 XP, 2 at 255, 3 at 475, 5 at 1,150, 10 at 4,675.
	tests := []struct {
		xp    int64
		level int
	}{
		{0, 0}, {99, 0}, {100, 1}, {254, 1}, {255, 2}, {475, 3}, {1149, 4}, {1150, 5}, {4675, 10}, {4674, 9},
	}
	for _, tt := range tests {
		if got := c.Level(tt.xp); got != tt.level {
			t.Errorf("Level(%d) = %d, want %d", tt.xp, got, tt.level)
		}
	}
	lvl, into, span := c.Progress(300)
	if lvl != 2 || into != 45 || span != 220 {
		t.Errorf("Progress(300) = %d,%d,%d; want 2,45,220", lvl, into, span)
	}
}

func TestOtherCurves(t *testing.T) {
	tests := []struct {
		name  string
		rules LevelRules
		xp    int64
		level int
		err   bool
	}{
		{"linear", LevelRules{Curve: "linear", LinearStep: 50}, 149, 2, false},
		{"linear zero step", LevelRules{Curve: "linear"}, 0, 0, true},
		{"thresholds", LevelRules{Curve: "thresholds", Thresholds: []int{10, 30, 60}}, 30, 2, false},
		{"thresholds top", LevelRules{Curve: "thresholds", Thresholds: []int{10, 30, 60}}, 1e6, 3, false},
		{"thresholds not increasing", LevelRules{Curve: "thresholds", Thresholds: []int{10, 10}}, 0, 0, true},
		{"unknown", LevelRules{Curve: "cubic"}, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCurve(tt.rules)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if err == nil && c.Level(tt.xp) != tt.level {
				t.Errorf("Level(%d) = %d, want %d", tt.xp, c.Level(tt.xp), tt.level)
			}
		})
	}
}

func TestCheckinPoints(t *testing.T) {
	r := Default()
	tests := []struct{ streak, base, bonus int }{
		{1, 10, 0}, {2, 10, 1}, {7, 10, 26}, {11, 10, 10}, {30, 10, 110},
	}
	for _, tt := range tests {
		b, bo := r.CheckinPoints(tt.streak)
		if b != tt.base || bo != tt.bonus {
			t.Errorf("CheckinPoints(%d) = %d,%d; want %d,%d", tt.streak, b, bo, tt.base, tt.bonus)
		}
	}
}

func TestAnnounce(t *testing.T) {
	r := Default()
	r.Levels.Announce = "every_n"
	r.Levels.AnnounceEvery = 5
	if r.ShouldAnnounce(3, 4) || !r.ShouldAnnounce(4, 5) || !r.ShouldAnnounce(3, 11) {
		t.Error("every_n announcements wrong")
	}
	r.Levels.Announce = "off"
	if r.ShouldAnnounce(0, 1) {
		t.Error("off announced")
	}
}
