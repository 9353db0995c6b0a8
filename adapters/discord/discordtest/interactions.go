package discordtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// interaction is what the fake keeps of an INTERACTION_CREATE to judge
// its callback and follow-up webhooks.
type interaction struct {
	token   string
	created time.Time
	acked   bool
}

// Interaction is an INTERACTION_CREATE for a slash command.
type Interaction struct {
	ID, Token, GuildID, ChannelID string
	// User ran the command; their membership and permissions come from
	// the server.
	User    User
	Name    string
	Options []Option
	// Type is the interaction type; default 2 (application command).
	Type int
}

// Option is a slash command option as sent: a value, or a subcommand's
// options. User options (type 6) take the user id as Value and are
// resolved from the server's members.
type Option struct {
	Name    string
	Type    int
	Value   any
	Options []Option
}

// InteractionCreate dispatches INTERACTION_CREATE and returns it with ID,
// Token and GuildID filled. Its callback must come within the
// interaction deadline.
func (s *Server) InteractionCreate(in Interaction) Interaction {
	s.mu.Lock()
	if in.ID == "" {
		in.ID = s.newID()
	}
	if in.Token == "" {
		in.Token = "itoken-" + in.ID
	}
	if in.GuildID == "" {
		in.GuildID, _ = s.channelGuild(in.ChannelID)
	}
	if in.Type == 0 {
		in.Type = 2
	}
	g := s.guilds[in.GuildID]
	users, members := map[string]any{}, map[string]any{}
	var walk func([]Option) []map[string]any
	walk = func(opts []Option) []map[string]any {
		out := []map[string]any{}
		for _, o := range opts {
			w := map[string]any{"name": o.Name, "type": o.Type}
			if o.Options != nil || o.Type == 1 || o.Type == 2 {
				w["options"] = walk(o.Options)
			} else {
				w["value"] = o.Value
			}
			if id, ok := o.Value.(string); ok && o.Type == 6 && g != nil {
				if m := findMember(g, id); m != nil {
					users[id] = m.User
					members[id] = partialMember(*m)
				} else {
					users[id] = User{ID: id, Username: "user" + id}
				}
			}
			out = append(out, w)
		}
		return out
	}
	data := map[string]any{"id": "cmd-" + in.Name, "name": in.Name, "type": 1, "options": walk(in.Options)}
	if len(users) > 0 {
		data["resolved"] = map[string]any{"users": users, "members": members}
	}
	w := map[string]any{
		"id": in.ID, "application_id": s.AppID, "type": in.Type, "token": in.Token, "version": 1,
		"channel_id": in.ChannelID, "locale": "en-US", "context": 0, "data": data,
	}
	if g != nil {
		member := Member{User: in.User, Roles: []string{}}
		if m := findMember(g, in.User.ID); m != nil {
			member = *m
		}
		mw := memberWire(member)
		mw["permissions"] = strconv.FormatInt(s.permissions(g.ID, in.User.ID), 10)
		w["guild_id"], w["member"], w["guild_locale"] = g.ID, mw, "en-US"
		w["app_permissions"] = strconv.FormatInt(s.permissions(g.ID, s.Bot.ID), 10)
	} else {
		w["user"] = in.User
	}
	s.interactions[in.ID] = &interaction{token: in.Token, created: time.Now()}
	s.mu.Unlock()
	s.Dispatch("INTERACTION_CREATE", w)
	return in
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
