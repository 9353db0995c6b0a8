package discordtest

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Failure is an injected REST failure: the next Times requests (1 if 0;
// all if negative) matching Method and Path ("*" for one segment) get
// Status, with Code and Message in the body. A Status of 429 also sets
// retry_after and the rate limit headers from RetryAfter.
type Failure struct {
	Method     string
	Path       string
	Status     int
	Code       int
	Message    string
	RetryAfter time.Duration
	Global     bool
	Times      int
}

// Fail injects a failure.
func (s *Server) Fail(f Failure) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &f)
}

// RateLimit makes the next request matching method and path answer 429
// with retry_after.
func (s *Server) RateLimit(method, path string, retryAfter time.Duration) {
	s.Fail(Failure{Method: method, Path: path, Status: http.StatusTooManyRequests, RetryAfter: retryAfter,
		Message: "You are being rate limited."})
}

// ForbidRoles makes adding roles in a server fail with 403 Missing
// Permissions (50013), as when the bot lacks Manage Roles or the role is
// above the bot's, until times requests have failed (all if negative).
func (s *Server) ForbidRoles(guild string, times int) {
	s.Fail(Failure{Method: http.MethodPut, Path: "/api/v9/guilds/" + guild + "/members/*/roles/*", Status: http.StatusForbidden,
		Code: CodeMissingPermissions, Message: "Missing Permissions", Times: times})
}

// takeFailure returns the failure for a request, if one is due; s.mu held.
func (s *Server) takeFailure(method, p string) *Failure {
	for i, f := range s.failures {
		if (f.Method == "" || f.Method == method) && matchPath(f.Path, p) {
			cp := *f
			if f.Times > 0 {
				f.Times--
				if f.Times == 0 {
					s.failures = slices.Delete(s.failures, i, i+1)
				}
			}
			return &cp
		}
	}
	return nil
}

// failure answers an injected failure.
func failure(f *Failure) answer {
	if f.Status != http.StatusTooManyRequests {
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		return apiError(f.Status, f.Code, msg)
	}
	secs := f.RetryAfter.Seconds()
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "discordtest")
	h.Set("X-RateLimit-Scope", "user")
	if f.Global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	}
	msg := f.Message
	if msg == "" {
		msg = "You are being rate limited."
	}
	return answer{status: http.StatusTooManyRequests, header: h,
		body: map[string]any{"message": msg, "retry_after": secs, "global": f.Global}}
}
