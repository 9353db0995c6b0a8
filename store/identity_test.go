package store_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pulsebot/pulse/store"
)

// The identity bucket keeps opaque records per platform, a sequence that
// only rises and operation ids that are carried out once.
func TestIdentityRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := openDB(t, path)
	if err := db.View(func(tx *store.Tx) error {
		gs, err := tx.IdentityGroups("chat")
		if err != nil || gs != nil {
			t.Errorf("groups of a fresh file: %v, %v", gs, err)
		}
		seq, err := tx.IdentitySeq("chat")
		if err != nil || seq != 1 {
			t.Errorf("seq of a fresh file: %d, %v", seq, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error {
		for _, r := range []store.IdentityRecord{{ID: "b", Data: []byte{1, 2}}, {ID: "a", Data: []byte{3}}} {
			if err := tx.PutIdentityGroup("chat", r); err != nil {
				return err
			}
		}
		if err := tx.PutIdentityMember("chat", "a", store.IdentityRecord{ID: "u1", Data: []byte{9}}); err != nil {
			return err
		}
		if err := tx.RaiseIdentitySeq("chat", 5); err != nil {
			return err
		}
		return tx.RaiseIdentitySeq("chat", 3) // never lowers
	})
	for _, tc := range []struct {
		name string
		fn   func(*store.Tx) error
	}{
		{"group without id", func(tx *store.Tx) error { return tx.PutIdentityGroup("chat", store.IdentityRecord{}) }},
		{"member without group", func(tx *store.Tx) error {
			return tx.PutIdentityMember("chat", "", store.IdentityRecord{ID: "u1"})
		}},
		{"empty platform", func(tx *store.Tx) error { return tx.PutIdentityGroup("", store.IdentityRecord{ID: "a"}) }},
	} {
		if err := db.Update(t.Context(), tc.fn); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	db.Close()
	db = openDB(t, path)
	if err := db.View(func(tx *store.Tx) error {
		gs, err := tx.IdentityGroups("chat")
		if err != nil {
			return err
		}
		want := []store.IdentityRecord{{ID: "a", Data: []byte{3}}, {ID: "b", Data: []byte{1, 2}}}
		if !reflect.DeepEqual(gs, want) {
			t.Errorf("groups %v, want %v", gs, want)
		}
		ms, err := tx.IdentityMembers("chat", "a")
		if err != nil || !reflect.DeepEqual(ms, []store.IdentityRecord{{ID: "u1", Data: []byte{9}}}) {
			t.Errorf("members of a: %v, %v", ms, err)
		}
		if ms, err := tx.IdentityMembers("chat", "b"); err != nil || ms != nil {
			t.Errorf("members of b: %v, %v", ms, err)
		}
		if seq, err := tx.IdentitySeq("chat"); err != nil || seq != 5 {
			t.Errorf("seq %d, %v; want 5", seq, err)
		}
		if gs, err := tx.IdentityGroups("other"); err != nil || gs != nil {
			t.Errorf("another platform's groups: %v, %v", gs, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	var done []bool
	var pruned int
	update(t, db, func(tx *store.Tx) error {
		done = done[:0]
		for _, op := range []struct {
			id string
			at int64
		}{{"x", 10}, {"x", 11}, {"y", 20}} {
			d, err := tx.IdentityOp("chat", op.id, op.at)
			if err != nil {
				return err
			}
			done = append(done, d)
		}
		var err error
		pruned, err = tx.PruneIdentityOps("chat", 15)
		return err
	})
	if !reflect.DeepEqual(done, []bool{false, true, false}) || pruned != 1 {
		t.Errorf("ops done %v, pruned %d; want [false true false], 1", done, pruned)
	}
	update(t, db, func(tx *store.Tx) error {
		done = done[:0]
		for _, id := range []string{"x", "y"} {
			d, err := tx.IdentityOp("chat", id, 30)
			if err != nil {
				return err
			}
			done = append(done, d)
		}
		return nil
	})
	if !reflect.DeepEqual(done, []bool{false, true}) {
		t.Errorf("after pruning, ops done %v; want [false true]", done)
	}
}
