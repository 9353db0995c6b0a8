// Logging out through openwechat races inside openwechat v1.4.8: Logout
// calls Exit, which writes the bot's state without a lock while its sync
// goroutine reads it (Alive), so the race detector fails this test in
// openwechat's own code. The adapter itself never calls Logout (a stopped
// adapter keeps its session for the next start); this test only checks
// that the fake answers webwxlogout the way openwechat expects.

//go:build !race

package wechat_test

import (
	"context"
	"testing"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

func TestFakeLogout(t *testing.T) {
	srv := wechattest.NewServer()
	defer srv.Close()
	// A long poll that outlasts the logout: otherwise the poll may see the
	// ended session first and openwechat cancels the logout request.
	srv.SetHold(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b := openwechat.NewBot(ctx)
	openwechat.Desktop.Prepare(b)
	b.Caller.Client.HTTPClient().Transport = srv.Transport()
	b.UUIDCallback = func(string) {}
	b.SyncCheckCallback = nil
	if err := b.Login(); err != nil {
		t.Fatal(err)
	}
	if !srv.LoggedIn() {
		t.Fatal("the fake has no session after login")
	}
	// Wait for the poll to be parked in the fake (it counts under the
	// server's lock and lets go of it only to wait), so it cannot see the
	// ended session before the logout is answered.
	for deadline := time.Now().Add(10 * time.Second); srv.Count("synccheck") == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no poll")
		}
		time.Sleep(time.Millisecond)
	}
	if err := b.Logout(); err != nil {
		t.Fatal(err)
	}
	<-b.Context().Done()
	if srv.LoggedIn() || srv.Count("webwxlogout") != 1 {
		t.Errorf("after Logout: logged in %v, %d logouts", srv.LoggedIn(), srv.Count("webwxlogout"))
	}
}
