package store_test

import (
	"testing"

	"github.com/pulsebot/pulse/store"
)

func settingsRecords() groupRecords {
	settings := store.Settings{Locale: "zh", Timezone: "Asia/Shanghai", Created: 1767225600}
	return groupRecords{
		name:  "settings",
		write: func(g *store.Group) error { return g.PutSettings(settings) },
		check: func(t *testing.T, tx *store.Tx, g *store.Group) {
			s, ok, err := g.Settings()
			if err != nil || !ok || s != settings {
				t.Errorf("Settings() = %+v, %v, %v; want %+v, true, nil", s, ok, err, settings)
			}
			s, ok, err = group(t, tx, "discord/2").Settings()
			if err != nil || ok || s != (store.Settings{}) {
				t.Errorf("Settings() of a group without = %+v, %v, %v", s, ok, err)
			}
		},
	}
}
