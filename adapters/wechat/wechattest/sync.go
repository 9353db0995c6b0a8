package wechattest

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// The message stream: messages tests queue, synccheck's long poll that
// tells of them (or of a retcode such as 1101), and webwxsync that
// delivers each once.

type wireMsg struct {
	kind          int
	group, member string // keys
	text          string
	id            string
	created       int64
	self          bool
	raw           string // system text
}

// Say queues a text message from a member to a group and returns its
// MsgId.
func (s *Server) Say(groupKey, member, text string) string {
	return s.SayID(groupKey, member, text, "")
}

// SayID queues a text message with a given MsgId ("" for a new one); the
// same id again is a replay.
func (s *Server) SayID(groupKey, member, text, id string) string {
	return s.push(wireMsg{kind: 1, group: groupKey, member: member, text: text, id: id})
}

// Picture queues an image message from a member.
func (s *Server) Picture(groupKey, member string) string {
	return s.push(wireMsg{kind: 3, group: groupKey, member: member, text: "<msg><img/></msg>"})
}

// System queues a system message (type 10000) in a group, such as
// `"A"邀请"B、C"加入了群聊`, and returns its MsgId.
func (s *Server) System(groupKey, text string) string {
	return s.SystemID(groupKey, text, "")
}

// SystemID queues a system message with a given MsgId.
func (s *Server) SystemID(groupKey, text, id string) string {
	return s.push(wireMsg{kind: 10000, group: groupKey, raw: text, id: id})
}

// SelfSay queues a message the bot's account sent from the phone.
func (s *Server) SelfSay(groupKey, text string) string {
	return s.push(wireMsg{kind: 1, group: groupKey, text: text, self: true})
}

func (s *Server) push(m wireMsg) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.id == "" {
		s.seq++
		m.id = strconv.FormatInt(4_000_000_000+s.seq, 10)
	}
	m.created = s.now().Unix()
	s.queue = append(s.queue, m)
	s.wake()
	return m.id
}

// SetSyncRetcode makes synccheck answer retcode code (0 clears): 1100,
// 1101 and 1102 also end the session, once; other codes (1205) repeat
// until cleared.
func (s *Server) SetSyncRetcode(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncRet, s.syncN = code, -1
	if code == 1100 || code == 1101 || code == 1102 {
		s.syncN = 1
	}
	s.wake()
}

func (s *Server) syncKeyWire() map[string]any {
	return map[string]any{"Count": 1, "List": []map[string]int64{{"Key": 1, "Val": s.syncKey}}}
}

func (s *Server) synccheck(w http.ResponseWriter, r *http.Request) {
	answer := func(ret, sel string) {
		fmt.Fprintf(w, `window.synccheck={retcode:"%s",selector:"%s"}`, ret, sel)
	}
	for first := true; ; first = false {
		if s.syncRet != 0 {
			code := s.syncRet
			if s.syncN > 0 {
				if s.syncN--; s.syncN == 0 {
					s.syncRet = 0
				}
			}
			if code == 1100 || code == 1101 || code == 1102 {
				s.skey = ""
			}
			answer(strconv.Itoa(code), "0")
			return
		}
		if s.skey == "" || r.URL.Query().Get("skey") != s.skey {
			answer("1101", "0")
			return
		}
		if len(s.queue) > 0 || s.fail["webwxsync"] != nil {
			answer("0", "2")
			return
		}
		if !first {
			answer("0", "0")
			return
		}
		s.wait(r)
		if r.Context().Err() != nil {
			return
		}
	}
}

type wireMessage struct {
	MsgId        string
	NewMsgId     int64
	MsgType      int
	FromUserName string
	ToUserName   string
	Content      string
	CreateTime   int64
	Status       int
}

func (s *Server) sync(w http.ResponseWriter, r *http.Request) {
	if ret := s.failing("webwxsync"); ret != 0 {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret}, "AddMsgCount": 0, "AddMsgList": []any{}})
		return
	}
	if !s.decode(r, nil) {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: 1101}})
		return
	}
	msgs := make([]wireMessage, 0, len(s.queue))
	self := s.user("self")
	for _, m := range s.queue {
		id, _ := strconv.ParseInt(m.id, 10, 64)
		wm := wireMessage{MsgId: m.id, NewMsgId: id, MsgType: m.kind, CreateTime: m.created, Status: 3,
			FromUserName: s.groupUser(m.group), ToUserName: self}
		switch {
		case m.kind == 10000:
			wm.Content = html.EscapeString(m.raw)
		case m.self:
			wm.FromUserName, wm.ToUserName = self, s.groupUser(m.group)
			wm.Content = escape(m.text)
		default:
			wm.Content = s.user(m.member) + ":<br/>" + escape(m.text)
		}
		msgs = append(msgs, wm)
	}
	s.queue = nil
	s.syncKey++
	writeJSON(w, map[string]any{
		"BaseResponse": baseResponse{}, "AddMsgCount": len(msgs), "AddMsgList": msgs,
		"SyncKey": s.syncKeyWire(), "SyncCheckKey": s.syncKeyWire(),
	})
}

// escape renders text as WeChat's web protocol does: HTML entities and
// <br/> for line ends.
func escape(text string) string {
	return strings.ReplaceAll(html.EscapeString(text), "\n", "<br/>")
}
