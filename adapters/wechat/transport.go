package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/eatmoreapple/openwechat"
)

// OriginalHostHeader carries the host a request was meant for when the
// base_url option sends all traffic to one server (a protocol relay or the
// wechattest fake), so that it can route by it.
const OriginalHostHeader = "X-Original-Host"

// maxInspect bounds what is read of a response the transport looks into.
const maxInspect = 8 << 20

// transport is the RoundTripper of one session's openwechat HTTP client.
//
//   - With a base URL it sends every request there, keeping the original
//     host in OriginalHostHeader (openwechat's login URLs are constants and
//     its domain is overwritten at login, so this is the only way to route
//     all of its traffic).
//   - It turns a non-zero BaseResponse.Ret of webwxsync, which openwechat
//     never checks, and a non-zero <ret> of the login page into errors
//     carrying the retcode, so that 1205 backs off instead of spinning and
//     1203 is explained.
//   - Cookies set in answer to the adapter's own requests (sends, member
//     lists) are not stored at once: openwechat's cookie jar keeps a map
//     without a lock, written by every response with cookies, so they are
//     stored on the sync goroutine (see session.onSyncCheck).
type transport struct {
	inner http.RoundTripper
	base  *url.URL // nil: WeChat's own hosts
	s     *session
}

// mineKey marks the context of requests the adapter makes itself.
type mineKey struct{}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req
	if t.base != nil {
		out = req.Clone(req.Context())
		out.URL.Scheme = t.base.Scheme
		out.URL.Host = t.base.Host
		if p := strings.TrimSuffix(t.base.Path, "/"); p != "" {
			out.URL.Path = p + req.URL.Path
			out.URL.RawPath = ""
		}
		out.Host = t.base.Host
		out.Header.Set(OriginalHostHeader, req.URL.Host)
	}
	resp, err := t.inner.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	resp.Request = req
	if req.Context().Value(mineKey{}) != nil && t.s != nil {
		if cs := resp.Cookies(); len(cs) > 0 {
			t.s.deferCookies(req.URL, cs)
			resp.Header.Del("Set-Cookie")
		}
	}
	switch path := req.URL.Path; {
	case strings.HasSuffix(path, "/webwxsync"):
		return t.checkSync(resp)
	case strings.HasSuffix(path, "/webwxnewloginpage"):
		return checkLoginPage(resp)
	}
	return resp, nil
}

// checkSync fails a webwxsync answer whose BaseResponse.Ret is not 0.
func (t *transport) checkSync(resp *http.Response) (*http.Response, error) {
	body, err := peek(resp)
	if err != nil {
		return nil, err
	}
	var r struct{ BaseResponse struct{ Ret int } }
	if json.Unmarshal(body, &r) == nil && r.BaseResponse.Ret != 0 {
		resp.Body.Close()
		return nil, openwechat.Ret(r.BaseResponse.Ret)
	}
	if t.s != nil {
		t.s.syncOK()
	}
	return resp, nil
}

// checkLoginPage fails a login page whose <ret> is not 0 (1203: this
// account may not use web login).
func checkLoginPage(resp *http.Response) (*http.Response, error) {
	body, err := peek(resp)
	if err != nil {
		return nil, err
	}
	var r struct {
		Ret int `xml:"ret"`
	}
	if xml.Unmarshal(body, &r) == nil && r.Ret != 0 {
		resp.Body.Close()
		return nil, openwechat.Ret(r.Ret)
	}
	return resp, nil
}

// peek reads the body and puts it back for the caller.
func peek(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxInspect))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// mine marks ctx as the adapter's own.
func mine(ctx context.Context) context.Context { return context.WithValue(ctx, mineKey{}, true) }

// cookieBox holds cookies waiting to be stored on the sync goroutine.
type cookieBox struct {
	mu   sync.Mutex
	list []deferred
}

type deferred struct {
	u  *url.URL
	cs []*http.Cookie
}

func (b *cookieBox) add(u *url.URL, cs []*http.Cookie) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.list) < 256 {
		b.list = append(b.list, deferred{u, cs})
	}
}

func (b *cookieBox) take() []deferred {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.list
	b.list = nil
	return l
}
