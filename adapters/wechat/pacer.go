package wechat

import (
	"context"
	"sync"
	"time"
)

// pacer spaces calls: each waits until every has passed since the last.
// It runs on the wall clock, not the injected one: it spaces real
// requests to WeChat, and nothing it times reaches the core.
type pacer struct {
	every time.Duration
	mu    sync.Mutex
	next  time.Time
}

// wait blocks until the next call may go, reserving it; extra is added
// after it (jitter).
func (p *pacer) wait(ctx context.Context, extra time.Duration) error {
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.every + extra)
	p.mu.Unlock()
	if !sleep(ctx, time.Until(at)) {
		return ctx.Err()
	}
	return nil
}

// hold pushes the next call at least d into the future (after a 1205).
func (p *pacer) hold(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t := time.Now().Add(d); t.After(p.next) {
		p.next = t
	}
}
