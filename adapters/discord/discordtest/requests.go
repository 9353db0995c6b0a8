package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Request is a REST request the fake received.
type Request struct {
	Method string
	Path   string // e.g. /api/v9/channels/1/messages
	Query  url.Values
	Header http.Header
	// Body is the JSON body, or the payload_json part of a multipart body.
	Body  []byte
	Files []File
	// Status is the status the fake answered with.
	Status int
	Time   time.Time
}

// File is a file uploaded with a multipart request.
type File struct {
	Field, Name, ContentType string
	Data                     []byte
}

// Decode decodes the JSON body into v.
func (r Request) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// JSON returns the body decoded as a JSON object (nil if it is not one).
func (r Request) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return nil
	}
	return m
}

// Match reports whether the request has the method and a path matching
// pattern, in which "*" stands for one path segment.
func (r Request) Match(method, pattern string) bool {
	return (method == "" || r.Method == method) && matchPath(pattern, r.Path)
}

func matchPath(pattern, p string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(p, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// Requests returns every request so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Find returns the requests with the method (any if "") whose path
// matches pattern ("*" for one segment), oldest first.
func (s *Server) Find(method, pattern string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Match(method, pattern) {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequest waits for a successful (2xx) request, old or new, for which
// match is true.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var found Request
	err := s.wait(ctx, func() bool {
		for _, r := range s.requests {
			if r.Status < 300 && match(r) {
				found = r
				return true
			}
		}
		return false
	})
	if err != nil {
		return Request{}, fmt.Errorf("discordtest: no such request: %w", err)
	}
	return found, nil
}
