package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// GatewayStats count what happened on the gateway.
type GatewayStats struct {
	Connects   int // websocket connections accepted
	Identifies int // op 2
	Resumes    int // op 6 answered with a replay and RESUMED
	Invalid    int // op 6 refused with op 9 (invalid session)
	Heartbeats int // op 1 answered with op 11
	Dispatched int // dispatches written (replays included)
	// Live is true while a client holds a session on an open connection.
	Live bool
	// Intents and Shard of the last Identify.
	Intents int64
	Shard   []int
	// Requested lists the servers whose members were asked for (op 8).
	Requested []string
}

// Stats returns the gateway counters.
func (s *Server) Stats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.gw
	st.Shard, st.Requested = slices.Clone(st.Shard), slices.Clone(st.Requested)
	return st
}

// WaitGateway waits until cond holds for the gateway counters.
func (s *Server) WaitGateway(ctx context.Context, cond func(GatewayStats) bool) error {
	return s.wait(ctx, func() bool { return cond(s.gw) })
}

type gatewayStats = GatewayStats

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

type conn struct {
	ws  *websocket.Conn
	wmu sync.Mutex
}

func (c *conn) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(30 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

func (c *conn) close(code int, text string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Get("v") != "" && q.Get("v") != "9" || q.Get("encoding") != "" && q.Get("encoding") != "json" {
		http.Error(w, "unsupported gateway version or encoding", http.StatusBadRequest)
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	defer func() {
		s.dmu.Lock()
		if s.conn == c {
			s.conn = nil
			s.setLive(false)
		}
		s.dmu.Unlock()
		_ = ws.Close()
	}()
	s.mu.Lock()
	s.gw.Connects++
	s.notify()
	s.mu.Unlock()
	hello, _ := json.Marshal(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": s.o.HeartbeatInterval.Milliseconds()}})
	if c.write(hello) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(msg, &f) != nil {
			c.close(4002, "Error while decoding payload.")
			return
		}
		switch f.Op {
		case 1:
			s.mu.Lock()
			s.gw.Heartbeats++
			s.notify()
			s.mu.Unlock()
			if c.write([]byte(`{"op":11}`)) != nil {
				return
			}
		case 2:
			if !s.identify(c, f.D) {
				return
			}
		case 6:
			if !s.resume(c, f.D) {
				return
			}
		case 8:
			s.requestMembers(f.D)
		case 3, 4:
		default:
			c.close(4001, "Unknown opcode.")
			return
		}
	}
}

func (s *Server) setLive(live bool) {
	s.mu.Lock()
	s.gw.Live = live
	s.notify()
	s.mu.Unlock()
}

// Drop closes the gateway connection abruptly (no close frame), as a
// network failure does. The session survives for RESUME.
func (s *Server) Drop() {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.conn == nil {
		return
	}
	_ = s.conn.ws.UnderlyingConn().Close()
	s.conn = nil
	s.setLive(false)
}
