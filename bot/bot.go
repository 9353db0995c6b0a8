package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pulsebot/pulse/bot/growth"
	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/calendar"
	"github.com/pulsebot/pulse/store"
)

// GroupSettings are one group's effective settings.
type GroupSettings struct {
	Locale    string         // "zh" or "en"
	Location  *time.Location // the group's time zone
	Rules     growth.Rules
	DedupDays int // days of platform ids kept to drop replays
	// HelpExtra adds the platform adapter's own commands to /help.
	HelpExtra func(locale string, admin bool) string
}

// Options configure a Bot.
type Options struct {
	Clock calendar.Clock
	// Settings returns a group's settings; it is asked once per group and
	// the answer is kept until Reload.
	Settings func(group string) GroupSettings
	Logger   *slog.Logger
	// Seed makes message XP rolls repeatable; 0 seeds from the clock.
	Seed uint64
}

// Bot is the core. It is safe for concurrent use: every event becomes one
// operation of the store's single writer, which is where all state changes.
type Bot struct {
	db       *store.DB
	clock    calendar.Clock
	settings func(string) GroupSettings
	log      *slog.Logger

	mu     sync.Mutex
	groups map[string]*groupState

	// Owned by the store's writer goroutine (only touched inside ops).
	rng *rand.Rand
}

type groupState struct {
	GroupSettings
	curve  *growth.Curve
	pruned calendar.Day // last day the seen-id set was pruned (writer only)
}

