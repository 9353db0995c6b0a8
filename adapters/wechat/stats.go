package wechat

import "sync/atomic"

// Stats count what the adapter did since New.
type Stats struct {
	Sessions    int64 // successful logins
	Received    int64 // messages openwechat handed over
	Dropped     int64 // messages dropped because the queue was full
	Duplicates  int64 // messages dropped as already seen (same MsgId)
	Unresolved  int64 // messages whose sender was not in the member list
	Events      int64 // events given to the core
	Sent        int64 // messages sent (text parts and images)
	SendFailed  int64 // messages that could not be sent
	RateLimited int64 // 1205 answers (operating too often)
	Ambiguous   int64 // members that could not be told apart from another
}

type counters struct {
	sessions, received, dropped, duplicates, unresolved, events,
	sent, sendFailed, rateLimited, ambiguous atomic.Int64
}

// Stats returns the adapter's counters.
func (a *Adapter) Stats() Stats {
	s := &a.st
	return Stats{
		Sessions: s.sessions.Load(), Received: s.received.Load(), Dropped: s.dropped.Load(),
		Duplicates: s.duplicates.Load(), Unresolved: s.unresolved.Load(), Events: s.events.Load(),
		Sent: s.sent.Load(), SendFailed: s.sendFailed.Load(), RateLimited: s.rateLimited.Load(),
		Ambiguous: s.ambiguous.Load(),
	}
}
