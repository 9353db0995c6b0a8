package wechattest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

func TestRoutingByHostAndPath(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	for _, tc := range []struct {
		url    string
		status int
	}{
		{loginHost + "/jslogin?appid=x", http.StatusOK},
		{webHost + "/jslogin?appid=x", http.StatusNotFound}, // jslogin lives on login.
		{webHost + cgi + "synccheck", http.StatusNotFound},  // synccheck lives on webpush.
		{webHost + cgi + "webwxuploadmedia", http.StatusNotFound},
		{webHost + cgi + "webwxnosuch", http.StatusNotFound},
	} {
		resp, body := c.do(http.MethodGet, tc.url, "", nil)
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s: %d %q, want %d", tc.url, resp.StatusCode, body, tc.status)
		}
		if resp.Request.URL.String() != tc.url {
			t.Errorf("GET %s: response's request is %s, want the original", tc.url, resp.Request.URL)
		}
	}
	// Every request is counted by its path's last element, answered or not.
	for ep, want := range map[string]int{"jslogin": 2, "synccheck": 1, "webwxnosuch": 1, "webwxinit": 0} {
		if got := s.Count(ep); got != want {
			t.Errorf("Count(%s) = %d, want %d", ep, got, want)
		}
	}
}

// TestOriginalHostHeader: a client pointed straight at URL (the adapter's
// base_url) routes by the header instead of by Transport.
func TestOriginalHostHeader(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/jslogin?appid=x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(wechattest.OriginalHostHeader, "login.wx.qq.com")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "window.QRLogin.code = 200;") {
		t.Fatalf("%s %q, want a QR uuid", resp.Status, body)
	}
}

func TestStatusNotify(t *testing.T) {
	_, c := bookServer(t)
	var a struct{ BaseResponse baseResponse }
	c.post(webHost+cgi+"webwxstatusnotify?lang=zh_CN", map[string]any{"BaseRequest": c.baseRequest(), "Code": 3}, &a)
	if a.BaseResponse.Ret != 0 {
		t.Fatalf("ret = %d", a.BaseResponse.Ret)
	}
}
