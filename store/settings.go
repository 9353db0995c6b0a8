package store

import (
	"fmt"

	"github.com/pulsebot/pulse/codec"
)

var kSettings = []byte("settings") // → Settings, a key of the group's bucket

// Settings are what the store remembers of a group so that operator tools
// read it right without the bot's config.
type Settings struct {
	Locale   string
	Timezone string
	Created  int64
}

func (s *Settings) marshal() []byte {
	e := codec.Enc([]byte{codec.Version})
	return e.S(s.Locale).S(s.Timezone).I(s.Created)
}

func (s *Settings) unmarshal(b []byte) error {
	d, err := codec.NewDec("settings", b)
	if err != nil {
		return err
	}
	s.Locale, s.Timezone, s.Created = d.S(), d.S(), d.I()
	return d.Done("settings")
}

// Settings returns what the store remembers of the group; ok is false if
// nothing was recorded yet.
func (g *Group) Settings() (s Settings, ok bool, err error) {
	v := g.b.Get(kSettings)
	if v == nil {
		return s, false, nil
	}
	if err := s.unmarshal(v); err != nil {
		return s, false, fmt.Errorf("group %s: %w", g.key, err)
	}
	return s, true, nil
}

// PutSettings records the group's settings.
func (g *Group) PutSettings(s Settings) error {
	g.mustWrite()
	if err := g.b.Put(kSettings, s.marshal()); err != nil {
		return fmt.Errorf("settings of %s: %w", g.key, err)
	}
	return nil
}
