package wechat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/eatmoreapple/openwechat"

	"github.com/pulsebot/pulse/bot"
)

// outItem is something to say: a reply, a digest, a notice to an owner.
// Its target is found in the live session when it is sent, since
// UserNames change at every login.
type outItem struct {
	reply  bot.Reply
	friend string          // a contact's nickname instead of reply's target
	ctx    context.Context // the sender's; an ended ctx withdraws the item
	done   chan error      // nil: nobody waits
	stale  time.Time       // not zero: drop it if not sent by then

	parts     []string // reply.Text split, once
	next      int      // parts already sent
	imageSent bool
}

func (it *outItem) finish(err error) {
	if it.done != nil {
		it.done <- err
	}
}

// outbox is the bounded queue of outItems.
type outbox struct {
	mu     sync.Mutex
	items  []*outItem
	max    int
	closed error // not nil: pushes fail with it
	wake   chan struct{}
}

func newOutbox(max int) *outbox {
	return &outbox{max: max, wake: make(chan struct{}, 1), closed: ErrStopped}
}

func (o *outbox) open() {
	o.mu.Lock()
	o.closed = nil
	o.mu.Unlock()
}

// close fails every waiting item with err and refuses new ones.
func (o *outbox) close(err error) {
	o.mu.Lock()
	items := o.items
	o.items, o.closed = nil, err
	o.mu.Unlock()
	for _, it := range items {
		it.finish(err)
	}
}

func (o *outbox) push(it *outItem) bool {
	o.mu.Lock()
	if o.closed != nil || len(o.items) >= o.max {
		err := o.closed
		o.mu.Unlock()
		if err != nil {
			it.finish(err)
			return true // answered
		}
		return false
	}
	o.items = append(o.items, it)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return true
}

// next waits for the first item.
func (o *outbox) next(ctx context.Context) *outItem {
	for {
		o.mu.Lock()
		if len(o.items) > 0 {
			it := o.items[0]
			o.items = o.items[1:]
			o.mu.Unlock()
			return it
		}
		o.mu.Unlock()
		select {
		case <-o.wake:
		case <-ctx.Done():
			return nil
		}
	}
}

// errSessionGone: the session ended while an item was being sent; it is
// sent (the rest of it) in the next session.
var errSessionGone = errors.New("wechat: session ended")

// sender sends the queued items one message at a time, paced.
func (a *Adapter) sender(ctx context.Context) {
	for {
		it := a.out.next(ctx)
		if it == nil {
			return
		}
		for {
			if err := it.ctx.Err(); err != nil {
				it.finish(err)
				break
			}
			if !it.stale.IsZero() && time.Now().After(it.stale) {
				a.st.sendFailed.Add(1)
				a.log.Info("reply too old to send after the wait for a login; dropped", "group", it.reply.Group)
				it.finish(nil)
				break
			}
			s := a.waitLive(ctx, it.ctx)
			if s == nil {
				if ctx.Err() != nil {
					it.finish(ErrStopped)
					return
				}
				continue // it.ctx ended: finished above
			}
			err := a.deliver(s, it)
			if errors.Is(err, errSessionGone) && ctx.Err() == nil {
				continue
			}
			if err != nil {
				a.st.sendFailed.Add(1)
				a.log.Warn("cannot send", "group", it.reply.Group, "err", err)
			}
			it.finish(err)
			break
		}
	}
}

// deliver sends an item's text (in parts) and image in a session.
func (a *Adapter) deliver(s *session, it *outItem) error {
	to, err := s.target(it)
	if err != nil {
		if s.ctx.Err() != nil {
			return errSessionGone
		}
		return err
	}
	if it.parts == nil {
		it.parts = split(it.reply.Text, a.cfg.SplitLength)
	}
	for it.next < len(it.parts) {
		part := it.parts[it.next]
		if err := a.sendOne(s, func() error { return s.sendText(to, part) }); err != nil {
			return err
		}
		it.next++
	}
	if img := it.reply.Image; img != nil && !it.imageSent {
		if err := a.sendOne(s, func() error { return s.sendImage(to, img) }); err != nil {
			return err
		}
		it.imageSent = true
	}
	return nil
}

// sendOne sends one message when the pace allows, waiting and trying
// again (up to 3 times) when WeChat answers 1205.
func (a *Adapter) sendOne(s *session, send func() error) error {
	for try := int64(1); ; try++ {
		if err := a.send.wait(s.ctx, a.jitter(a.t.SendInterval)-a.t.SendInterval); err != nil {
			return errSessionGone
		}
		err := send()
		switch {
		case err == nil:
			a.st.sent.Add(1)
			return nil
		case s.ctx.Err() != nil:
			return errSessionGone
		case retOf(err) == retTooOften && try < 3:
			a.st.rateLimited.Add(1)
			d := backoff(a.t.RateLimit, a.t.RateLimitMax, try)
			a.log.Warn("WeChat says operating too often (1205) while sending; waiting", "wait", d)
			a.send.hold(d)
		default:
			return err
		}
	}
}

func (s *session) sendText(to, text string) error {
	msg := openwechat.NewTextSendMessage(text, s.self, to)
	_, err := s.wb.Caller.WebWxSendMsg(s.ctx, &openwechat.CallerWebWxSendMsgOptions{
		LoginInfo: s.info, BaseRequest: s.req, Message: msg,
	})
	return err
}

