package wechattest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Logging in: a QR code (jslogin, then login polls until confirmed), a
// push to the phone (webwxpushloginurl), the redirect to
// webwxnewloginpage that sets the session and its cookies, and webwxinit.

type login struct {
	push      bool
	confirmed bool
	scanned   bool // 201 told
}

// Confirm scans and confirms every login waiting (QR or push): the next
// poll says "scanned" (201), the one after "confirmed" (200).
func (s *Server) Confirm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.uuids {
		l.confirmed = true
	}
	s.wake()
}

// Pending reports whether a login is waiting for Confirm.
func (s *Server) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.uuids {
		if !l.confirmed {
			return true
		}
	}
	return false
}

// Logins returns how many logins completed (QR or push; not reused
// sessions).
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Desktop reports whether the last QR login asked for desktop mode.
func (s *Server) Desktop() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.desktop
}

func (s *Server) newUUID(push bool) string {
	s.seq++
	u := "uuid" + hash("uuid", strconv.FormatInt(s.seq, 10))[:12] + "=="
	s.uuids[u] = &login{push: push}
	return u
}

func (s *Server) jslogin(w http.ResponseWriter, r *http.Request) {
	s.desktop = strings.Contains(r.URL.Query().Get("redirect_uri"), "mod=desktop")
	fmt.Fprintf(w, `window.QRLogin.code = 200; window.QRLogin.uuid = "%s";`, s.newUUID(false))
}

func (s *Server) checkLogin(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("uuid")
	for {
		l := s.uuids[u]
		if l == nil {
			fmt.Fprint(w, `window.code=400;`)
			return
		}
		if s.auto {
			l.confirmed, l.scanned = true, true
		}
		switch {
		case l.confirmed && !l.scanned && !l.push:
			l.scanned = true
			fmt.Fprint(w, `window.code=201;window.userAvatar = 'data:img/jpg;base64,AAAA';`)
			return
		case l.confirmed:
			delete(s.uuids, u)
			s.seq++
			t := "ticket" + strconv.FormatInt(s.seq, 10)
			s.tickets[t] = u
			fmt.Fprintf(w, "window.code=200;\nwindow.redirect_uri=\"https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxnewloginpage?ticket=%s&uuid=%s&lang=zh_CN&scan=%d\";", t, u, s.seq)
			return
		}
		s.wait(r)
		if r.Context().Err() != nil {
			return
		}
		if l2 := s.uuids[u]; l2 == nil || !l2.confirmed {
			if !s.auto {
				fmt.Fprint(w, `window.code=408;`)
				return
			}
		}
	}
}

func (s *Server) newLoginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	if ret := s.failing("webwxnewloginpage"); ret != 0 {
		fmt.Fprintf(w, "<error><ret>%d</ret><message>refused</message></error>", ret)
		return
	}
	t := r.URL.Query().Get("ticket")
	if _, ok := s.tickets[t]; !ok {
		fmt.Fprint(w, "<error><ret>1</ret><message>bad ticket</message></error>")
		return
	}
	delete(s.tickets, t)
	// A new login: new UserNames for everyone, a new session.
	s.gen++
	s.logins++
	s.rename()
	s.sessions++
	s.skey = "@crypt_" + hash("skey", strconv.Itoa(s.sessions))[:16]
	s.dataTkt = "tkt" + hash("ticket", strconv.Itoa(s.sessions))[:16]
	for _, c := range []*http.Cookie{
		{Name: "webwx_data_ticket", Value: s.dataTkt},
		{Name: "wxuin", Value: strconv.FormatInt(s.uin, 10)},
		{Name: "wxsid", Value: "sid" + strconv.Itoa(s.sessions)},
	} {
		c.Domain, c.Path = "wx.qq.com", "/"
		http.SetCookie(w, c)
	}
	fmt.Fprintf(w, "<error><ret>0</ret><message></message><skey>%s</skey><wxsid>sid%d</wxsid><wxuin>%d</wxuin><pass_ticket>pt%d</pass_ticket><isgrayscale>1</isgrayscale></error>",
		s.skey, s.sessions, s.uin, s.sessions)
}

func (s *Server) pushLogin(w http.ResponseWriter, r *http.Request) {
	if s.noPush || r.URL.Query().Get("uin") != strconv.FormatInt(s.uin, 10) {
		writeJSON(w, map[string]string{"ret": "1", "msg": "push login refused"})
		return
	}
	writeJSON(w, map[string]string{"ret": "0", "msg": "all ok", "uuid": s.newUUID(true)})
}

func (s *Server) webInit(w http.ResponseWriter, r *http.Request) {
	if !s.decode(r, nil) {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: 1101, ErrMsg: "session expired"}})
		return
	}
	var recent []wireUser
	for _, g := range s.groups {
		recent = append(recent, s.groupWire(g, false))
	}
	writeJSON(w, map[string]any{
		"BaseResponse": baseResponse{}, "Count": len(recent), "ContactList": recent,
		"SyncKey": s.syncKeyWire(), "User": s.selfUser(), "SKey": s.skey,
	})
}
