package growth

import (
	"sort"
)

// Curve maps total XP to levels.
type Curve struct {
	// totals[i] is the total XP needed to reach level i+1, increasing.
	// For computed curves it is extended on demand up to maxLevel.
	totals []int64
	next   func(level int) int64 // XP from level n to n+1; nil for fixed lists
}

// maxLevel bounds computed curves; far beyond any real community.
const maxLevel = 1000

// NewCurve builds the curve the rules name; an error is a *RuleError.
func NewCurve(l LevelRules) (*Curve, error) {
	switch l.Curve {
	case "", "mee6":
		return newComputed(func(n int) int64 { return int64(5*n*n + 50*n + 100) }), nil
	case "linear":
		if l.LinearStep < 1 {
			return nil, ruleErrorf("levels.linear_step", "levels.linear_step must be ≥ 1 with curve: linear")
		}
		step := int64(l.LinearStep)
		return newComputed(func(int) int64 { return step }), nil
	case "thresholds":
		if len(l.Thresholds) == 0 {
			return nil, ruleErrorf("levels.thresholds", "levels.thresholds must list the total XP of level 1, 2, … with curve: thresholds")
		}
		c := &Curve{}
		prev := int64(0)
		for i, t := range l.Thresholds {
			if int64(t) <= prev {
				return nil, ruleErrorf("levels.thresholds", "levels.thresholds must increase and be > 0 (entry %d: %d)", i+1, t)
			}
			prev = int64(t)
			c.totals = append(c.totals, prev)
		}
		return c, nil
	}
	return nil, ruleErrorf("levels.curve", "levels.curve: %q is not one of mee6, linear, thresholds", l.Curve)
}

func newComputed(next func(int) int64) *Curve {
	c := &Curve{next: next}
	total := int64(0)
	for n := 0; n < maxLevel; n++ {
		total += next(n)
		c.totals = append(c.totals, total)
	}
	return c
}

// Level returns the level reached with xp total XP.
func (c *Curve) Level(xp int64) int {
	// Number of thresholds ≤ xp.
	return sort.Search(len(c.totals), func(i int) bool { return c.totals[i] > xp })
}

// Progress returns, for a total xp, the level, the XP gained within it and
// the XP the level spans. At the top of a fixed list span is 0.
func (c *Curve) Progress(xp int64) (level int, into, span int64) {
	level = c.Level(xp)
	var floor int64
	if level > 0 {
		floor = c.totals[level-1]
	}
	if level >= len(c.totals) {
		return level, xp - floor, 0
	}
	return level, xp - floor, c.totals[level] - floor
}

// Total returns the total XP needed to reach level (0 for level 0).
func (c *Curve) Total(level int) int64 {
	if level <= 0 {
		return 0
	}
	if level > len(c.totals) {
		level = len(c.totals)
	}
	return c.totals[level-1]
}