// sendImage uploads the image, then sends it.
func (s *session) sendImage(to string, img *bot.Image) error {
	name := filepath.Base(img.Name)
	if name == "." || name == "/" || name == "" {
		name = "image.png"
	}
	f, err := os.CreateTemp("", "pulse-*-"+name)
	if err != nil {
		return fmt.Errorf("image: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(img.Data); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	_, err = s.wb.Caller.WebWxSendImageMsg(s.ctx, f, &openwechat.CallerWebWxSendImageMsgOptions{
		FromUserName: s.self, ToUserName: to, BaseRequest: s.req, LoginInfo: s.info,
	})
	return err
}

// target finds an item's recipient in this session: a contact by name,
// the member a direct reply is for, or the group.
func (s *session) target(it *outItem) (string, error) {
	if it.friend != "" {
		if u := s.friend(it.friend); u != "" {
			return u, nil
		}
		return "", fmt.Errorf("%w: no contact is called %q (owners must be friends of the bot's account)", ErrUnknownMember, it.friend)
	}
	r := it.reply
	gid, ok := strings.CutPrefix(r.Group, Platform+"/")
	if !ok || gid == "" {
		return "", fmt.Errorf("%w: %q is not a wechat group key", ErrUnknownGroup, r.Group)
	}
	lg := s.groupByID(gid)
	if lg == nil {
		return "", fmt.Errorf("%w: %s (a group is found once it sends a message, or at login if it is saved to the bot account's contacts)", ErrUnknownGroup, r.Group)
	}
	if !r.Direct {
		return lg.user, nil
	}
	lg.listMu.Lock()
	var byName []*liveMember
	for _, lm := range lg.members {
		if lm.id == r.To {
			lg.listMu.Unlock()
			return lm.user, nil
		}
		if r.To != "" && (lm.nick == r.To || lm.display == r.To) {
			byName = append(byName, lm)
		}
	}
	lg.listMu.Unlock()
	if len(byName) == 1 {
		return byName[0].user, nil
	}
	if u := s.friend(r.To); u != "" {
		return u, nil
	}
	return "", fmt.Errorf("%w: %q in %s", ErrUnknownMember, r.To, r.Group)
}

// groupByID returns the live group of a stable id, looking it up by its
// name among the contacts if no message linked it yet.
func (s *session) groupByID(gid string) *liveGroup {
	s.mu.Lock()
	lg := s.byID[gid]
	s.mu.Unlock()
	if lg != nil {
		return lg
	}
	a := s.a
	a.ids.mu.Lock()
	gi := a.ids.groups[gid]
	name := ""
	if gi != nil {
		name = gi.rec.Name
	}
	a.ids.mu.Unlock()
	if name == "" {
		return nil
	}
	// Groups of the session whose name fits and which are not linked.
	s.mu.Lock()
	var users []string
	for u, g := range s.groups {
		if g.name == name && g.id == "" {
			users = append(users, u)
		}
	}
	s.mu.Unlock()
	for _, u := range users {
		s.ensure(u)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byID[gid]
}

// Send delivers what the bot says on its own initiative (digests): the
// text, then the image, in the group, or to the member Reply.To by direct
// message if Reply.Direct. It waits until the message is sent or ctx ends,
// and drops (returning nil) digests of a group whose digest is off.
func (a *Adapter) Send(ctx context.Context, r bot.Reply) error {
	gid, ok := strings.CutPrefix(r.Group, Platform+"/")
	if !ok || gid == "" {
		return fmt.Errorf("%w: %q is not a wechat group key", ErrUnknownGroup, r.Group)
	}
	if r.Text == "" && r.Image == nil {
		return nil
	}
	a.ids.mu.Lock()
	name := ""
	if gi := a.ids.groups[gid]; gi != nil {
		name = gi.rec.Name
	}
	a.ids.mu.Unlock()
	if !a.groupConfig(gid, name).DigestOn() {
		a.log.Debug("digest off for the group; not sent", "group", r.Group)
		return nil
	}
	it := &outItem{reply: r, ctx: ctx, done: make(chan error, 1)}
	if !a.out.push(it) {
		return ErrQueueFull
	}
	select {
	case err := <-it.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// groupConfig returns a group's WeChat settings, by stable id or name.
func (a *Adapter) groupConfig(id, name string) GroupConfig {
	if g, ok := a.cfg.GroupSettings[id]; ok {
		return g
	}
	if name != "" {
		if g, ok := a.cfg.GroupSettings[name]; ok {
			return g
		}
	}
	return GroupConfig{}
}

// split cuts text into parts of at most n characters, at line ends where
// possible, else at spaces, else anywhere (never inside a character).
func split(text string, n int) []string {
	if text == "" {
		return nil
	}
	var out []string
	for utf8.RuneCountInString(text) > n {
		// Byte offset of the n-th character.
		cut := 0
		for range n {
			_, size := utf8.DecodeRuneInString(text[cut:])
			cut += size
		}
		at := strings.LastIndex(text[:cut], "\n")
		if at < cut/2 {
			at = strings.LastIndexFunc(text[:cut], unicode.IsSpace)
		}
		if at < cut/2 {
			at = cut
		}
		part := strings.TrimRightFunc(text[:at], unicode.IsSpace)
		if part != "" {
			out = append(out, part)
		}
		text = strings.TrimLeftFunc(text[at:], unicode.IsSpace)
	}
	if text != "" {
		out = append(out, text)
	}
	return out
}
