package wechat

import (
	"github.com/pulsebot/pulse/bot/links"
	"github.com/pulsebot/pulse/codec"
)

// The link records of WeChat's groups and members, as the core keeps them
// (opaque to it), in Pulse's record encoding: the bytes Pulse has always
// written.

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
	e := codec.New().S(g.ID).S(g.Name).Strings(g.Names)
	return links.Record{ID: g.ID, Data: e.I(g.Created).I(g.Seen)}
}

func (g *groupRecord) decode(b []byte) error {
	d, err := codec.NewDec("identity group", b)
	if err != nil {
		return err
	}
	g.ID, g.Name = d.S(), d.S()
	g.Names = d.Strings()
	g.Created, g.Seen = d.I(), d.I()
	return d.Done("identity group")
}

func (m *memberRecord) link() links.Record {
	e := codec.New().S(m.ID).S(m.Nick).S(m.Display).S(m.Avatar).I(m.Attr).Strings(m.Names)
	e = e.I(m.FirstSeen).I(m.LastSeen).I(m.Missing).B(m.Left).B(m.Ambiguous).S(m.MergedInto)
	return links.Record{ID: m.ID, Data: e}
}

func (m *memberRecord) decode(b []byte) error {
	d, err := codec.NewDec("identity member", b)
	if err != nil {
		return err
	}
	m.ID, m.Nick, m.Display, m.Avatar = d.S(), d.S(), d.S(), d.S()
	m.Attr = d.I()
	m.Names = d.Strings()
	m.FirstSeen, m.LastSeen, m.Missing = d.I(), d.I(), d.I()
	m.Left, m.Ambiguous = d.B(), d.B()
	m.MergedInto = d.S()
	return d.Done("identity member")
}
