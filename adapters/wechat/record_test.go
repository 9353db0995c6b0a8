package wechat

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/codec"
)

// The records keep the bytes Pulse has always written, so databases made
// before the core kept them as opaque links read the same.
func TestRecordBytes(t *testing.T) {
	groups := []struct {
		g   groupRecord
		hex string
	}{
		{groupRecord{ID: "读书会", Name: "新读书会", Names: []string{"读书会", "读书会2026"}, Created: 1772416800, Seen: -5},
			"0109e8afbbe4b9a6e4bc9a0ce696b0e8afbbe4b9a6e4bc9a0209e8afbbe4b9a6e4bc9a0de8afbbe4b9a6e4bc9a32303236c0bca79a0d09"},
		{groupRecord{ID: "g"}, "01016700000000"},
	}
	for _, tc := range groups {
		r := tc.g.link()
		if r.ID != tc.g.ID || hex.EncodeToString(r.Data) != tc.hex {
			t.Errorf("group %+v: %s %x, want %s", tc.g, r.ID, r.Data, tc.hex)
		}
		var back groupRecord
		if err := back.decode(r.Data); err != nil || !reflect.DeepEqual(back, tc.g) {
			t.Errorf("group %+v read back as %+v, %v", tc.g, back, err)
		}
	}
	members := []struct {
		m   memberRecord
		hex string
	}{
		{memberRecord{ID: "u12", Nick: "Robert", Display: "小鲍", Avatar: "11", Attr: 229477, Names: []string{"Bob"},
			FirstSeen: 1772416800, LastSeen: 1772420400, Missing: 7, Left: true, Ambiguous: true, MergedInto: "u3"},
			"010375313206526f6265727406e5b08fe9b28d023131ca811c0103426f62c0bca79a0de0f4a79a0d0e0101027533"},
		{memberRecord{ID: "u1"}, "010275310000000000000000000000"},
	}
	for _, tc := range members {
		r := tc.m.link()
		if r.ID != tc.m.ID || hex.EncodeToString(r.Data) != tc.hex {
			t.Errorf("member %+v: %s %x, want %s", tc.m, r.ID, r.Data, tc.hex)
		}
		var back memberRecord
		if err := back.decode(r.Data); err != nil || !reflect.DeepEqual(back, tc.m) {
			t.Errorf("member %+v read back as %+v, %v", tc.m, back, err)
		}
	}
}

// Damaged and newer records are refused, never misread.
func TestRecordRefused(t *testing.T) {
	full := (&memberRecord{ID: "u1", Nick: "Alice", Names: []string{"Al"}}).link().Data
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"newer", append([]byte{codec.Version + 1}, full[1:]...), "newer"},
		{"truncated", full[:len(full)-3], "truncated"},
		{"names beyond the end", []byte{1, 0, 0, 0, 0, 0, 200}, "truncated"},
	} {
		var m memberRecord
		if err := m.decode(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error about %s", tc.name, err, tc.want)
		}
	}
	var g groupRecord
	if err := g.decode([]byte{1, 1, 'g'}); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a truncated group: %v", err)
	}
}
