package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"
)

const apiPrefix = "/api/v9"

// answer is a REST response.
type answer struct {
	status int
	body   any
	header http.Header
	after  func() // runs after the response is written (dispatches)
}

func apiError(status, code int, msg string) answer {
	return answer{status: status, body: map[string]any{"code": code, "message": msg}}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, files, err := readBody(r)
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Files: files, Time: time.Now()}
	var a answer
	s.mu.Lock()
	switch {
	case err != nil:
		a = apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body: "+err.Error())
	default:
		if f := s.takeFailure(r.Method, r.URL.Path); f != nil {
			a = failure(f)
		} else {
			a = s.route(r, rec)
		}
	}
	rec.Status = a.status
	s.requests = append(s.requests, rec)
	s.notify()
	s.mu.Unlock()

	if a.after != nil {
		// Discord's gateway update may arrive before the REST answer.
		a.after()
	}
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	if h.Get("X-RateLimit-Limit") == "" {
		h.Set("X-RateLimit-Limit", "50")
		h.Set("X-RateLimit-Remaining", "49")
		h.Set("X-RateLimit-Reset-After", "0.001")
		h.Set("X-RateLimit-Bucket", bucketOf(r.URL.Path))
	}
	if a.body == nil {
		w.WriteHeader(a.status)
	} else {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_ = json.NewEncoder(w).Encode(a.body)
	}
}

func bucketOf(p string) string {
	f := strings.Split(strings.TrimPrefix(p, apiPrefix+"/"), "/")
	if len(f) > 2 {
		f = f[:2]
	}
	return strings.Join(f, ":")
}

// readBody reads a JSON body, or a multipart body's payload_json and
// files.
func readBody(r *http.Request) ([]byte, []File, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		b, err := io.ReadAll(r.Body)
		return b, nil, err
	}
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		return nil, nil, err
	}
	var body []byte
	if v := r.MultipartForm.Value["payload_json"]; len(v) > 0 {
		body = []byte(v[0])
	}
	var files []File
	for field, fhs := range r.MultipartForm.File {
		for _, fh := range fhs {
			f, err := fh.Open()
			if err != nil {
				return nil, nil, err
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return nil, nil, err
			}
			files = append(files, File{Field: field, Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Field < files[j].Field })
	return body, files, nil
}

// route answers a request; s.mu is held.
func (s *Server) route(r *http.Request, rec Request) answer {
	p, ok := strings.CutPrefix(r.URL.Path, apiPrefix+"/")
	if !ok {
		return apiError(http.StatusNotFound, 0, "404: Not Found")
	}
	seg := strings.Split(p, "/")
	m := r.Method
	authed := r.Header.Get("Authorization") == "Bot "+s.Token
	is := func(method string, pattern ...string) bool {
		if m != method || len(seg) != len(pattern) {
			return false
		}
		for i, x := range pattern {
			if x != "*" && x != seg[i] {
				return false
			}
		}
		return true
	}
	// Interaction callbacks and webhooks are authorised by their token.
	needsAuth := !(len(seg) > 0 && (seg[0] == "interactions" || seg[0] == "webhooks"))
	if needsAuth && !authed {
		return apiError(http.StatusUnauthorized, 0, "401: Unauthorized")
	}
	switch {
	case is("GET", "gateway"):
		return answer{status: 200, body: map[string]any{"url": s.GatewayURL()}}
	case is("GET", "gateway", "bot"):
		return answer{status: 200, body: map[string]any{"url": s.GatewayURL(), "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}}
	case is("GET", "users", "@me"):
		return answer{status: 200, body: s.Bot}
	case is("POST", "channels", "*", "messages"):
		return s.createMessage(seg[1], rec)
	case is("POST", "users", "@me", "channels"):
		var b struct {
			RecipientID string `json:"recipient_id"`
		}
		if json.Unmarshal(rec.Body, &b) != nil || b.RecipientID == "" {
			return apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body")
		}
		id := ""
		for ch, u := range s.dms {
			if u == b.RecipientID {
				id = ch
			}
		}
		if id == "" {
			id = s.newID()
			s.dms[id] = b.RecipientID
		}
		return answer{status: 200, body: map[string]any{"id": id, "type": 1, "recipients": []User{s.user(b.RecipientID)}}}
	case is("PUT", "guilds", "*", "members", "*", "roles", "*"), is("DELETE", "guilds", "*", "members", "*", "roles", "*"):
		return s.memberRole(m == "PUT", seg[1], seg[3], seg[5])
	case is("PUT", "applications", "*", "commands"), is("PUT", "applications", "*", "guilds", "*", "commands"):
		if seg[1] != s.AppID {
			return apiError(http.StatusForbidden, CodeMissingAccess, "Missing Access")
		}
		if len(seg) == 5 && s.guilds[seg[3]] == nil {
			return apiError(http.StatusForbidden, CodeMissingAccess, "Missing Access")
		}
		var cmds []map[string]any
		if json.Unmarshal(rec.Body, &cmds) != nil {
			return apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body")
		}
		for _, c := range cmds {
			if name, _ := c["name"].(string); name == "" || len(name) > 32 || strings.ToLower(name) != name {
				return apiError(http.StatusBadRequest, CodeInvalidFormBody, fmt.Sprintf("Invalid Form Body: bad command name %q", name))
			}
			c["id"], c["application_id"], c["version"] = s.newID(), s.AppID, "1"
			if len(seg) == 5 {
				c["guild_id"] = seg[3]
			}
		}
		return answer{status: 200, body: cmds}
	case is("POST", "interactions", "*", "*", "callback"):
		return s.callback(seg[1], seg[2], rec)
	case is("PATCH", "webhooks", "*", "*", "messages", "*"), is("DELETE", "webhooks", "*", "*", "messages", "*"), is("POST", "webhooks", "*", "*"):
		if seg[1] != s.AppID {
			return apiError(http.StatusNotFound, CodeUnknownWebhook, "Unknown Webhook")
		}
		in := s.interactionByToken(seg[2])
		if in == nil || !in.acked {
			return apiError(http.StatusNotFound, CodeUnknownWebhook, "Unknown Webhook")
		}
		if m == "DELETE" {
			return answer{status: http.StatusNoContent}
		}
		a := s.createMessage("", rec)
		if m == "POST" && rec.Query.Get("wait") != "true" && a.status == 200 {
			a = answer{status: http.StatusNoContent}
		}
		return a
	}
	return apiError(http.StatusNotFound, 0, "404: Not Found")
}
