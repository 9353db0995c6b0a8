package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Each record starts with its own version byte so a later Pulse can read
// older records and refuse newer ones.
const recordVersion = 1

var errShort = errors.New("record truncated")

// Member is one member of a group as Pulse knows them.
type Member struct {
	Name        string
	IsBot       bool
	Present     bool  // in the group now (joined or seen, and not left since)
	FirstSeen   Day   // day of the first join or activity
	JoinedAt    int64 // unix seconds of the last join event, 0 if none seen
	LeftAt      int64 // unix seconds of the last leave, 0 if none
	Points      int64 // always the sum of the member's ledger entries
	XP          int64
	Messages    int64
	Chars       int64
	Checkins    int64 // days checked in, make-ups included
	Streak      int64 // streak ending at LastCheckin
	BestStreak  int64
	LastCheckin Day   // 0: never
	LastActive  Day   // 0: never
	LastXPAt    int64 // unix seconds of the last rewarded message
	LastHash    uint64
	// Index is the member's dense number in the group (from 1), their bit
	// in the daily activity bitmaps. The store assigns it.
	Index uint32
}

// DayAgg is one member's activity on one local day.
type DayAgg struct {
	Messages      int64
	Chars         int64
	RepliesGiven  int64
	RepliesRecv   int64
	MentionsGiven int64
	MentionsRecv  int64
	ReactGiven    int64
	ReactRecv     int64
	Interactive   int64 // messages that replied to or mentioned another member
	Reacted       int64 // this member's messages that drew their first reaction this day
	XP            int64
	Points        int64 // points earned this day (grants included, spending not)
	Checkin       uint8 // CheckinNone, CheckinOnTime or CheckinMakeup
	CheckinOrder  int64 // 1 for the day's first check-in
}

// Check-in states of a DayAgg.
const (
	CheckinNone   = 0
	CheckinOnTime = 1
	CheckinMakeup = 2
)

// Active reports whether the member counts as active that day: a counted
// message or an on-time check-in (a make-up is not activity).
func (a *DayAgg) Active() bool { return a.Messages > 0 || a.Checkin == CheckinOnTime }

// GroupDay sums one local day of a group.
type GroupDay struct {
	Messages    int64
	Chars       int64
	Active      int64 // distinct active members
	Checkins    int64 // on-time check-ins
	Makeups     int64
	Joins       int64
	Leaves      int64
	Interactive int64
	Reacted     int64
	Reactions   int64
}

// LedgerEntry is one append-only change of a member's points.
type LedgerEntry struct {
	Time   int64 // unix seconds
	Member string
	Delta  int64
	Reason string // checkin, streak, makeup, grant, deduct, message
	Note   string // free text from an admin, or the day a make-up filled
	Actor  string // member id of who caused it; the member themself for earnings
}

// RosterEntry is one join or leave.
type RosterEntry struct {
	Time    int64
	Member  string
	Name    string
	Join    bool
	Inviter string
}

// Settings are what the store remembers of a group so that operator tools
// read it right without the bot's config.
type Settings struct {
	Locale   string
	Timezone string
	Created  int64
}

// enc is a tiny append-only encoder; records are varint sequences.
type enc []byte

func (e enc) u(v uint64) enc { return binary.AppendUvarint(e, v) }
func (e enc) i(v int64) enc  { return binary.AppendVarint(e, v) }
func (e enc) s(v string) enc { return append(e.u(uint64(len(v))), v...) }
func (e enc) b(v bool) enc {
	if v {
		return append(e, 1)
	}
	return append(e, 0)
}
func (e enc) fix(v uint64) enc { return binary.BigEndian.AppendUint64(e, v) }

type dec struct {
	b   []byte
	err error
}

func (d *dec) u() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) i() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) s() string {
	n := d.u()
	if d.err != nil {
		return ""
	}
	if uint64(len(d.b)) < n {
		d.err = errShort
		return ""
	}
	v := string(d.b[:n])
	d.b = d.b[n:]
	return v
}

func (d *dec) b1() bool { return d.u() != 0 }

func (d *dec) fix() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.err = errShort
		return 0
	}
	v := binary.BigEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

// newDec starts decoding a record; the decoder is a value so decoding a
// record allocates nothing but its strings.
func newDec(kind string, b []byte) (dec, error) {
	if len(b) == 0 {
		return dec{}, fmt.Errorf("%s record: empty", kind)
	}
	if b[0] > recordVersion {
		return dec{}, fmt.Errorf("%s record: version %d is newer than this Pulse (%d)", kind, b[0], recordVersion)
	}
	return dec{b: b[1:]}, nil
}

func (d *dec) done(kind string) error {
	if d.err != nil {
		return fmt.Errorf("%s record: %w", kind, d.err)
	}
	return nil
}

