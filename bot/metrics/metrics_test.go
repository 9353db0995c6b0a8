package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/bot/transcript"
	"github.com/pulsebot/pulse/calendar"
)

// load replays a transcript through the real core and store.
func load(t *testing.T, file, zone string) *bot.Bot {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	s := bot.DefaultSettings()
	s.Location = loc
	b := bottest.New(t, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), bot.Options{Seed: 1, Settings: bottest.Settings(s)})
	bottest.Replay(t, b, filepath.Join("testdata", file), transcript.Options{Group: "console/test", Location: loc, Bots: []string{"robot"}})
	return b
}

// TestHandComputed checks every metric against values worked out by hand
// from the fixtures (the arithmetic is in the comments of each case).
func TestHandComputed(t *testing.T) {
	null := any(nil)
	tests := []struct {
		name, file, zone, at string
		days                 int
		want, prev           map[string]any
		segments             map[string]any
	}{{
		// Window 03-09..03-15 Shanghai. Active: 03-09 a,c (c at 23:59 local);
		// 03-10 a; 03-11 a,e; 03-12..15 a → 9 member-days.
		name: "A current week", file: "fixture_a.txt", zone: "Asia/Shanghai", at: "2026-03-15", days: 7,
		want: map[string]any{
			"members": 5.0, "dau": 1.2857, "wau": 3.0, "mau": 4.0, "stickiness": 0.3214,
			"messages": 13.0, "active_members": 3.0, "messages_per_active": 4.3333,
			"interaction_rate": 0.2308, // e's reply, a's @c, c's reaction to a: 3 of 13
			"new_members":      2.0, "left_members": 1.0, "net_members": 1.0,
			"activation":     0.5, // e active the day after joining, f never
			"retention_wow":  0.5, // of a,b (03-02..08), a came back
			"silent_members": 1.0, "silent_ratio": 0.2, "churn_risk": 0.0,
			"checkins": 3.0, "checkin_rate": 0.0857, // 3 ÷ (5 members × 7 days)
		},
		prev: map[string]any{
			"members": 4.0, "dau": 1.4286, "wau": 2.0, "mau": 2.0, "stickiness": 0.7143,
			"messages": 10.0, "active_members": 2.0, "messages_per_active": 5.0, "interaction_rate": 0.0,
			"new_members": 0.0, "left_members": 0.0, "net_members": 0.0, "activation": null,
			"retention_wow": 1.0, "silent_members": 2.0, "silent_ratio": 0.5, "churn_risk": 0.0,
			"checkins": 0.0, "checkin_rate": 0.0,
		},
		// f joined on 03-13 and never spoke: silent (as silent_members counts
		// it), a silent newcomer, not "new"; e joined and spoke: new.
		segments: map[string]any{"new": 1.0, "core": 1.0, "active": 1.0, "casual": 1.0, "silent": 1.0, "at_risk": 0.0,
			"silent_names": []any{"f"}, "silent_new_names": []any{"f"}},
	}, {
		// 02-14..03-15: a 15 gm + 3 check-ins + 1 mention, b 3, c 1, e 1.
		name: "A in a 30-day window", file: "fixture_a.txt", zone: "Asia/Shanghai", at: "2026-03-15", days: 30,
		want: map[string]any{"members": 5.0, "new_members": 6.0, "left_members": 1.0, "messages": 24.0, "active_members": 4.0,
			"activation": 0.5}, // of a,b,c,d,e,f: a,b,e active within 7 days of joining; c only on day 9
	}, {
		// The group's first day, 03-01, falls inside 02-27..03-05: the
		// window starts there (5 days). Active: a on 03-01..05, b on 03-02
		// and 03-05 → 7 member-days ÷ 5 days. Nothing before to compare.
		name: "A first day inside the window", file: "fixture_a.txt", zone: "Asia/Shanghai", at: "2026-03-05", days: 7,
		want: map[string]any{"since": "2026-03-01", "from": "2026-03-01", "days": 5.0, "previous_days": 0.0,
			"dau": 1.4, "messages": 7.0, "members": 4.0, "checkin_rate": 0.0},
		prev: map[string]any{"messages": 0.0, "members": 0.0},
	}, {
		// 03-03..03-09 against 02-24..03-02, cut to 03-01..03-02: a on
		// both days, b on 03-02 → 3 member-days ÷ 2 days, 3 messages.
		name: "A previous window cut at the first day", file: "fixture_a.txt", zone: "Asia/Shanghai", at: "2026-03-09", days: 7,
		want: map[string]any{"days": 7.0, "previous_days": 2.0, "previous_from": "2026-03-01", "previous_to": "2026-03-02"},
		prev: map[string]any{"dau": 1.5, "messages": 3.0},
	}, {
		// 2026-03-08T16:30Z is 03-09 00:30 in Shanghai: that day's message.
		name: "D Shanghai day", file: "fixture_d.txt", zone: "Asia/Shanghai", at: "2026-03-09", days: 1,
		want: map[string]any{"messages": 1.0, "dau": 1.0, "members": 1.0},
		prev: map[string]any{"messages": 0.0, "members": 0.0},
	}, {
		// …and still 03-08 in UTC.
		name: "D UTC day", file: "fixture_d.txt", zone: "UTC", at: "2026-03-09", days: 1,
		want: map[string]any{"messages": 0.0, "dau": 0.0, "members": 1.0},
		prev: map[string]any{"messages": 1.0, "members": 1.0},
	}, {
		name: "B churn risk", file: "fixture_b.txt", zone: "UTC", at: "2026-04-30", days: 7,
		want: map[string]any{"members": 3.0, "churn_risk": 1.0, "silent_members": 2.0, "silent_ratio": 0.6667,
			"wau": 1.0, "mau": 1.0, "messages": 1.0, "dau": 0.1429, "left_members": 0.0},
		segments: map[string]any{"active": 1.0, "silent": 2.0, "at_risk": 1.0, "at_risk_names": []any{"g"}, "silent_names": []any{"g", "i"}},
	}, {
		// Window 03-09..03-15 UTC. g joined 03-02, never left as far as
		// Pulse saw, and joined again 03-09 (the notice repeated at the same
		// second is the same join): 1 join in this window. g was active
		// 03-12, 3 days after that latest join → activation 1 of 1.
		// The week before (03-02..03-08): joins g 03-02, h 03-03 → 2; h
		// active 03-04, g not active by 03-08 → activation 1 of 2.
		name: "E rejoin", file: "fixture_e.txt", zone: "UTC", at: "2026-03-15", days: 7,
		want: map[string]any{"new_members": 1.0, "left_members": 0.0, "net_members": 1.0, "activation": 1.0, "members": 2.0},
		prev: map[string]any{"new_members": 2.0, "left_members": 0.0, "activation": 0.5, "members": 2.0},
	}, {
		// 03-02..03-15: joins g, h, g again → 3 (a rejoin counts). Of the
		// 2 members who joined, h was active the day after joining and g 3
		// days after the latest join (not within 7 days of the first,
		// 03-02..03-08) → activation 2 of 2.
		name: "E rejoin in a 14-day window", file: "fixture_e.txt", zone: "UTC", at: "2026-03-15", days: 14,
		want: map[string]any{"new_members": 3.0, "net_members": 3.0, "activation": 1.0, "members": 2.0, "messages": 2.0},
	}, {
		name: "C no activity", file: "fixture_c.txt", zone: "UTC", at: "2026-03-03", days: 7,
		want: map[string]any{"members": 2.0, "dau": 0.0, "wau": 0.0, "mau": 0.0, "stickiness": null, "messages": 0.0,
			"messages_per_active": null, "interaction_rate": null, "new_members": 2.0, "activation": 0.0,
			"retention_wow": null, "silent_members": 2.0, "silent_ratio": 1.0, "checkin_rate": 0.0},
		// Both joined and never spoke: silent newcomers, and no one is "new".
		segments: map[string]any{"new": 0.0, "silent": 2.0, "silent_new_names": []any{"x", "y"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := load(t, tt.file, tt.zone)
			to, _ := calendar.ParseDay(tt.at)
			rep, err := b.Report(context.Background(), "console/test", to, tt.days)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(rep)
			var got map[string]any
			json.Unmarshal(raw, &got)
			check := func(where string, got, want map[string]any) {
				for k, w := range want {
					g, ok := got[k]
					if !ok {
						t.Errorf("%s: no key %q", where, k)
						continue
					}
					if wf, ok := w.(float64); ok {
						if gf, ok := g.(float64); !ok || math.Abs(gf-wf) > 1e-4 {
							t.Errorf("%s %s = %v, want %v", where, k, g, w)
						}
						continue
					}
					gj, _ := json.Marshal(g)
					wj, _ := json.Marshal(w)
					if !bytes.Equal(gj, wj) {
						t.Errorf("%s %s = %s, want %s", where, k, gj, wj)
					}
				}
			}
			check("current", got, tt.want)
			if tt.prev != nil {
				check("previous", got["previous"].(map[string]any), tt.prev)
			}
			if tt.segments != nil {
				check("segments", got["segments"].(map[string]any), tt.segments)
			}
		})
	}
}

func TestUnknownGroup(t *testing.T) {
	b := load(t, "fixture_c.txt", "UTC")
	if _, err := b.Report(context.Background(), "console/nope", 20000, 7); err == nil {
		t.Fatal("report of an unknown group succeeded")
	}
}
