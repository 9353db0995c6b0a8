package wechat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pulsebot/pulse/bot"
)

// Run logs in and serves until ctx ends, logging in again whenever the
// session ends (with a growing wait between attempts). It returns nil when
// ctx ends; every event already handed to the core is committed by then,
// and replies not yet sent are dropped.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return errors.New("wechat: Run is already running")
	}
	a.running = true
	ctx, cancel := context.WithCancel(ctx)
	a.runDone = ctx.Done()
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.running = false
		a.mu.Unlock()
	}()
	if err := os.MkdirAll(dirOf(a.cfg.LoginFile), 0o700); err != nil {
		cancel()
		return fmt.Errorf("wechat: login_file: %w", err)
	}

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.sender(ctx) }()
	go func() { defer wg.Done(); a.waiter(ctx) }()
	a.out.open()
	defer func() {
		cancel()
		wg.Wait()
		a.out.close(ErrStopped)
		if t, ok := a.inner.(interface{ CloseIdleConnections() }); ok {
			t.CloseIdleConnections()
		}
	}()

	wait := a.t.LoginRetry
	tryHot := true
	for ctx.Err() == nil {
		res := a.session(ctx, tryHot)
		if ctx.Err() != nil {
			break
		}
		reason := explain(res.err)
		if res.loggedIn {
			a.log.Warn("session ended", "reason", reason, "lasted", res.lasted.Round(time.Second))
			a.mu.Lock()
			a.lastEnd = &ended{at: a.o.clock.Now(), reason: reason}
			a.mu.Unlock()
			if res.lasted >= a.t.StableSession {
				wait = a.t.LoginRetry
			}
		} else {
			a.log.Error("login failed", "reason", reason)
		}
		// Cookies of a session WeChat ended are dead: ask the phone.
		tryHot = res.loggedIn && !loggedOut(res.err)
		d := a.jitter(wait)
		a.log.Info("logging in again", "in", d.Round(time.Millisecond))
		if !sleep(ctx, d) {
			break
		}
		wait = min(2*wait, a.t.LoginRetryMax)
	}
	return nil
}

// setLive publishes the live session (nil: none).
func (a *Adapter) setLive(s *session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.live = s
	close(a.liveCh)
	a.liveCh = make(chan struct{})
}

// waitLive returns the live session, waiting for one while both contexts
// last.
func (a *Adapter) waitLive(ctx, item context.Context) *session {
	for {
		a.mu.Lock()
		s, ch := a.live, a.liveCh
		a.mu.Unlock()
		if s != nil && s.ctx.Err() == nil {
			return s
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		case <-item.Done():
			return nil
		}
	}
}

// jitter adds a random 0–50% to d.
func (a *Adapter) jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	a.rngMu.Lock()
	defer a.rngMu.Unlock()
	return d + time.Duration(a.rng.Int64N(int64(d)/2+1))
}

// waiter hands the replies of committed events to the send queue, in the
// order the events were given to the core.
func (a *Adapter) waiter(ctx context.Context) {
	for {
		select {
		case p := <-a.pending:
			replies, err := p.Wait(ctx)
			if err != nil {
				if ctx.Err() == nil {
					a.log.Error("event not recorded", "err", err)
				}
				continue
			}
			for _, r := range replies {
				a.reply(r)
			}
		case <-ctx.Done():
			return
		}
	}
}

// replyTTL bounds how long an answer waits for a login: an answer to a
// check-in posted hours later would only confuse. It is a real wait, timed
// on the wall clock like the sender's pacing.
const replyTTL = 10 * time.Minute

// reply queues something the core said, without waiting.
func (a *Adapter) reply(r bot.Reply) {
	if r.Text == "" && r.Image == nil {
		return // a level-up nobody announces
	}
	if !a.out.push(&outItem{reply: r, ctx: context.Background(), stale: time.Now().Add(replyTTL)}) {
		a.st.sendFailed.Add(1)
		a.log.Warn("send queue full, reply dropped", "group", r.Group)
	}
}

// sleep waits d or until ctx ends; false if ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}
