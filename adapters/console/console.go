// Package console is Pulse's account-free adapter: it reads a chat
// transcript (typed live or from a file) and prints the bot's replies. It
// is how to try Pulse and the harness of the golden tests.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pulsebot/pulse/bot"
	"github.com/pulsebot/pulse/bot/transcript"
	"github.com/pulsebot/pulse/calendar"
)

// Core is what the console needs of the bot.
type Core interface {
	Submit(context.Context, bot.Event) (*bot.Pending, error)
}

// Options configure a console session.
type Options struct {
	Group    string         // group key, "console/NAME"
	Location *time.Location // for transcript times without a zone
	Admins   []string
	Owners   []string
	Bots     []string
	Clock    calendar.Clock // time of lines without [TIME]
	// Window bounds events in flight, so a long transcript is committed
	// in groups instead of one transaction per line.
	Window int
	// Errors receives one line per transcript line that cannot be read.
	Errors io.Writer
	Logger *slog.Logger
}

// Stats count what a session did.
type Stats struct {
	Lines, Events, Replies, Errors int
}

// Prefix starts every line the bot prints.
const Prefix = "pulse: "

type inLine struct {
	no   int
	text string
	err  error
}

// Run reads the transcript from in until EOF or ctx ends, feeding every
// line to core in order and writing replies to out as soon as each
// line's events are committed.
func Run(ctx context.Context, core Core, in io.Reader, out io.Writer, o Options) (Stats, error) {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Clock == nil {
		o.Clock = calendar.System{}
	}
	if o.Window <= 0 {
		o.Window = 1024
	}
	if o.Errors == nil {
		o.Errors = io.Discard
	}
	s := transcript.NewSession(transcript.Options{
		Group: o.Group, Location: o.Location, Admins: o.Admins, Owners: o.Owners, Bots: o.Bots, Clock: o.Clock,
	})

	lines := make(chan inLine, 256)
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	go readLines(readCtx, in, lines)

	w := bufio.NewWriter(out)
	defer w.Flush()
	var queue []*bot.Pending
	var st Stats
	flushHead := func() error {
		p := queue[0]
		queue = queue[1:]
		replies, err := p.Wait(ctx)
		if err != nil {
			return err
		}
		for _, r := range replies {
			if r.Text == "" {
				continue // a silent level-up: nothing to say here
			}
			st.Replies++
			for _, line := range strings.Split(r.Text, "\n") {
				fmt.Fprintf(w, "%s%s\n", Prefix, line)
			}
		}
		return nil
	}
	for {
		var l inLine
		var ok bool
		select {
		case l, ok = <-lines:
		default:
			// Nothing typed yet: show what is committed, then wait.
			if len(queue) > 0 {
				if err := flushHead(); err != nil {
					return st, err
				}
				continue
			}
			if err := w.Flush(); err != nil {
				return st, fmt.Errorf("console output: %w", err)
			}
			select {
			case l, ok = <-lines:
			case <-ctx.Done():
				return st, ctx.Err()
			}
		}
		if !ok {
			break
		}
		st.Lines++
		if l.err != nil {
			st.Errors++
			fmt.Fprintf(o.Errors, "line %d: %v\n", l.no, l.err)
			continue
		}
		if !utf8.ValidString(l.text) {
			// Keep the message, say what was repaired.
			fmt.Fprintf(o.Errors, "line %d: invalid UTF-8 replaced with U+FFFD\n", l.no)
			l.text = strings.ToValidUTF8(l.text, "\uFFFD")
		}
		ev, has, err := s.Event(l.no, l.text)
		if err != nil {
			st.Errors++
			fmt.Fprintf(o.Errors, "line %d: %v\n", l.no, err)
			continue
		}
		if !has {
			continue
		}
		p, err := core.Submit(ctx, ev)
		if err != nil {
			st.Errors++
			fmt.Fprintf(o.Errors, "line %d: %v\n", l.no, err)
			continue
		}
		st.Events++
		queue = append(queue, p)
		if len(queue) >= o.Window {
			if err := flushHead(); err != nil {
				return st, err
			}
		}
	}
	for len(queue) > 0 {
		if err := flushHead(); err != nil {
			return st, err
		}
	}
	if err := w.Flush(); err != nil {
		return st, fmt.Errorf("console output: %w", err)
	}
	return st, nil
}

// readLines splits in into lines, refusing (and skipping) overlong ones
// instead of failing the whole transcript.
func readLines(ctx context.Context, in io.Reader, out chan<- inLine) {
	defer close(out)
	r := transcript.NewReader(in)
	for {
		no, text, err := r.Next()
		switch {
		case err == io.EOF:
			return
		case errors.Is(err, transcript.ErrTooLong):
			err = fmt.Errorf("line longer than %d bytes, skipped", transcript.MaxLine)
		case err != nil:
			send(ctx, out, inLine{no: no, err: fmt.Errorf("read: %w", err)})
			return
		}
		if !send(ctx, out, inLine{no: no, text: text, err: err}) {
			return
		}
	}
}

func send(ctx context.Context, out chan<- inLine, l inLine) bool {
	select {
	case out <- l:
		return true
	case <-ctx.Done():
		return false
	}
}
