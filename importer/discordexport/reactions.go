package discordexport

import "github.com/pulsebot/pulse/importer/jsonscan"

type reaction struct {
	emojiID, emojiName []byte
	count              int64
	users              []user
	hasUsers           bool
}

func decodeReactions(p *jsonscan.Parser, m *message) error {
	ok, err := p.ArrayStart()
	if err != nil || !ok {
		return err
	}
	for n := 0; ; n++ {
		more, err := p.Elem(n)
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
		if len(m.reactions) < cap(m.reactions) {
			m.reactions = m.reactions[:len(m.reactions)+1]
		} else {
			m.reactions = append(m.reactions, reaction{})
		}
		r := &m.reactions[len(m.reactions)-1]
		users := r.users[:0]
		*r = reaction{users: users}
		if err := decodeReaction(p, r); err != nil {
			return err
		}
	}
}

func decodeReaction(p *jsonscan.Parser, r *reaction) error {
	ok, err := p.ObjectStart()
	if err != nil || !ok {
		return err
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
		case "emoji":
			err = decodeEmoji(p, r)
		case "count":
			r.count, err = p.Integer()
		case "users":
			r.hasUsers = true
			err = decodeUsers(p, &r.users)
		default:
			err = p.Skip()
		}
		if err != nil {
			return err
		}
	}
}

func decodeEmoji(p *jsonscan.Parser, r *reaction) error {
	ok, err := p.ObjectStart()
	if err != nil || !ok {
		return err
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
			r.emojiID, err = p.Scalar()
		case "name":
			r.emojiName, err = p.Text()
		default:
			err = p.Skip()
		}
		if err != nil {
			return err
		}
	}
}
