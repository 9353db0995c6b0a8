package wechat

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/eatmoreapple/openwechat"
	"github.com/pulsebot/pulse/bot"
)

// Member-list reads: the session's first sweep of the contacts, the
// periodic poll, and the reads a join or an unknown sender asks for.

// refresh is a member-list read waiting in the queue.
type refresh struct {
	user  string
	joins []*joinReq
}

// refreshQueue holds member-list reads, one per group, in order.
type refreshQueue struct {
	mu      sync.Mutex
	order   []string
	pending map[string]*refresh
	wake    chan struct{}
}

func (q *refreshQueue) add(user string, j *joinReq) {
	q.mu.Lock()
	r := q.pending[user]
	if r == nil {
		r = &refresh{user: user}
		q.pending[user] = r
		if j != nil {
			q.order = append([]string{user}, q.order...) // joins first
		} else {
			q.order = append(q.order, user)
		}
	}
	if j != nil {
		r.joins = append(r.joins, j)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *refreshQueue) take(n int) []*refresh {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []*refresh
	for len(out) < n && len(q.order) > 0 {
		u := q.order[0]
		q.order = q.order[1:]
		out = append(out, q.pending[u])
		delete(q.pending, u)
	}
	return out
}

// lister reads member lists: every group it serves at the start of the
// session and every MemberPoll, and a group at once after a join or when a
// message's sender is unknown.
func (s *session) lister() {
	s.sweep()
	t := time.NewTicker(s.a.t.MemberPoll)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.mu.Lock()
			users := make([]string, 0, len(s.byID))
			for _, lg := range s.byID {
				if !lg.gone {
					users = append(users, lg.user)
				}
			}
			s.mu.Unlock()
			sort.Strings(users)
			for _, u := range users {
				s.queue.add(u, nil)
			}
		case <-s.queue.wake:
		}
		for s.ctx.Err() == nil {
			rs := s.queue.take(20)
			if len(rs) == 0 {
				break
			}
			users := make([]string, len(rs))
			for i, r := range rs {
				users[i] = r.user
			}
			if err := s.load(users, rs...); err != nil {
				// Joins are worth another try; a periodic read comes again.
				for _, r := range rs {
					for _, j := range r.joins {
						if j.tries++; j.tries < 3 {
							s.queue.add(r.user, j)
						}
					}
				}
				if retOf(err) == retTooOften {
					break
				}
			}
		}
	}
}

// sweep starts a session: it reads the contacts (friends, for direct
// messages; saved groups), links every group Pulse serves, and tells the
// owners if the previous session had ended.
func (s *session) sweep() {
	a := s.a
	// Forget the adapter commands handled long ago (replays are recent).
	if _, err := a.core.PruneOps(s.ctx, Platform, a.o.clock.Now().Add(-30*24*time.Hour)); err != nil && s.ctx.Err() == nil {
		a.log.Warn("cannot prune handled commands", "err", err)
	}
	if err := a.pace.wait(s.ctx, 0); err != nil {
		return
	}
	contacts, err := s.wb.Caller.WebWxGetContact(s.ctx, s.info)
	if err != nil {
		if s.ctx.Err() == nil {
			a.log.Warn("cannot read contacts", "err", explain(err))
		}
	}
	var friends []*openwechat.User
	seen := map[string]bool{}
	var users []string
	consider := func(u *openwechat.User) {
		switch {
		case u.IsGroup():
			if seen[u.UserName] {
				return
			}
			seen[u.UserName] = true
			name := cleanName(u.NickName)
			if a.wanted(name) && (len(a.cfg.Groups) > 0 || a.known(name)) {
				users = append(users, u.UserName)
			}
		case u.IsFriend():
			friends = append(friends, u)
		}
	}
	for _, u := range contacts {
		consider(u)
	}
	if resp := s.wb.Storage.Response; resp != nil {
		for _, u := range resp.ContactList {
			if u.IsGroup() {
				consider(u)
			}
		}
	}
	s.mu.Lock()
	s.friends = friends
	s.mu.Unlock()
	for len(users) > 0 && s.ctx.Err() == nil {
		n := min(len(users), 20)
		var batch []string
		chs := map[string]chan struct{}{}
		for _, u := range users[:n] {
			if ch, mine := s.reading(u); mine { // else a message is reading it
				batch = append(batch, u)
				chs[u] = ch
			}
		}
		users = users[n:]
		if len(batch) > 0 {
			_ = s.load(batch)
		}
		for u, ch := range chs {
			s.doneReading(u, ch)
		}
	}
	s.tellOwners()
}

// tellOwners tells the configured owners, by direct message, that the bot
// logged in again after its previous session ended.
func (s *session) tellOwners() {
	a := s.a
	a.mu.Lock()
	e := a.lastEnd
	a.lastEnd = nil
	a.mu.Unlock()
	if e == nil || len(a.cfg.Owners) == 0 {
		return
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.UTC
	}
	const layout = "2006-01-02 15:04 MST"
	then, now := e.at.In(loc).Format(layout), a.o.clock.Now().In(loc).Format(layout)
	text := fmt.Sprintf("Pulse 的微信会话于 %s 结束，已于 %s 重新登录。原因：%s\nPulse's WeChat session ended at %s and logged in again at %s.",
		then, now, e.reason, then, now)
	for _, o := range a.cfg.Owners {
		if !a.out.push(&outItem{friend: o, reply: bot.Reply{Text: text, Direct: true}, ctx: s.ctx}) {
			a.log.Warn("send queue full; owner not told", "owner", o)
		}
	}
}
