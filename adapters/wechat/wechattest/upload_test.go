package wechattest_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"testing"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

type uploadAnswer struct {
	BaseResponse baseResponse
	MediaId      string
	StartPos     int
}

// upload posts a file as openwechat does: multipart fields beside the
// file, among them the webwx_data_ticket cookie's value.
func (c *client) upload(to, ticket string, data []byte) uploadAnswer {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	req, _ := json.Marshal(map[string]any{"UploadType": 2, "BaseRequest": c.baseRequest(), "ClientMediaId": 1,
		"TotalLen": len(data), "StartPos": 0, "DataLen": len(data), "MediaType": 4,
		"FromUserName": c.s.UserName("self"), "ToUserName": to, "FileMd5": "x"})
	for _, f := range [][2]string{
		{"id", "WU_FILE_0"}, {"name", "cat.png"}, {"type", "image/png"}, {"mediatype", "pic"},
		{"uploadmediarequest", string(req)}, {"webwx_data_ticket", ticket}, {"pass_ticket", c.passTicket},
	} {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			c.t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("filename", "cat.png")
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	_, body := c.do("POST", fileHost+cgi+"webwxuploadmedia?f=json", mw.FormDataContentType(), buf.Bytes())
	var a uploadAnswer
	if err := jsonUnmarshal(body, &a); err != nil {
		c.t.Fatalf("webwxuploadmedia: %q: %v", body, err)
	}
	return a
}

// dataTicket is the webwx_data_ticket cookie the jar holds for the upload
// host.
func (c *client) dataTicket() string {
	u, _ := url.Parse(fileHost)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "webwx_data_ticket" {
			return ck.Value
		}
	}
	c.t.Fatal("no webwx_data_ticket cookie for " + fileHost)
	return ""
}

func TestUpload(t *testing.T) {
	data := []byte("\x89PNG fake image")
	for _, tc := range []struct {
		name   string
		ticket func(c *client) string
		skey   string // "" keeps the session's
		fail   int    // injected ret
		ret    int
	}{
		{"cookie ticket", (*client).dataTicket, "", 0, 0},
		{"wrong ticket", func(*client) string { return "tktwrong" }, "", 0, 1},
		{"no ticket", func(*client) string { return "" }, "", 0, 1},
		{"wrong session", (*client).dataTicket, "@crypt_wrong", 0, 1101},
		{"refused", (*client).dataTicket, "", 1205, 1205},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := bookServer(t)
			ticket := tc.ticket(c)
			if tc.skey != "" {
				c.skey = tc.skey
			}
			if tc.fail != 0 {
				s.Fail("webwxuploadmedia", tc.fail, 1)
			}
			a := c.upload(s.UserName("book"), ticket, data)
			if a.BaseResponse.Ret != tc.ret {
				t.Fatalf("ret = %d (%s), want %d", a.BaseResponse.Ret, a.BaseResponse.ErrMsg, tc.ret)
			}
			if tc.ret != 0 {
				if a.MediaId != "" || len(s.Uploads()) != 0 {
					t.Fatalf("refused upload: MediaId %q, Uploads %d", a.MediaId, len(s.Uploads()))
				}
				return
			}
			if a.MediaId == "" || a.StartPos != len(data) {
				t.Fatalf("answer = %+v, want a MediaId and StartPos %d", a, len(data))
			}
			want := wechattest.Upload{To: s.UserName("book"), ToKey: "book", Name: "cat.png", MediaType: "pic", MediaID: a.MediaId}
			ups := s.Uploads()
			if len(ups) != 1 {
				t.Fatalf("Uploads = %d, want 1", len(ups))
			}
			got := ups[0]
			if !bytes.Equal(got.Data, data) {
				t.Errorf("Data = %q, want %q", got.Data, data)
			}
			if got.To != want.To || got.ToKey != want.ToKey || got.Name != want.Name || got.MediaType != want.MediaType || got.MediaID != want.MediaID {
				t.Errorf("Upload = %+v, want %+v", got, want)
			}
		})
	}
}

func TestUploadWithoutContentType(t *testing.T) {
	_, c := bookServer(t)
	_, body := c.do("POST", fileHost+cgi+"webwxuploadmedia?f=json", "", []byte("{}"))
	var a uploadAnswer
	if err := jsonUnmarshal(body, &a); err != nil || a.BaseResponse.Ret != 1 {
		t.Fatalf("answer %q (%v), want ret 1", body, err)
	}
}