func (m *Member) marshal(buf []byte) []byte {
	e := enc(append(buf[:0], recordVersion))
	e = e.s(m.Name).b(m.IsBot).b(m.Present).u(uint64(m.FirstSeen)).i(m.JoinedAt).i(m.LeftAt)
	e = e.i(m.Points).i(m.XP).i(m.Messages).i(m.Chars).i(m.Checkins).i(m.Streak).i(m.BestStreak)
	e = e.u(uint64(m.LastCheckin)).u(uint64(m.LastActive)).i(m.LastXPAt).fix(m.LastHash).u(uint64(m.Index))
	return e
}

func (m *Member) unmarshal(b []byte) error {
	d, err := newDec("member", b)
	if err != nil {
		return err
	}
	m.Name, m.IsBot, m.Present, m.FirstSeen = d.s(), d.b1(), d.b1(), Day(d.u())
	m.JoinedAt, m.LeftAt = d.i(), d.i()
	m.Points, m.XP, m.Messages, m.Chars, m.Checkins, m.Streak, m.BestStreak = d.i(), d.i(), d.i(), d.i(), d.i(), d.i(), d.i()
	m.LastCheckin, m.LastActive, m.LastXPAt, m.LastHash = Day(d.u()), Day(d.u()), d.i(), d.fix()
	m.Index = uint32(d.u())
	return d.done("member")
}

func (a *DayAgg) marshal(buf []byte) []byte {
	e := enc(append(buf[:0], recordVersion))
	e = e.i(a.Messages).i(a.Chars).i(a.RepliesGiven).i(a.RepliesRecv).i(a.MentionsGiven).i(a.MentionsRecv)
	e = e.i(a.ReactGiven).i(a.ReactRecv).i(a.Interactive).i(a.Reacted).i(a.XP).i(a.Points)
	e = e.u(uint64(a.Checkin)).i(a.CheckinOrder)
	return e
}

func (a *DayAgg) unmarshal(b []byte) error {
	d, err := newDec("day", b)
	if err != nil {
		return err
	}
	a.Messages, a.Chars, a.RepliesGiven, a.RepliesRecv, a.MentionsGiven, a.MentionsRecv = d.i(), d.i(), d.i(), d.i(), d.i(), d.i()
	a.ReactGiven, a.ReactRecv, a.Interactive, a.Reacted, a.XP, a.Points = d.i(), d.i(), d.i(), d.i(), d.i(), d.i()
	a.Checkin, a.CheckinOrder = uint8(d.u()), d.i()
	return d.done("day")
}

func (g *GroupDay) marshal(buf []byte) []byte {
	e := enc(append(buf[:0], recordVersion))
	e = e.i(g.Messages).i(g.Chars).i(g.Active).i(g.Checkins).i(g.Makeups).i(g.Joins).i(g.Leaves)
	e = e.i(g.Interactive).i(g.Reacted).i(g.Reactions)
	return e
}

func (g *GroupDay) unmarshal(b []byte) error {
	d, err := newDec("group day", b)
	if err != nil {
		return err
	}
	g.Messages, g.Chars, g.Active, g.Checkins, g.Makeups, g.Joins, g.Leaves = d.i(), d.i(), d.i(), d.i(), d.i(), d.i(), d.i()
	g.Interactive, g.Reacted, g.Reactions = d.i(), d.i(), d.i()
	return d.done("group day")
}

func (l *LedgerEntry) marshal() []byte {
	e := enc([]byte{recordVersion})
	return e.i(l.Time).s(l.Member).i(l.Delta).s(l.Reason).s(l.Note).s(l.Actor)
}

func (l *LedgerEntry) unmarshal(b []byte) error {
	d, err := newDec("ledger", b)
	if err != nil {
		return err
	}
	l.Time, l.Member, l.Delta, l.Reason, l.Note, l.Actor = d.i(), d.s(), d.i(), d.s(), d.s(), d.s()
	return d.done("ledger")
}

func (r *RosterEntry) marshal() []byte {
	e := enc([]byte{recordVersion})
	return e.i(r.Time).s(r.Member).s(r.Name).b(r.Join).s(r.Inviter)
}

func (r *RosterEntry) unmarshal(b []byte) error {
	d, err := newDec("roster", b)
	if err != nil {
		return err
	}
	r.Time, r.Member, r.Name, r.Join, r.Inviter = d.i(), d.s(), d.s(), d.b1(), d.s()
	return d.done("roster")
}

func (s *Settings) marshal() []byte {
	e := enc([]byte{recordVersion})
	return e.s(s.Locale).s(s.Timezone).i(s.Created)
}

func (s *Settings) unmarshal(b []byte) error {
	d, err := newDec("settings", b)
	if err != nil {
		return err
	}
	s.Locale, s.Timezone, s.Created = d.s(), d.s(), d.i()
	return d.done("settings")
}

func uint64FromFloat(f float64) uint64 { return math.Float64bits(f) }
func floatFromUint64(u uint64) float64 { return math.Float64frombits(u) }
