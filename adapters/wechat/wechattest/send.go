package wechattest

import (
	"net/http"
	"strconv"
	"strings"
)

// Sending: webwxsendmsg and webwxsendmsgimg are recorded for tests to
// read, refused when a test injects a retcode (1205), and echoed into the
// stream as WeChat does.

// Sent is a message the client sent.
type Sent struct {
	Type    int    // 1 text, 3 image
	From    string // UserName
	To      string // UserName
	ToKey   string // the recipient's key ("" if unknown)
	Content string // text
	MediaID string // images
}

func (s *Server) sendMsg(w http.ResponseWriter, r *http.Request, ep string) {
	var req struct {
		Msg struct {
			Type                                       int
			Content, FromUserName, ToUserName, MediaId string
			LocalID, ClientMsgId                       string
		}
	}
	ok := s.decode(r, &req)
	ret := s.failing(ep)
	if ret == 0 && !ok {
		ret = 1101
	}
	if ret != 0 {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}})
		return
	}
	m := req.Msg
	key := s.byUser[m.ToUserName]
	s.sent = append(s.sent, Sent{Type: m.Type, From: m.FromUserName, To: m.ToUserName, ToKey: key, Content: m.Content, MediaID: m.MediaId})
	s.seq++
	id := strconv.FormatInt(5_000_000_000+s.seq, 10)
	if s.echo && strings.HasPrefix(m.ToUserName, "@@") && m.Type == 1 {
		s.queue = append(s.queue, wireMsg{kind: 1, group: key, text: m.Content, self: true, id: id, created: s.now().Unix()})
		s.wake()
	}
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "MsgID": id, "LocalID": m.LocalID})
}

// Sent returns the messages sent so far.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}
