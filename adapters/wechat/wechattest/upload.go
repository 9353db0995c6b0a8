package wechattest

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
)

// Media upload (file.…/webwxuploadmedia): multipart, checked against the
// session and the webwx_data_ticket cookie set at login.

// Upload is a file the client uploaded.
type Upload struct {
	To        string
	ToKey     string
	Name      string
	MediaType string
	Data      []byte
	MediaID   string
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	fail := func(ret int, msg string) {
		writeJSON(w, map[string]any{"BaseResponse": baseResponse{Ret: ret, ErrMsg: msg}, "MediaId": ""})
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		fail(1, "not multipart")
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	fields := map[string]string{}
	var data []byte
	name := ""
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p)
		if p.FormName() == "filename" {
			data, name = b, p.FileName()
		} else {
			fields[p.FormName()] = string(b)
		}
	}
	var req struct {
		BaseRequest baseRequest
		ToUserName  string
	}
	_ = json.Unmarshal([]byte(fields["uploadmediarequest"]), &req)
	switch {
	case s.skey == "" || req.BaseRequest.Skey != s.skey:
		fail(1101, "session expired")
		return
	case fields["webwx_data_ticket"] != s.dataTkt:
		fail(1, "bad webwx_data_ticket")
		return
	}
	if ret := s.failing("webwxuploadmedia"); ret != 0 {
		fail(ret, "refused")
		return
	}
	s.seq++
	id := "@media_" + strconv.FormatInt(s.seq, 10)
	s.uploads = append(s.uploads, Upload{To: req.ToUserName, ToKey: s.byUser[req.ToUserName], Name: name,
		MediaType: fields["mediatype"], Data: data, MediaID: id})
	writeJSON(w, map[string]any{"BaseResponse": baseResponse{}, "MediaId": id, "StartPos": len(data)})
}

// Uploads returns the files uploaded so far.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}