// New returns a Bot recording into db.
func New(db *store.DB, o Options) *Bot {
	if o.Clock == nil {
		o.Clock = calendar.System{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Settings == nil {
		o.Settings = func(string) GroupSettings { return DefaultSettings() }
	}
	seed := o.Seed
	if seed == 0 {
		seed = uint64(o.Clock.Now().UnixNano())
	}
	return &Bot{
		db: db, clock: o.Clock, settings: o.Settings, log: o.Logger,
		groups: make(map[string]*groupState),
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

// DefaultSettings are English, UTC and growth.Default.
func DefaultSettings() GroupSettings {
	return GroupSettings{Locale: i18n.En, Location: time.UTC, Rules: growth.Default(), DedupDays: 14}
}

// Clock returns the bot's clock.
func (b *Bot) Clock() calendar.Clock { return b.clock }

// Path is the file the bot keeps its data in, for messages to operators.
func (b *Bot) Path() string { return b.db.Path() }

// Group returns the settings in force for a group.
func (b *Bot) Group(key string) GroupSettings { return b.group(key).GroupSettings }

func (b *Bot) group(key string) *groupState {
	b.mu.Lock()
	defer b.mu.Unlock()
	if g, ok := b.groups[key]; ok {
		return g
	}
	s := b.settings(key)
	if s.Location == nil {
		s.Location = time.UTC
	}
	if !i18n.Valid(s.Locale) {
		s.Locale = i18n.En
	}
	if s.DedupDays < 1 {
		s.DedupDays = 14
	}
	curve, err := growth.NewCurve(s.Rules.Levels)
	if err != nil {
		// Config validation refuses bad curves; fall back rather than fail events.
		b.log.Error("level curve", "group", key, "err", err)
		s.Rules.Levels = growth.Default().Levels
		curve, _ = growth.NewCurve(s.Rules.Levels)
	}
	g := &groupState{GroupSettings: s, curve: curve}
	b.groups[key] = g
	return g
}

// Pending is an event on its way to the store.
type Pending struct {
	done    <-chan error
	replies []Reply
}

// Wait blocks until the event is durably recorded and returns the replies.
func (p *Pending) Wait(ctx context.Context) ([]Reply, error) {
	select {
	case err := <-p.done:
		return p.replies, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Handle records an event, runs the mechanics it triggers and returns the
// replies once everything is durably committed.
func (b *Bot) Handle(ctx context.Context, ev Event) ([]Reply, error) {
	p, err := b.Submit(ctx, ev)
	if err != nil {
		return nil, err
	}
	return p.Wait(ctx)
}

// Errors for events that cannot be recorded.
var ErrBadEvent = errors.New("bad event")

// Submit queues an event without waiting, so that one caller can keep
// many events in flight and the store can commit them together. While the
// store's queue is full it waits, until ctx ends; Wait then returns ctx's
// error and the event is not recorded.
func (b *Bot) Submit(ctx context.Context, ev Event) (*Pending, error) {
	if err := b.normalise(&ev); err != nil {
		return nil, err
	}
	gs := b.group(ev.Group)
	p := &Pending{}
	p.done = b.db.Submit(ctx, func(tx *store.Tx) error {
		replies, err := b.apply(tx, gs, &ev, p)
		p.replies = replies
		if err != nil {
			return fmt.Errorf("%s event in %s: %w", ev.Kind, ev.Group, err)
		}
		return nil
	})
	return p, nil
}

// maxText bounds what is kept of a message's text for parsing and hashing.
const maxText = 64 << 10

func (b *Bot) normalise(ev *Event) error {
	switch {
	case ev.Kind < KindMessage || ev.Kind > KindPresent:
		return fmt.Errorf("%w: unknown kind %d", ErrBadEvent, ev.Kind)
	case ev.Group == "" || !strings.Contains(ev.Group, "/"):
		return fmt.Errorf("%w: group key %q is not platform/id", ErrBadEvent, ev.Group)
	case ev.Count < 0:
		return fmt.Errorf("%w: %s with a negative count", ErrBadEvent, ev.Kind)
	case ev.Count > 0 && (ev.Kind != KindReaction || ev.Member.ID != ""):
		return fmt.Errorf("%w: a count is only for a reaction whose reactor is unknown", ErrBadEvent)
	case ev.Count > 0 && ev.Target.ID == "":
		return fmt.Errorf("%w: count-only reaction without a target", ErrBadEvent)
	case ev.Member.ID == "" && ev.Count == 0:
		// Only a count-only reaction (Count > 0) goes without a member.
		return fmt.Errorf("%w: %s without a member id", ErrBadEvent, ev.Kind)
	}
	if ev.Kind == KindJoin && !ev.Joined.IsZero() {
		ev.Time = ev.Joined
	}
	if ev.Time.IsZero() {
		ev.Time = b.clock.Now()
	}
	switch {
	case ev.Kind != KindJoin && ev.Kind != KindPresent:
		ev.Joined = time.Time{}
	case ev.Joined.After(ev.Time):
		ev.Joined = ev.Time
	}
	if !utf8.ValidString(ev.Text) {
		ev.Text = strings.ToValidUTF8(ev.Text, "\uFFFD")
	}
	if ev.Length == 0 {
		ev.Length = utf8.RuneCountInString(ev.Text)
	}
	if len(ev.Text) > maxText {
		ev.Text = ev.Text[:maxText]
	}
	if ev.Member.Name == "" {
		ev.Member.Name = ev.Member.ID
	}
	return nil
}

// apply runs on the store's writer goroutine.
func (b *Bot) apply(tx *store.Tx, gs *groupState, ev *Event, p *Pending) ([]Reply, error) {
	g, err := tx.Group(ev.Group)
	if err != nil {
		return nil, err
	}
	day := calendar.DayOf(ev.Time, gs.Location)
	if g.Once("settings") {
		if err := b.recordSettings(g, gs, ev.Time); err != nil {
			return nil, err
		}
	}
	if gs.pruned < day && day > calendar.Day(gs.DedupDays) {
		// A bounded step per event, so a day's first event never pays for
		// pruning a big backlog (after an import) in one go.
		_, more, err := g.PruneSeen(day-calendar.Day(gs.DedupDays), 5000)
		if err != nil {
			return nil, err
		}
		if !more {
			gs.pruned = day
		}
	}
	if ev.ID != "" {
		// Live traffic and imported history share ids (Discord's message
		// ids): an event already imported is not counted again.
		key := ev.Kind.String()[:1] + ":" + ev.ID
		if g.HasImported(key) {
			return nil, nil
		}
		dup, err := g.Seen(day, key)
		if err != nil || dup {
			return nil, err
		}
	}
	c := &call{bot: b, tx: tx, g: g, gs: gs, ev: ev, day: day, loc: gs.Locale, pending: p}
	err = c.dispatch()
	return c.replies, err
}

// dispatch applies the event by its kind.
func (c *call) dispatch() error {
	switch c.ev.Kind {
	case KindMessage:
		return c.message()
	case KindReaction:
		return c.reaction()
	case KindJoin:
		return c.join()
	case KindLeave:
		return c.leave()
	case KindPresent:
		return c.present()
	}
	return nil
}

// recordSettings keeps the store's copy of the group's zone and locale
// current. It checks once per transaction rather than remembering that it
// did, because a batch that is rolled back would take the write with it.
func (b *Bot) recordSettings(g *store.Group, gs *groupState, now time.Time) error {
	s, ok, err := g.Settings()
	if err != nil {
		return err
	}
	want := store.Settings{Locale: gs.Locale, Timezone: gs.Location.String(), Created: s.Created}
	if !ok {
		want.Created = now.Unix()
	}
	if !ok || s != want {
		return g.PutSettings(want)
	}
	return nil
}

// call is the state of one event being applied.
type call struct {
	bot     *Bot
	tx      *store.Tx
	g       *store.Group
	gs      *groupState
	ev      *Event
	day     calendar.Day
	loc     string
	replies []Reply
	pending *Pending // where replies computed after the commit go
}

func (c *call) t(key string, args ...any) string { return i18n.T(c.loc, key, args...) }

// answer replies to the member who sent the event.
func (c *call) answer(text string) {
	c.replies = append(c.replies, Reply{Group: c.ev.Group, Text: text, To: c.ev.Member.ID, Ping: []string{c.ev.Member.ID}})
}

// private answers the member where the platform can show it to them alone.
func (c *call) private(text string) {
	c.answer(text)
	c.replies[len(c.replies)-1].Private = true
}

func (c *call) announce(text, member string) {
	c.replies = append(c.replies, Reply{Group: c.ev.Group, Text: text, Announcement: true, Ping: []string{member}})
}

// touch marks a member present and seen, keeping their latest name.
func (c *call) touch(id string, who Member) (*store.Member, error) {
	m, err := c.g.MemberW(id)
	if err != nil {
		return nil, err
	}
	if who.Name != "" {
		m.Name = who.Name
	}
	if m.Name == "" {
		m.Name = id
	}
	m.IsBot = who.IsBot
	if m.FirstSeen == 0 || c.day < m.FirstSeen {
		m.FirstSeen = c.day
	}
	return m, nil
}

// markActive counts the member active today the first time they are.
func (c *call) markActive(m *store.Member, agg *store.DayAgg, wasActive bool) error {
	if wasActive || !agg.Active() {
		return nil
	}
	gd, err := c.g.GroupDayW(c.day)
	if err != nil {
		return err
	}
	gd.Active++
	if err := c.g.SetActive(c.day, m.Index); err != nil {
		return err
	}
	m.Present = true
	if c.day > m.LastActive {
		m.LastActive = c.day
	}
	return nil
}
