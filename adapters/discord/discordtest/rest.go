package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
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

func (s *Server) user(id string) User {
	for _, g := range s.guilds {
		if m := findMember(g, id); m != nil {
			return m.User
		}
	}
	return User{ID: id, Username: "user" + id}
}

func (s *Server) interactionByToken(token string) *interaction {
	for _, in := range s.interactions {
		if in.token == token {
			return in
		}
	}
	return nil
}

// callback answers POST /interactions/{id}/{token}/callback.
func (s *Server) callback(id, token string, rec Request) answer {
	in := s.interactions[id]
	if in == nil || in.token != token || time.Since(in.created) > s.o.InteractionDeadline {
		return apiError(http.StatusNotFound, CodeUnknownInteraction, "Unknown interaction")
	}
	if in.acked {
		return apiError(http.StatusBadRequest, CodeAlreadyAcknowledged, "Interaction has already been acknowledged.")
	}
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(rec.Body, &cb) != nil {
		return apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body")
	}
	switch cb.Type {
	case 4:
		if msg := checkMessage(cb.Data, len(rec.Files)); msg != "" {
			return apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body: "+msg)
		}
	case 5, 6, 7, 8, 9:
	default:
		return apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body: bad callback type")
	}
	in.acked = true
	return answer{status: http.StatusNoContent}
}

// createMessage answers a message post (channel "" for webhooks).
func (s *Server) createMessage(channel string, rec Request) answer {
	guild := ""
	if channel != "" {
		g, ok := s.channelGuild(channel)
		if !ok {
			return apiError(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
		}
		guild = g
	}
	if msg := checkMessage(rec.Body, len(rec.Files)); msg != "" {
		return apiError(http.StatusBadRequest, CodeInvalidFormBody, "Invalid Form Body: "+msg)
	}
	var in struct {
		Content   string            `json:"content"`
		Embeds    []json.RawMessage `json:"embeds"`
		Reference json.RawMessage   `json:"message_reference"`
	}
	_ = json.Unmarshal(rec.Body, &in)
	var atts []map[string]any
	for _, f := range rec.Files {
		atts = append(atts, map[string]any{"id": s.newID(), "filename": f.Name, "size": len(f.Data), "content_type": f.ContentType,
			"url": s.URL + "/attachments/" + f.Name})
	}
	out := map[string]any{
		"id": s.newID(), "channel_id": channel, "author": s.Bot, "content": in.Content,
		"timestamp": s.o.Clock().UTC().Format(time.RFC3339Nano), "tts": false, "mention_everyone": false,
		"mentions": []any{}, "mention_roles": []any{}, "attachments": nonNilAny(atts), "embeds": nonNilRaw(in.Embeds),
		"pinned": false, "type": 0,
	}
	if guild != "" {
		out["guild_id"] = guild
	}
	if len(in.Reference) > 0 && string(in.Reference) != "null" {
		out["type"] = 19
		out["message_reference"] = in.Reference
	}
	return answer{status: 200, body: out}
}

func nonNilAny(s []map[string]any) any {
	if s == nil {
		return []any{}
	}
	return s
}

func nonNilRaw(s []json.RawMessage) any {
	if s == nil {
		return []any{}
	}
	return s
}

// checkMessage applies Discord's limits to a message body; "" if fine.
func checkMessage(body []byte, files int) string {
	var m struct {
		Content string `json:"content"`
		Embeds  []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"embeds"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
			Roles []string `json:"roles"`
		} `json:"allowed_mentions"`
	}
	if len(body) > 0 && json.Unmarshal(body, &m) != nil {
		return "body is not a JSON object"
	}
	if units(m.Content) > 2000 {
		return "content: Must be 2000 or fewer in length."
	}
	if len(m.Embeds) > 10 {
		return "embeds: Must be 10 or fewer in length."
	}
	total := 0
	for _, e := range m.Embeds {
		if units(e.Description) > 4096 {
			return "embeds.description: Must be 4096 or fewer in length."
		}
		total += units(e.Title) + units(e.Description)
	}
	if total > 6000 {
		return "embeds: Embed size exceeds maximum size of 6000"
	}
	if m.Content == "" && len(m.Embeds) == 0 && files == 0 {
		return "Cannot send an empty message"
	}
	if am := m.AllowedMentions; am != nil {
		for _, p := range am.Parse {
			if p != "users" && p != "roles" && p != "everyone" {
				return "allowed_mentions.parse: bad type " + p
			}
		}
		if slices.Contains(am.Parse, "users") && len(am.Users) > 0 || slices.Contains(am.Parse, "roles") && len(am.Roles) > 0 {
			return "allowed_mentions: parse and a list are mutually exclusive"
		}
		if len(am.Users) > 100 || len(am.Roles) > 100 {
			return "allowed_mentions: at most 100 ids"
		}
	}
	return ""
}

func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// memberRole adds or removes a member's role and dispatches
// GUILD_MEMBER_UPDATE, as Discord does.
func (s *Server) memberRole(add bool, guild, user, role string) answer {
	g := s.guilds[guild]
	if g == nil {
		return apiError(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	m := findMember(g, user)
	if m == nil {
		return apiError(http.StatusNotFound, CodeUnknownMember, "Unknown Member")
	}
	if !slices.ContainsFunc(g.Roles, func(r Role) bool { return r.ID == role }) {
		return apiError(http.StatusNotFound, CodeUnknownRole, "Unknown Role")
	}
	has := slices.Contains(m.Roles, role)
	switch {
	case add && !has:
		m.Roles = append(m.Roles, role)
	case !add && has:
		m.Roles = slices.DeleteFunc(m.Roles, func(r string) bool { return r == role })
	default:
		return answer{status: http.StatusNoContent}
	}
	w := memberWire(*m) // copies the roles
	w["guild_id"] = guild
	return answer{status: http.StatusNoContent, after: func() { s.Dispatch("GUILD_MEMBER_UPDATE", w) }}
}
