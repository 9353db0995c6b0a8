package store

import (
	"math"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/codec"
)

// recCase is one record for the table tests, whatever its type.
type recCase struct {
	name, kind string
	value      any
	// encode marshals the value, into buf where the type takes one.
	encode func(buf []byte) []byte
	// decode unmarshals each of bs in turn into the same variable and
	// returns its final value and the last error.
	decode func(bs ...[]byte) (any, error)
}

func rc[T comparable](name, kind string, v T, enc func(*T, []byte) []byte, dec func(*T, []byte) error) recCase {
	return recCase{
		name: name, kind: kind, value: v,
		encode: func(buf []byte) []byte { return enc(&v, buf) },
		decode: func(bs ...[]byte) (any, error) {
			var x T
			var err error
			for _, b := range bs {
				err = dec(&x, b)
			}
			return x, err
		},
	}
}

func member(name string, v Member) recCase {
	return rc(name, "member", v, (*Member).marshal, (*Member).unmarshal)
}

func dayAgg(name string, v DayAgg) recCase {
	return rc(name, "day", v, (*DayAgg).marshal, (*DayAgg).unmarshal)
}

func groupDay(name string, v GroupDay) recCase {
	return rc(name, "group day", v, (*GroupDay).marshal, (*GroupDay).unmarshal)
}

func ledger(name string, v LedgerEntry) recCase {
	return rc(name, "ledger", v, func(l *LedgerEntry, _ []byte) []byte { return l.marshal() }, (*LedgerEntry).unmarshal)
}

func roster(name string, v RosterEntry) recCase {
	return rc(name, "roster", v, func(r *RosterEntry, _ []byte) []byte { return r.marshal() }, (*RosterEntry).unmarshal)
}

func settings(name string, v Settings) recCase {
	return rc(name, "settings", v, func(s *Settings, _ []byte) []byte { return s.marshal() }, (*Settings).unmarshal)
}

var long = strings.Repeat("长名字 long name ", 200)

var recordCases = []recCase{
	member("member zero", Member{}),
	member("member full", Member{
		Name: "Alice", IsBot: false, Present: true, FirstSeen: 20454, JoinedAt: 1767225600, LeftAt: 1767225700,
		Points: 1234, XP: 98765, Messages: 4567, Chars: 123456, Checkins: 77, Streak: 12, BestStreak: 30,
		LastCheckin: 20500, LastActive: 20501, LastXPAt: 1771200000, LastHash: 0xfedcba9876543210,
	}),
	member("member negative and extremes", Member{
		Name: "🦊 狐狸 Ünïcödé", IsBot: true, FirstSeen: math.MaxUint32, JoinedAt: -1, LeftAt: math.MinInt64,
		Points: -42, XP: math.MaxInt64, Messages: math.MinInt64, Chars: -1, Streak: -3,
		LastCheckin: math.MaxUint32, LastActive: 1, LastXPAt: -1767225600, LastHash: math.MaxUint64,
	}),
	member("member long name", Member{Name: long, Points: 1}),
	dayAgg("day zero", DayAgg{}),
	dayAgg("day full", DayAgg{
		Messages: 1, Chars: 2, RepliesGiven: 3, RepliesRecv: 4, MentionsGiven: 5, MentionsRecv: 6, ReactGiven: 7,
		ReactRecv: 8, Interactive: 9, Reacted: 10, XP: 11, Points: 12, Checkin: CheckinMakeup, CheckinOrder: 13, Counted: 14,
	}),
	dayAgg("day negative", DayAgg{Messages: -1, Points: math.MinInt64, XP: math.MaxInt64, Checkin: 255, CheckinOrder: -9}),
	groupDay("group day zero", GroupDay{}),
	groupDay("group day full", GroupDay{
		Messages: 100, Chars: 2000, Active: 30, Checkins: 20, Makeups: 2, Joins: 3, Leaves: 1, Interactive: 40, Reacted: 5, Reactions: 60,
	}),
	groupDay("group day negative", GroupDay{Messages: -5, Reactions: math.MinInt64, Leaves: math.MaxInt64}),
	ledger("ledger zero", LedgerEntry{}),
	ledger("ledger grant", LedgerEntry{Time: 1767225600, Member: "u1", Delta: 50, Reason: "grant", Note: "谢谢帮忙 🎉", Actor: "admin"}),
	ledger("ledger deduct", LedgerEntry{Time: -1, Member: "鲍勃", Delta: -1_000_000, Reason: "deduct", Note: long, Actor: "u2"}),
	roster("roster zero", RosterEntry{}),
	roster("roster join", RosterEntry{Time: 1767225600, Member: "123456789", Name: "Ünïcödé 名", Join: true, Inviter: "987"}),
	roster("roster leave", RosterEntry{Time: math.MinInt64, Member: "x", Name: "", Join: false}),
	settings("settings zero", Settings{}),
	settings("settings zh", Settings{Locale: "zh", Timezone: "Asia/Shanghai", Created: 1767225600}),
	settings("settings negative", Settings{Locale: "en", Timezone: "America/Argentina/Buenos_Aires", Created: -62135596800}),
}

