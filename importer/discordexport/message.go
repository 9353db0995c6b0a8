package discordexport

import (
	"time"

	"github.com/pulsebot/pulse/importer/jsonscan"
)

// message is one record of an export, JSON or CSV, valid until the next
// record of its file is read.
type message struct {
	id, typ, timestamp, content []byte
	author                      user
	reactions                   []reaction
	mentions                    []user
	refID, refGuild             []byte
	hasRef                      bool

	// Set after parsing.
	t        time.Time
	snow     uint64 // numeric id, 0 if none
	off      int64  // file offset of the record
	line     int64  // CSV: its line
	attached bool   // CSV: has attachments
	csvReact int64  // CSV: reactions (counts only)
}

func (m *message) reset() {
	reactions, mentions := m.reactions[:0], m.mentions[:0]
	*m = message{reactions: reactions, mentions: mentions}
}

// decodeMessage parses one message object.
func decodeMessage(p *jsonscan.Parser, m *message) error {
	m.reset()
	ok, err := p.ObjectStart()
	if err != nil {
		return err
	}
	if !ok {
		return p.Fail("a message is null")
	}
	for n := 0; ; n++ {
		key, end, err := p.Key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "id":
			m.id, err = p.Scalar()
		case "type":
			m.typ, err = p.Text()
		case "timestamp":
			m.timestamp, err = p.Text()
		case "content":
			m.content, err = p.Text()
		case "author":
			err = decodeUser(p, &m.author)
		case "reactions":
			err = decodeReactions(p, m)
		case "mentions":
			err = decodeUsers(p, &m.mentions)
		case "reference":
			err = decodeReference(p, m)
		default:
			err = p.Skip()
		}
		if err != nil {
			return err
		}
	}
}

func decodeReference(p *jsonscan.Parser, m *message) error {
	ok, err := p.ObjectStart()
	if err != nil || !ok {
		return err
	}
	m.hasRef = true
	for n := 0; ; n++ {
		key, end, err := p.Key(n)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		switch string(key) {
		case "messageId":
			m.refID, err = p.Scalar()
		case "guildId":
			m.refGuild, err = p.Scalar()
		default:
			err = p.Skip()
		}
		if err != nil {
			return err
		}
	}
}
