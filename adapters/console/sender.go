package console

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pulsebot/pulse/bot"
)

// Sender prints what the bot says on its own (digests) to the console:
// group posts as "pulse: " lines, direct messages as "pulse → NAME: ".
type Sender struct {
	mu  sync.Mutex
	out io.Writer
}

// NewSender writes to out.
func NewSender(out io.Writer) *Sender { return &Sender{out: out} }

// Send implements bot.Sender.
func (s *Sender) Send(_ context.Context, r bot.Reply) error {
	prefix := Prefix
	if r.Direct {
		prefix = "pulse → " + r.To + ": "
	}
	var b strings.Builder
	for _, line := range strings.Split(r.Text, "\n") {
		b.WriteString(prefix + line + "\n")
	}
	if r.Image != nil {
		fmt.Fprintf(&b, "%s[image %s, %d bytes]\n", prefix, r.Image.Name, len(r.Image.Data))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.WriteString(s.out, b.String()); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}
