package discordtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
	"unicode/utf16"
)

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
