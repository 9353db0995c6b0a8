package discordtest

import (
	"encoding/json"
	"testing"
)

func TestGatewayResume(t *testing.T) {
	s := newTestServer(t, Options{})
	c, session, seq := connect(t, s)
	s.Drop()
	if _, err := c.readErr(); err == nil {
		t.Fatal("connection still open after Drop")
	}
	waitLive(t, s, false)
	// Dispatches while disconnected are kept for the session.
	s.Dispatch("TEST_A", map[string]int{"n": 1})
	s.Dispatch("TEST_B", json.RawMessage(`{"n":2}`))

	c = dial(t, s)
	c.hello()
	c.resume(session, seq)
	a, b := c.expect("TEST_A"), c.expect("TEST_B")
	if *a.S != seq+1 || *b.S != seq+2 || string(b.D) != `{"n":2}` {
		t.Errorf("replay s=%d %s, s=%d %s", *a.S, a.D, *b.S, b.D)
	}
	if r := c.expect("RESUMED"); *r.S != seq+3 {
		t.Errorf("RESUMED s=%d, want %d", *r.S, seq+3)
	}
	waitLive(t, s, true)
	// The session goes on live.
	s.Dispatch("TEST_C", map[string]int{"n": 3})
	if f := c.expect("TEST_C"); *f.S != seq+4 {
		t.Errorf("live s=%d, want %d", *f.S, seq+4)
	}
	if st := s.Stats(); st.Resumes != 1 || st.Identifies != 1 || st.Connects != 2 || st.Invalid != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestGatewayReplayOnResume(t *testing.T) {
	s := newTestServer(t, Options{})
	c, session, seq := connect(t, s)
	s.Dispatch("SEEN", map[string]int{})
	c.expect("SEEN")
	s.ReplayOnResume(1)
	s.Drop()

	c = dial(t, s)
	c.hello()
	c.resume(session, seq+1)
	// The client had SEEN; it comes again as a duplicate.
	if f := c.expect("SEEN"); *f.S != seq+1 {
		t.Errorf("duplicate s=%d, want %d", *f.S, seq+1)
	}
	c.expect("RESUMED")
}

func TestGatewayInvalidSession(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    Options
		prepare func(s *Server)
		resume  func(session string, seq int64) (string, int64)
	}{
		{"wrong session id", Options{}, nil, func(_ string, seq int64) (string, int64) { return "other", seq }},
		{"sequence ahead of the server", Options{}, nil, func(id string, seq int64) (string, int64) { return id, seq + 1 }},
		{"invalidated session", Options{}, func(s *Server) { s.InvalidateSession() }, func(id string, seq int64) (string, int64) { return id, seq }},
		// With a log of one, the events after 0 are no longer all kept.
		{"sequence no longer kept", Options{EventLog: 1}, nil, func(id string, _ int64) (string, int64) { return id, 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.opts)
			_, session, seq := connect(t, s)
			s.Drop()
			if tc.prepare != nil {
				tc.prepare(s)
			}
			c := dial(t, s)
			c.hello()
			c.resume(tc.resume(session, seq))
			f := c.read()
			if f.Op != 9 || string(f.D) != "false" {
				t.Fatalf("got op %d %s, want op 9 false", f.Op, f.D)
			}
			// The connection stays open to identify again.
			c.identify(0)
			if r := c.expect("READY"); *r.S != 1 {
				t.Errorf("new session starts at s=%d", *r.S)
			}
			if st := s.Stats(); st.Invalid != 1 || st.Resumes != 0 || st.Identifies != 2 {
				t.Errorf("stats %+v", st)
			}
		})
	}

	t.Run("no session yet", func(t *testing.T) {
		s := newTestServer(t, Options{})
		c := dial(t, s)
		c.hello()
		c.resume("any", 0)
		if f := c.read(); f.Op != 9 {
			t.Fatalf("got op %d, want 9", f.Op)
		}
	})
}
