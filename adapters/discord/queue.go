package discord

import (
	"github.com/pulsebot/pulse/bot"
)

// enqueue submits an event to the core and queues it for its replies.
func (a *Adapter) enqueue(ev bot.Event, o origin) {
	a.handOn(func() {
		p, err := a.core.Submit(a.bg, ev)
		if err != nil {
			a.log.Warn("event refused by the core", "kind", ev.Kind, "group", ev.Group, "id", ev.ID, "err", err)
			return
		}
		a.queue <- queued{p, o}
	})
}

// commits waits for each queued event's commit, in order, and hands its
// replies to the server's outbox.
func (a *Adapter) commits(done chan<- struct{}) {
	defer close(done)
	for q := range a.queue {
		replies, err := q.p.Wait(a.bg)
		if err != nil {
			a.log.Error("event not recorded", "group", groupKey(q.o.guild), "err", err)
			continue
		}
		if len(replies) > 0 {
			a.deliver(q.o, replies)
		}
	}
}

// post queues f on a server's outbox. Each server's deliveries run one at
// a time, in order.
func (a *Adapter) post(guild string, f func()) {
	a.omu.Lock()
	defer a.omu.Unlock()
	q, draining := a.outbox[guild]
	a.outbox[guild] = append(q, f)
	if !draining {
		a.spawn("outbox", func() { a.drain(guild) })
	}
}

func (a *Adapter) drain(guild string) {
	for {
		a.omu.Lock()
		q := a.outbox[guild]
		if len(q) == 0 {
			delete(a.outbox, guild)
			a.omu.Unlock()
			return
		}
		f := q[0]
		q[0] = nil
		a.outbox[guild] = q[1:]
		a.omu.Unlock()
		func() {
			defer a.recover("delivery")
			f()
		}()
	}
}
