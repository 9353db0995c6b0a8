package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Run connects to the gateway and serves until ctx ends; discordgo
// reconnects (resuming the session) after the connection drops. When ctx
// ends Run closes the session, delivers the replies of the events already
// handed to the core (for a few seconds at most) and returns nil. It
// returns an error if Discord refuses the bot for good (a bad token,
// intents not enabled in the developer portal).
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	done := make(chan struct{})
	go a.commits(done)
	err := a.connect(ctx)
	if err == nil {
		a.log.Info("serving", "intents", int64(a.s.Identify.Intents), "shard", a.cfg.ShardID, "shards", max(a.cfg.ShardCount, 1))
		<-ctx.Done()
	}
	a.shutdown(done)
	return err
}

// connect opens the gateway connection, retrying with backoff until it
// works, ctx ends (nil) or Discord refuses the bot for good.
func (a *Adapter) connect(ctx context.Context) error {
	wait := time.Second
	for {
		err := a.s.Open()
		if err == nil {
			return nil
		}
		if hint := fatal(err); hint != "" {
			a.log.Error("cannot connect", "err", err, "hint", hint)
			return fmt.Errorf("discord: connect: %w (%s)", err, hint)
		}
		a.log.Warn("cannot connect, will retry", "err", err, "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, 2*time.Minute)
	}
}

// fatal explains errors that retrying cannot fix; "" for the others.
func fatal(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return "Discord rejected the token: copy it again from the developer portal (Bot → Reset Token)"
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return "Discord rejected the token: copy it again from the developer portal (Bot → Reset Token)"
		case 4010, 4011:
			return "wrong sharding: set discord.shard_id and discord.shard_count (Discord asks for more shards)"
		case 4012:
			return "Discord no longer accepts this gateway version: upgrade Pulse"
		case 4013:
			return "invalid intents"
		case 4014:
			return "switch on the Server Members Intent (and the Message Content Intent if discord.message_content is true) in the developer portal, Bot page"
		}
	}
	return ""
}

// shutdown closes the session and drains the queues.
func (a *Adapter) shutdown(done <-chan struct{}) {
	a.closing.Store(true)
	a.s.Lock()
	a.s.ShouldReconnectOnError = false
	a.s.Unlock()
	if err := a.s.Close(); err != nil {
		a.log.Warn("close", "err", err)
	}
	a.gate.Lock() // wait for handlers still handing work on
	close(a.queue)
	a.gate.Unlock()
	<-done
	finished := make(chan struct{})
	go func() { a.work.Wait(); close(finished) }()
	t := time.NewTimer(10 * time.Second)
	select {
	case <-finished:
		t.Stop()
	case <-t.C:
		a.log.Warn("replies still being delivered at shutdown were abandoned")
		a.stop()
		<-finished
	}
	a.stop()
	a.log.Info("stopped")
}

// handOn runs f unless the adapter is shutting down, in which case the
// event is dropped (Discord replays what a new session needs).
func (a *Adapter) handOn(f func()) bool {
	a.gate.RLock()
	defer a.gate.RUnlock()
	if a.closing.Load() {
		return false
	}
	f()
	return true
}

// spawn runs f in the background, accounted for at shutdown.
func (a *Adapter) spawn(name string, f func()) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		defer a.recover(name)
		f()
	}()
}

// recover logs a panic instead of crashing the process: discordgo does
// not recover panics in handlers.
func (a *Adapter) recover(what string) {
	if r := recover(); r != nil {
		a.log.Error("panic", "in", what, "panic", r, "stack", string(debug.Stack()))
	}
}