func TestRecordRoundTrip(t *testing.T) {
	for _, c := range recordCases {
		t.Run(c.name, func(t *testing.T) {
			b := c.encode(nil)
			if len(b) == 0 || b[0] != codec.Version {
				t.Fatalf("encoded record %x does not start with version %d", b, codec.Version)
			}
			got, err := c.decode(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got != c.value {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, c.value)
			}
			if string(c.encode(nil)) != string(b) {
				t.Error("encoding is not deterministic")
			}
		})
	}
}

// TestRecordDecodeOverwrites: decoding into a used record leaves nothing
// of its old value (the ForEach visitors reuse one record).
func TestRecordDecodeOverwrites(t *testing.T) {
	for _, c := range recordCases {
		t.Run(c.name, func(t *testing.T) {
			var bs [][]byte
			for _, other := range recordCases {
				if other.kind == c.kind && other.name != c.name {
					bs = append(bs, other.encode(nil))
				}
			}
			got, err := c.decode(append(bs, c.encode(nil))...)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.value {
				t.Errorf("decoding into a used record:\n got %+v\nwant %+v", got, c.value)
			}
		})
	}
}

// TestMarshalReusesBuffer: the encoders that take a buffer start from
// buf[:0], whatever was in it.
func TestMarshalReusesBuffer(t *testing.T) {
	for _, c := range recordCases {
		buf := []byte(strings.Repeat("garbage ", 40))
		want := string(c.encode(nil))
		if got := string(c.encode(buf)); got != want {
			t.Errorf("%s: encoding into a used buffer = %x, want %x", c.name, got, want)
		}
	}
}

func TestRecordNewerVersionRefused(t *testing.T) {
	for _, c := range recordCases {
		t.Run(c.name, func(t *testing.T) {
			for _, v := range []byte{codec.Version + 1, 200, 255} {
				b := c.encode(nil)
				b[0] = v
				_, err := c.decode(b)
				if err == nil {
					t.Fatalf("version %d accepted", v)
				}
				for _, frag := range []string{c.kind + " record", "version", "newer"} {
					if !strings.Contains(err.Error(), frag) {
						t.Errorf("version %d: error %q lacks %q", v, err, frag)
					}
				}
			}
		})
	}
}

// TestRecordTruncated: every strict prefix of every record is an error,
// never a panic and never a silently shorter record — except a day record
// cut exactly where its layout ended before Counted was added, which is a
// record of that older layout (TestDayAggOldLayout).
func TestRecordTruncated(t *testing.T) {
	for _, c := range recordCases {
		t.Run(c.name, func(t *testing.T) {
			b := c.encode(nil)
			old := -1
			if v, ok := c.value.(DayAgg); ok {
				old = len(b) - len(codec.Enc(nil).I(v.Counted))
			}
			for n := 0; n < len(b); n++ {
				if n == old {
					continue
				}
				_, err := c.decode(b[:n:n])
				if err == nil {
					t.Fatalf("prefix of %d/%d bytes decoded without error", n, len(b))
				}
				if !strings.Contains(err.Error(), c.kind+" record") {
					t.Errorf("prefix %d: error %q does not name the record kind", n, err)
				}
				if n > 0 && !strings.Contains(err.Error(), "truncated") {
					t.Errorf("prefix %d: error %q does not say truncated", n, err)
				}
			}
		})
	}
}

