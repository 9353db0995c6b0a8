package checkin_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pulsebot/pulse/bot/checkin"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// inGroup runs fn on a fresh group in one write transaction.
func inGroup(t *testing.T, fn func(g *store.Group) error) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pulse.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(context.Background(), func(tx *store.Tx) error {
		g, err := tx.Group("test/1")
		if err != nil {
			return err
		}
		return fn(g)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestRecordAndMakeup walks one member through check-ins on days 10, 11
// and 13, a late event for day 9, and a make-up of day 12.
func TestRecordAndMakeup(t *testing.T) {
	const id = "ann"
	inGroup(t, func(g *store.Group) error {
		m, err := g.MemberW(id)
		if err != nil {
			return err
		}
		steps := []struct {
			day                 calendar.Day
			streak, cur, best   int64
			order, last, checks int64
		}{
			{day: 10, streak: 1, cur: 1, best: 1, order: 1, last: 10, checks: 1},
			{day: 11, streak: 2, cur: 2, best: 2, order: 1, last: 11, checks: 2},
			{day: 13, streak: 1, cur: 1, best: 2, order: 1, last: 13, checks: 3},
			// Late: day 9 earns on the run ending at 9 (just 9); today's streak stays 1.
			{day: 9, streak: 1, cur: 1, best: 2, order: 1, last: 13, checks: 4},
		}
		for _, s := range steps {
			agg, err := g.DayW(s.day, id)
			if err != nil {
				return err
			}
			streak, err := checkin.Record(g, id, m, agg, s.day)
			if err != nil {
				return err
			}
			if streak != s.streak || m.Streak != s.cur || m.BestStreak != s.best || agg.CheckinOrder != s.order || int64(m.LastCheckin) != s.last || m.Checkins != s.checks {
				t.Errorf("day %d: streak %d, member %+v, order %d; want streak %d cur %d best %d order %d last %d checkins %d",
					s.day, streak, m, agg.CheckinOrder, s.streak, s.cur, s.best, s.order, s.last, s.checks)
			}
		}
		if d, err := checkin.LastMissed(g, id, 9, 13); err != nil || d != 12 {
			t.Errorf("LastMissed(9..13) = %d, %v; want 12", d, err)
		}
		if d, err := checkin.LastMissed(g, id, 9, 11); err != nil || d != 0 {
			t.Errorf("LastMissed(9..11) = %d, %v; want none", d, err)
		}
		if err := checkin.Makeup(g, id, m, 12); err != nil {
			return err
		}
		// 9..13 is now unbroken.
		if m.Streak != 5 || m.BestStreak != 5 || m.Checkins != 5 {
			t.Errorf("after make-up: %+v, want streak 5, best 5, 5 check-ins", m)
		}
		gd, err := g.GroupDayW(12)
		if err != nil {
			return err
		}
		if gd.Makeups != 1 || gd.Checkins != 0 {
			t.Errorf("day 12 counts %+v, want 1 make-up, 0 check-ins", gd)
		}
		return nil
	})
}

func TestCurrent(t *testing.T) {
	tests := []struct {
		last   calendar.Day
		streak int64
		today  calendar.Day
		want   int64
	}{
		{0, 0, 10, 0},
		{10, 3, 10, 3}, // checked in today
		{9, 3, 10, 3},  // yesterday: still alive
		{8, 3, 10, 0},  // a day missed: broken
	}
	for _, tt := range tests {
		m := &store.Member{LastCheckin: tt.last, Streak: tt.streak}
		if got := checkin.Current(m, tt.today); got != tt.want {
			t.Errorf("Current(last %d, streak %d, today %d) = %d, want %d", tt.last, tt.streak, tt.today, got, tt.want)
		}
	}
}
