package discordtest

import "encoding/json"

type logged struct {
	seq   int64
	frame []byte
}

// session is a gateway session: its sequence and the dispatches kept for
// RESUME.
type session struct {
	id     string
	seq    int64
	log    []logged
	replay int // extra already-seen dispatches to replay on the next resume
}

// resume replays what the session missed (and, after ReplayOnResume,
// some dispatches it had already seen), then RESUMED; an unknown session
// or a sequence no longer kept gets op 9 (invalid session).
func (s *Server) resume(c *conn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &rs) != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	if !s.tokenOK(rs.Token) {
		c.close(4004, "Authentication failed.")
		return false
	}
	s.dmu.Lock()
	defer s.dmu.Unlock()
	ss := s.sess
	if ss == nil || ss.id != rs.SessionID || len(ss.log) > 0 && ss.log[0].seq > rs.Seq+1 || rs.Seq > ss.seq {
		s.mu.Lock()
		s.gw.Invalid++
		s.notify()
		s.mu.Unlock()
		return c.write([]byte(`{"op":9,"d":false}`)) == nil
	}
	from := rs.Seq - int64(ss.replay)
	ss.replay = 0
	s.conn = c
	for _, l := range ss.log {
		if l.seq > from {
			if c.write(l.frame) != nil {
				s.conn = nil
				return false
			}
			s.mu.Lock()
			s.gw.Dispatched++
			s.mu.Unlock()
		}
	}
	if !s.dispatchLocked("RESUMED", map[string]any{"_trace": []string{"discordtest"}}) {
		return false
	}
	s.mu.Lock()
	s.gw.Resumes++
	s.mu.Unlock()
	s.setLive(true)
	return true
}

// ReplayOnResume makes the next RESUME replay the last n dispatches the
// client had already received too, as duplicates, on top of those it
// missed.
func (s *Server) ReplayOnResume(n int) {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.sess != nil {
		s.sess.replay = n
	}
}

// InvalidateSession forgets the session, so the next RESUME is refused
// and the client must identify again.
func (s *Server) InvalidateSession() {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.sess != nil {
		s.sess.id = "invalidated-" + s.sess.id
	}
}