// TestRecordCorrupt: a string length running past the end, or a varint
// that never ends, is an error.
func TestRecordCorrupt(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		rec  recCase
	}{
		{"member name longer than record", []byte{codec.Version, 0x7f, 'a'}, recordCases[0]},
		{"member name length near 2^64", []byte{codec.Version, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, recordCases[0]},
		{"endless varint", append([]byte{codec.Version}, strings.Repeat("\xff", 20)...), dayAgg("", DayAgg{})},
		{"ledger note length past the end", append(ledgerPrefix(), 0x10, 'x'), ledger("", LedgerEntry{})},
		{"settings only version", []byte{codec.Version}, settings("", Settings{})},
		{"roster empty", nil, roster("", RosterEntry{})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := c.rec.decode(c.b); err == nil {
				t.Errorf("%x decoded as %+v", c.b, got)
			}
		})
	}
}

// ledgerPrefix is a ledger record cut just before its note.
func ledgerPrefix() []byte {
	e := codec.Enc([]byte{codec.Version})
	return e.I(1).S("m").I(5).S("grant")
}

func FuzzMemberUnmarshal(f *testing.F) {
	for _, c := range recordCases {
		if c.kind == "member" {
			b := c.encode(nil)
			f.Add(b)
			f.Add(b[:len(b)/2])
		}
	}
	f.Add([]byte{})
	f.Add([]byte{codec.Version})
	f.Add([]byte{codec.Version + 1, 0, 0})
	f.Add([]byte{codec.Version, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Add([]byte("\x01\x05hello\x01\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Member
		if err := m.unmarshal(b); err != nil {
			return
		}
		// Whatever decodes re-encodes to a record that decodes the same.
		var again Member
		if err := again.unmarshal(m.marshal(nil)); err != nil {
			t.Fatalf("re-encoded %+v does not decode: %v", m, err)
		}
		if again != m {
			t.Fatalf("re-encoding changed the record:\n got %+v\nwant %+v", again, m)
		}
	})
}

// TestDayAggOldLayout: a day record written before Counted existed (its
// fields end at CheckinOrder) still decodes, with Counted 0 and marked
// PreCounted; a current record with Counted 0 is not PreCounted.
func TestDayAggOldLayout(t *testing.T) {
	// The old layout, byte by byte: version 1, then Messages 3, Chars 12,
	// RepliesGiven … Reacted 0, XP 40, Points 2, Checkin on time, order 1
	// (signed varints are zigzag: 3 → 6, 12 → 24, 40 → 80, 2 → 4, 1 → 2).
	old := []byte{1, 6, 24, 0, 0, 0, 0, 0, 0, 0, 0, 80, 4, 1, 2}
	var a DayAgg
	a.Counted = 99 // decoding must not keep a used record's value
	if err := a.unmarshal(old); err != nil {
		t.Fatal(err)
	}
	want := DayAgg{Messages: 3, Chars: 12, XP: 40, Points: 2, Checkin: CheckinOnTime, CheckinOrder: 1, PreCounted: true}
	if a != want {
		t.Errorf("old record decoded as %+v\nwant %+v", a, want)
	}
	// The current layout is the old one with Counted appended.
	cur := DayAgg{Messages: 3, Chars: 12, XP: 40, Points: 2, Checkin: CheckinOnTime, CheckinOrder: 1, Counted: 2}
	b := cur.marshal(nil)
	if string(b) != string(append(old, 4)) {
		t.Errorf("current record % x, want the old layout then Counted: % x 04", b, old)
	}
	var got DayAgg
	if err := got.unmarshal(b); err != nil || got != cur {
		t.Errorf("current record decoded as %+v, %v", got, err)
	}
	zero := DayAgg{Messages: 1}
	if err := got.unmarshal(zero.marshal(nil)); err != nil || got.PreCounted || got != zero {
		t.Errorf("current record with Counted 0 decoded as %+v, %v", got, err)
	}
}
