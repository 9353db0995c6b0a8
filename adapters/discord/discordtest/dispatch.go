package discordtest

import (
	"encoding/json"
	"strconv"
)

// Dispatch sends an event (op 0) with the next sequence number; data is
// encoded as JSON, or used as it is if it is a json.RawMessage. Without a
// live connection it is kept for the session's RESUME; before any
// session it is lost, as on Discord.
func (s *Server) Dispatch(event string, data any) {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	s.dispatchLocked(event, data)
}

// dispatchLocked sends with s.dmu held; false if the connection failed.
func (s *Server) dispatchLocked(event string, data any) bool {
	if s.sess == nil {
		return true
	}
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			panic("discordtest: " + err.Error())
		}
	}
	s.sess.seq++
	seq := s.sess.seq
	// {"op":0,"d":...,"s":seq,"t":"EVENT"}, built by hand: payloads may be
	// large and pre-encoded (json.RawMessage is used as it is).
	b := make([]byte, 0, len(raw)+len(event)+48)
	b = append(b, `{"op":0,"d":`...)
	b = append(b, raw...)
	b = append(b, `,"s":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `,"t":`...)
	b = strconv.AppendQuote(b, event)
	b = append(b, '}')
	s.sess.log = append(s.sess.log, logged{seq, b})
	if len(s.sess.log) >= 2*s.o.EventLog { // trimmed in bulk: amortised O(1)
		s.sess.log = append(s.sess.log[:0:0], s.sess.log[len(s.sess.log)-s.o.EventLog:]...)
	}
	if s.conn == nil {
		return true
	}
	if err := s.conn.write(b); err != nil {
		_ = s.conn.ws.Close()
		s.conn = nil
		s.setLive(false)
		return false
	}
	s.mu.Lock()
	s.gw.Dispatched++
	s.mu.Unlock()
	return true
}
