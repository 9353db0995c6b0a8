package bottest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/bottest"
	"github.com/pulsebot/pulse/bot/transcript"
)

// TestReplay: a replayed transcript is committed before Replay returns,
// and the replies come back in order.
func TestReplay(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	s := bot.DefaultSettings()
	s.Locale = "en"
	b := bottest.New(t, now, bot.Options{Seed: 1, Settings: bottest.Settings(s)})
	file := filepath.Join(t.TempDir(), "t.txt")
	in := "# two members\n[2026-03-02 09:00] alice: hello\n[2026-03-02 09:01] bob: /checkin\n[2026-03-02 09:02] alice: /checkin\n"
	if err := os.WriteFile(file, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	replies := bottest.Replay(t, b, file, transcript.Options{Group: "console/t"})
	if len(replies) != 2 || !strings.Contains(replies[0].Text, "bob") || !strings.Contains(replies[1].Text, "alice") {
		t.Fatalf("replies %+v, want bob's then alice's check-in", replies)
	}
	ms, err := b.Members(context.Background(), "console/t", now)
	if err != nil || len(ms) != 2 {
		t.Fatalf("members %+v, %v; want alice and bob", ms, err)
	}
}
