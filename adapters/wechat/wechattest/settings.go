package wechattest

import "time"

// Knobs a test turns to shape the answers: long-poll hold, clock, the
// account's name, how logins are confirmed, echo, and injected failures.

// SetHold sets how long long polls (synccheck, login) wait for news before
// answering "nothing" (default 50ms).
func (s *Server) SetHold(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = d
}

// SetClock sets the clock of message times (default time.Now).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetSelf names the bot's account.
func (s *Server) SetSelf(nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.self.nick = nick
}

// SetAutoConfirm makes logins succeed at the first poll (true, the
// default) or wait for Confirm.
func (s *Server) SetAutoConfirm(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auto = on
}

// SetRefusePush makes webwxpushloginurl refuse, so logins fall back to a
// QR code.
func (s *Server) SetRefusePush(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noPush = on
}

// SetEcho turns the echo of sent messages into the stream on or off.
func (s *Server) SetEcho(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo = on
}

type failure struct{ ret, times int }

// Fail makes the next times calls of an endpoint ("webwxsync",
// "webwxsendmsg", "webwxbatchgetcontact", "webwxnewloginpage", ...)
// answer with BaseResponse.Ret (or <ret>) ret; times < 0: until Fail(ep,
// 0, 0).
func (s *Server) Fail(endpoint string, ret, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times == 0 {
		delete(s.fail, endpoint)
		return
	}
	s.fail[endpoint] = &failure{ret, times}
	s.wake()
}

func (s *Server) failing(ep string) int {
	f := s.fail[ep]
	if f == nil {
		return 0
	}
	if f.times > 0 {
		if f.times--; f.times == 0 {
			delete(s.fail, ep)
		}
	}
	return f.ret
}

// Count returns how many requests an endpoint received ("synccheck",
// "webwxsync", "jslogin", "login", "webwxpushloginurl", "webwxinit", ...).
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}
