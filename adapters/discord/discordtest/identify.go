package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

func (s *Server) tokenOK(token string) bool {
	return strings.TrimPrefix(token, "Bot ") == s.Token
}

// identify starts a new session: READY, then GUILD_CREATE per server.
func (s *Server) identify(c *conn, d json.RawMessage) bool {
	var id struct {
		Token   string `json:"token"`
		Intents int64  `json:"intents"`
		Shard   []int  `json:"shard"`
	}
	if json.Unmarshal(d, &id) != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	if !s.tokenOK(id.Token) {
		c.close(4004, "Authentication failed.")
		return false
	}
	if id.Intents&s.o.DeniedIntents != 0 {
		c.close(4014, "Disallowed intent(s).")
		return false
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	s.dmu.Lock()
	defer s.dmu.Unlock()
	s.sess = &session{id: hex.EncodeToString(b[:])}
	s.conn = c
	s.mu.Lock()
	s.gw.Identifies++
	s.gw.Intents, s.gw.Shard = id.Intents, id.Shard
	order := slices.Clone(s.order)
	var stubs []map[string]any
	for _, gid := range order {
		stubs = append(stubs, map[string]any{"id": gid, "unavailable": true})
	}
	s.mu.Unlock()
	ready := map[string]any{
		"v": 9, "user": s.Bot, "session_id": s.sess.id, "resume_gateway_url": s.GatewayURL(),
		"application": map[string]any{"id": s.AppID, "flags": 0}, "guilds": stubs, "private_channels": []any{},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	if !s.dispatchLocked("READY", ready) {
		return false
	}
	for _, gid := range order {
		s.mu.Lock()
		g := s.guilds[gid]
		var wire map[string]any
		if g != nil {
			wire = guildWire(g)
		}
		s.mu.Unlock()
		if wire != nil && !s.dispatchLocked("GUILD_CREATE", wire) {
			return false
		}
	}
	s.setLive(true)
	return true
}
