package discordtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestRESTRateLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fail    Failure
		retry   string
		reset   string
		scope   string
		global  bool
		seconds float64
	}{
		{"route", Failure{Method: "POST", Path: "/api/v9/channels/*/messages", Status: 429, RetryAfter: 1500 * time.Millisecond}, "2", "1.500", "user", false, 1.5},
		{"global", Failure{Path: "/api/v9/channels/110/messages", Status: 429, RetryAfter: 250 * time.Millisecond, Global: true}, "1", "0.250", "global", true, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Options{})
			s.Fail(tc.fail)
			post := func() (*http.Response, []byte) {
				return call(t, s, "POST", "/api/v9/channels/110/messages", map[string]any{"content": "x"}, botAuth)
			}
			resp, body := post()
			if resp.StatusCode != 429 {
				t.Fatalf("status %d %s, want 429", resp.StatusCode, body)
			}
			h := resp.Header
			if h.Get("Retry-After") != tc.retry || h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Reset-After") != tc.reset ||
				h.Get("X-RateLimit-Scope") != tc.scope || (h.Get("X-RateLimit-Global") == "true") != tc.global || h.Get("X-RateLimit-Bucket") == "" {
				t.Errorf("headers %v", h)
			}
			var rl struct {
				Message    string  `json:"message"`
				RetryAfter float64 `json:"retry_after"`
				Global     bool    `json:"global"`
			}
			if json.Unmarshal(body, &rl) != nil || rl.RetryAfter != tc.seconds || rl.Global != tc.global || rl.Message != "You are being rate limited." {
				t.Errorf("body %s", body)
			}
			// One failure was injected: the retry succeeds.
			if resp, body := post(); resp.StatusCode != 200 {
				t.Errorf("retry: %d %s", resp.StatusCode, body)
			}
			var statuses []int
			for _, r := range s.Requests() {
				statuses = append(statuses, r.Status)
			}
			if !slices.Equal(statuses, []int{429, 200}) {
				t.Errorf("recorded statuses %v", statuses)
			}
		})
	}

	t.Run("RateLimit", func(t *testing.T) {
		s := newTestServer(t, Options{})
		s.RateLimit("GET", "/api/v9/users/@me", 3*time.Second)
		// Another method or route is not limited.
		if resp, _ := call(t, s, "POST", "/api/v9/channels/110/messages", map[string]any{"content": "x"}, botAuth); resp.StatusCode != 200 {
			t.Errorf("other route: %d", resp.StatusCode)
		}
		resp, body := call(t, s, "GET", "/api/v9/users/@me", nil, botAuth)
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" || decode(t, body)["retry_after"] != 3.0 {
			t.Errorf("got %d %v %s", resp.StatusCode, resp.Header, body)
		}
		if resp, _ := call(t, s, "GET", "/api/v9/users/@me", nil, botAuth); resp.StatusCode != 200 {
			t.Errorf("after the limit: %d", resp.StatusCode)
		}
	})
}

func TestRESTFailureTimes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		times int
		want  []int
	}{
		{"once by default", 0, []int{503, 200, 200}},
		{"twice", 2, []int{503, 503, 200}},
		{"always", -1, []int{503, 503, 503}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Options{})
			s.Fail(Failure{Method: "GET", Path: "/api/v9/gateway", Status: 503, Times: tc.times})
			var got []int
			for range tc.want {
				resp, body := call(t, s, "GET", "/api/v9/gateway", nil, botAuth)
				got = append(got, resp.StatusCode)
				if resp.StatusCode == 503 && decode(t, body)["message"] != "Service Unavailable" {
					t.Errorf("default message %s", body)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
		})
	}
}
