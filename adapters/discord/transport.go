package discord

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// restClient returns the HTTP client for REST calls: base (or a default
// one) with a Transport that sends requests for discord.com to restURL's
// scheme and host instead. discordgo's endpoints are package variables
// fixed at init, so this is how a proxy, or a test's loopback server, is
// put in front of Discord without touching globals.
func restClient(base *http.Client, restURL string) *http.Client {
	c := &http.Client{Timeout: 30 * time.Second}
	if base != nil {
		cp := *base
		c = &cp
	}
	u, err := url.Parse(restURL)
	if err != nil || restURL == "" || restURL == DefaultRESTURL || restURL == DefaultRESTURL+"/" {
		return c
	}
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c.Transport = &rewrite{base: rt, scheme: u.Scheme, host: u.Host}
	return c
}

// rewrite sends requests for discord.com to another scheme and host.
type rewrite struct {
	base         http.RoundTripper
	scheme, host string
}

func (t *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.scheme, t.host, t.host
	return t.base.RoundTrip(r)
}

// parseSnowflake reads a Discord id.
func parseSnowflake(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) }

// discordEpoch is the first millisecond of 2015, where ids count from.
const discordEpoch = 1420070400000

// snowflakeTime returns the time an id was made; zero if s is not an id.
func snowflakeTime(s string) time.Time {
	id, err := parseSnowflake(s)
	if err != nil || id == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(id>>22) + discordEpoch).UTC()
}
