package wechattest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Session and identity state shared by every endpoint: the change signal
// long polls wait on, the UserNames of this login generation, and the
// session a test can end from the server's side. The unexported helpers
// run with s.mu held.

func (s *Server) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait waits up to the hold for a change, with s.mu held (it is released
// while waiting).
func (s *Server) wait(r *http.Request) {
	ch, d := s.changed, s.hold
	s.mu.Unlock()
	t := time.NewTimer(d)
	select {
	case <-ch:
	case <-t.C:
	case <-r.Context().Done():
	}
	t.Stop()
	s.mu.Lock()
}

func hash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

func (s *Server) user(key string) string { return "@" + hash("p", key, strconv.Itoa(s.gen)) }

func (s *Server) groupUser(key string) string { return "@@" + hash("g", key, strconv.Itoa(s.gen)) }

// rename recomputes the UserName index of this generation.
func (s *Server) rename() {
	s.byUser = map[string]string{s.user("self"): "self"}
	for k := range s.people {
		s.byUser[s.user(k)] = k
	}
	for _, g := range s.groups {
		s.byUser[s.groupUser(g.key)] = g.key
	}
}

// UserName returns the current UserName of a person or group key.
func (s *Server) UserName(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.groups {
		if g.key == key {
			return s.groupUser(g.key)
		}
	}
	return s.user(key)
}

// ExpireSessions ends the current session on the server's side without
// telling the client: reusing its cookies fails (1101).
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skey = ""
	s.wake()
}

// LoggedIn reports whether a session is valid.
func (s *Server) LoggedIn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skey != ""
}
