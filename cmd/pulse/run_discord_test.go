package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/adapters/discord/discordtest"
)

// TestRunDiscord runs `pulse run` the way an operator does, with a config
// whose discord section points at a loopback fake of Discord, and a
// member checks in with a text command.
func TestRunDiscord(t *testing.T) {
	const guild, general = "100000000000000001", "100000000000000002"
	alice := discordtest.User{ID: "100000000000000010", Username: "alice"}
	fake := discordtest.NewServer(discordtest.Options{Guilds: []discordtest.Guild{{
		ID: guild, Name: "Club", OwnerID: alice.ID, SystemChannelID: general,
		Roles:    []discordtest.Role{{ID: guild, Name: "@everyone", Permissions: discordtest.PermViewChannel | discordtest.PermSendMessages}},
		Channels: []discordtest.Channel{{ID: general, Name: "general"}},
		Members:  []discordtest.Member{{User: alice, JoinedAt: time.Now().AddDate(0, -1, 0)}},
	}}})
	defer fake.Close()
	t.Setenv("DISCORD_TOKEN", fake.Token)

	dir := t.TempDir()
	db := filepath.Join(dir, "pulse.db")
	cfg := filepath.Join(dir, "pulse.yaml")
	os.WriteFile(cfg, []byte(`db: `+db+`
discord:
  enabled: true
  token: ${DISCORD_TOKEN}
  message_content: true
  rest_url: `+fake.URL+`
`), 0o600)

	inR, inW := io.Pipe()
	defer inW.Close()
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int)
	go func() {
		done <- pulse(ctx, &env{stdin: inR, stdout: &out, stderr: &errb, getenv: os.Getenv}, []string{"run", "-config", cfg})
	}()
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := fake.WaitGateway(wctx, func(s discordtest.GatewayStats) bool { return s.Live }); err != nil {
		t.Fatalf("no gateway session: %v\n%s", err, errb.String())
	}
	fake.MessageCreate(discordtest.Message{ChannelID: general, Author: alice, Content: "!checkin"})
	if _, err := fake.WaitRequest(wctx, func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.HasSuffix(r.Path, "/channels/"+general+"/messages") && strings.Contains(string(r.Body), "checked in")
	}); err != nil {
		t.Fatalf("no check-in answer: %v\n%s", err, errb.String())
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
	code, mout, _ := run(t, "", "members", "-db", db, "-group", "discord/"+guild, "-json")
	if code != 0 || !strings.Contains(mout, `"checkins": 1`) || !strings.Contains(mout, `"alice"`) {
		t.Errorf("members after run: %d %s", code, mout)
	}
}
