package store_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

// groupRecords is one kind of a group's records in TestRecordsRoundTrip;
// each kind is defined in the test file of its entity. write puts its
// records in the shared transaction; inTx (if any) checks them in that
// transaction once every kind has written; check reads them back after
// a reopen.
type groupRecords struct {
	name  string
	write func(g *store.Group) error
	inTx  func(t *testing.T, g *store.Group) error
	check func(t *testing.T, tx *store.Tx, g *store.Group)
}

// TestRecordsRoundTrip writes every kind of record in ONE transaction (as
// the bot does: a message touches a member, a member-day and a group-day),
// reopens the file and reads them back.
func TestRecordsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)
	kinds := []groupRecords{
		memberRecords(), dayRecords(), groupDayRecords(), ledgerRecords(), rosterRecords(), settingsRecords(),
	}

	update(t, db, func(tx *store.Tx) error {
		g := wgroup(tx, "tg/1")
		for _, k := range kinds {
			if err := k.write(g); err != nil {
				return err
			}
		}
		for _, k := range kinds {
			if k.inTx == nil {
				continue
			}
			if err := k.inTx(t, g); err != nil {
				return err
			}
		}
		// A second group with nothing but settings-less existence.
		_ = wgroup(tx, "discord/2")
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, path)

	view(t, db, func(tx *store.Tx) error {
		if got, want := tx.Groups(), []string{"discord/2", "tg/1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Groups() = %v, want %v", got, want)
		}
		if g, err := tx.Group("nope/0"); g != nil || err != nil {
			t.Errorf("missing group in read tx = %v, %v", g, err)
		}
		g := group(t, tx, "tg/1")
		for _, k := range kinds {
			t.Run(k.name, func(t *testing.T) { k.check(t, tx, g) })
		}
		return nil
	})
}
