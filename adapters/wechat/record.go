package wechat

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/pulsebot/pulse/bot/links"
)

// The link records of WeChat's groups and members, as the core keeps them
// (opaque to it). Their bytes are those Pulse has always written: a
// version byte, then varints and counted strings.

// recordVersion is the newest record layout this build reads.
const recordVersion = 1

// groupRecord is a group as the adapter identifies it across sessions.
type groupRecord struct {
	ID      string   // stable id: the group key is "wechat/ID"
	Name    string   // the group's current name
	Names   []string // earlier names, oldest first
	Created int64    // unix seconds
	Seen    int64    // unix seconds the group was last linked to a session
}

// memberRecord is a member as the adapter identifies them across sessions.
type memberRecord struct {
	ID      string   // stable id, unique across WeChat groups
	Nick    string   // nickname when last seen
	Display string   // display name in the group when last seen ("" if none)
	Avatar  string   // avatar id when last seen ("" if unknown)
	Attr    int64    // attribute bits when last seen (0 if unknown)
	Names   []string // earlier nicknames and display names, oldest first

	FirstSeen int64 // unix seconds
	LastSeen  int64 // unix seconds last seen in a member list or active
	// Missing is when a member list first lacked the member (0: listed).
	Missing int64
	// Left is set once the member's leave was reported to the core.
	Left bool
	// Ambiguous marks an id created for a member who could not be told
	// apart from another (same names); it can be claimed or merged.
	Ambiguous bool
	// MergedInto is the id this member's identity was merged into ("" if
	// none); a merged id is never linked again.
	MergedInto string
}

func (g *groupRecord) link() links.Record {
	e := enc{recordVersion}.s(g.ID).s(g.Name).strings(g.Names)
	return links.Record{ID: g.ID, Data: e.i(g.Created).i(g.Seen)}
}

func (g *groupRecord) decode(b []byte) error {
	d, err := newDec("identity group", b)
	if err != nil {
		return err
	}
	g.ID, g.Name = d.s(), d.s()
	g.Names = d.strings()
	g.Created, g.Seen = d.i(), d.i()
	return d.done("identity group")
}

func (m *memberRecord) link() links.Record {
	e := enc{recordVersion}.s(m.ID).s(m.Nick).s(m.Display).s(m.Avatar).i(m.Attr).strings(m.Names)
	e = e.i(m.FirstSeen).i(m.LastSeen).i(m.Missing).b(m.Left).b(m.Ambiguous).s(m.MergedInto)
	return links.Record{ID: m.ID, Data: e}
}

func (m *memberRecord) decode(b []byte) error {
	d, err := newDec("identity member", b)
	if err != nil {
		return err
	}
	m.ID, m.Nick, m.Display, m.Avatar = d.s(), d.s(), d.s(), d.s()
	m.Attr = d.i()
	m.Names = d.strings()
	m.FirstSeen, m.LastSeen, m.Missing = d.i(), d.i(), d.i()
	m.Left, m.Ambiguous = d.b1(), d.b1()
	m.MergedInto = d.s()
	return d.done("identity member")
}

var errShort = errors.New("record truncated")

// enc is an append-only encoder.
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

// strings writes a counted list of strings.
func (e enc) strings(l []string) enc {
	e = e.u(uint64(len(l)))
	for _, s := range l {
		e = e.s(s)
	}
	return e
}

type dec struct {
	b   []byte
	err error
}

// newDec starts decoding a record, refusing one newer than this build.
func newDec(kind string, b []byte) (dec, error) {
	if len(b) == 0 {
		return dec{}, fmt.Errorf("%s record: empty", kind)
	}
	if b[0] > recordVersion {
		return dec{}, fmt.Errorf("%s record: version %d is newer than this Pulse (%d)", kind, b[0], recordVersion)
	}
	return dec{b: b[1:]}, nil
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

// strings reads a counted list of strings.
func (d *dec) strings() []string {
	n := d.u()
	if d.err != nil || n == 0 {
		return nil
	}
	if n > uint64(len(d.b)) { // each string takes at least one byte
		d.err = errShort
		return nil
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, d.s())
	}
	return out
}

func (d *dec) done(kind string) error {
	if d.err != nil {
		return fmt.Errorf("%s record: %w", kind, d.err)
	}
	return nil
}
