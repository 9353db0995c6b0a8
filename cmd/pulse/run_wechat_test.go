package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/wechat/wechattest"
)

// TestRunWeChat runs `pulse run` with a wechat section pointed at a
// loopback fake of WeChat's web protocol: the QR login is shown, and a
// member's 签到 in the group is answered there.
func TestRunWeChat(t *testing.T) {
	srv := wechattest.NewServer()
	defer srv.Close()
	srv.AddGroup("book", "读书会", "olivia",
		wechattest.Member{Key: "olivia", Nick: "Olivia"},
		wechattest.Member{Key: "alice", Nick: "Alice"},
	)
	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	cfg := filepath.Join(dir, "pulse.yaml")
	os.WriteFile(cfg, []byte("db: "+db+"\nwechat:\n  enabled: true\n  base_url: "+srv.URL+"\n"), 0o600)

	inR, inW := io.Pipe()
	defer inW.Close()
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int)
	go func() {
		done <- pulse(ctx, &env{stdin: inR, stdout: &out, stderr: &errb, getenv: os.Getenv}, []string{"run", "-config", cfg})
	}()
	deadline := time.Now().Add(20 * time.Second)
	sent := func(sub string) bool {
		for _, s := range srv.Sent() {
			if s.ToKey == "book" && strings.Contains(s.Content, sub) {
				return true
			}
		}
		return false
	}
	answered := func() bool { return sent("签到成功") }
	said := false
	for !answered() {
		if time.Now().After(deadline) {
			t.Fatalf("no answer in the group; log:\n%s", errb.String())
		}
		if !said && srv.LoggedIn() {
			srv.Say("book", "alice", "签到")
			said = true
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Help lists the adapter's own commands next to the core's.
	srv.Say("book", "alice", "帮助")
	for !sent("认领 旧昵称") {
		if time.Now().After(deadline) {
			t.Fatalf("help lacks 认领; sent: %v", srv.Sent())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(db + ".wechat-login.json"); err != nil {
		t.Errorf("login storage: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop")
	}
	// The adapter's log lines are named once, by the host, and say
	// nothing of the platform in the message itself.
	logged := false
	for _, line := range strings.Split(errb.String(), "\n") {
		if n := strings.Count(line, "adapter=wechat"); n > 1 || n == 1 && strings.Contains(line, "msg=\"wechat:") {
			t.Errorf("log line %q", line)
		} else if strings.Contains(line, "adapter=wechat") && strings.Contains(line, "logged in") {
			logged = true
		}
	}
	if !logged {
		t.Errorf("the login is not logged with adapter=wechat:\n%s", errb.String())
	}
	code, mout, _ := run(t, "", "members", "-db", db, "-group", "wechat/读书会", "-json")
	if code != 0 || !strings.Contains(mout, `"Alice"`) || !strings.Contains(mout, `"checkins": 1`) {
		t.Errorf("members: %d %s", code, mout)
	}
}
