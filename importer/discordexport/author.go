package discordexport

import "github.com/pulsebot/pulse/importer/jsonscan"

// user is an author, a mentioned member or a reacting member; the byte
// slices point into the file's buffer.
type user struct {
	id, name, nickname []byte
	isBot              bool
}

func (u *user) reset() { *u = user{} }

// display is the name members see: the server nickname, else the name.
func (u *user) display() []byte {
	if len(u.nickname) > 0 {
		return u.nickname
	}
	return u.name
}

// decodeUser parses a user object; null leaves it empty.
func decodeUser(p *jsonscan.Parser, u *user) error {
	u.reset()
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
			u.id, err = p.Scalar()
		case "name":
			u.name, err = p.Text()
		case "nickname":
			u.nickname, err = p.Text()
		case "isBot":
			u.isBot, err = p.Boolean()
		default:
			err = p.Skip()
		}
		if err != nil {
			return err
		}
	}
}

// decodeUsers parses an array of users, reusing the slice.
func decodeUsers(p *jsonscan.Parser, list *[]user) error {
	*list = (*list)[:0]
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
		if len(*list) < cap(*list) {
			*list = (*list)[:len(*list)+1]
		} else {
			*list = append(*list, user{})
		}
		if err := decodeUser(p, &(*list)[len(*list)-1]); err != nil {
			return err
		}
	}
}
