package codec_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/pulsebot/pulse/codec"
)

func TestRoundTrip(t *testing.T) {
	b := codec.New().U(300).I(-7).S("张三").B(true).B(false).Fix(1<<63 + 5).F(0.25).Strings([]string{"a", "", "bc"}).Strings(nil)
	// The bytes are part of the file format: pin them.
	want := []byte{1, 0xac, 0x02, 0x0d, 6, 0xe5, 0xbc, 0xa0, 0xe4, 0xb8, 0x89, 1, 0, 0x80, 0, 0, 0, 0, 0, 0, 5,
		0x3f, 0xd0, 0, 0, 0, 0, 0, 0, 3, 1, 'a', 0, 2, 'b', 'c', 0}
	if !bytes.Equal(b, want) {
		t.Fatalf("encoded % x\nwant    % x", []byte(b), want)
	}
	d, err := codec.NewDec("test", b)
	if err != nil {
		t.Fatal(err)
	}
	u, i, s, t1, f1, fix, f := d.U(), d.I(), d.S(), d.B(), d.B(), d.Fix(), d.F()
	l, empty := d.Strings(), d.Strings()
	if err := d.Done("test"); err != nil {
		t.Fatal(err)
	}
	if u != 300 || i != -7 || s != "张三" || !t1 || f1 || fix != 1<<63+5 || f != 0.25 || strings.Join(l, ",") != "a,,bc" || len(l) != 3 || empty != nil {
		t.Errorf("decoded %v %v %q %v %v %v %v %q %q", u, i, s, t1, f1, fix, f, l, empty)
	}
}

func TestRefusals(t *testing.T) {
	if _, err := codec.NewDec("goal", nil); err == nil || !strings.Contains(err.Error(), "goal record: empty") {
		t.Errorf("empty record: %v", err)
	}
	if _, err := codec.NewDec("goal", []byte{codec.Version + 1}); err == nil || !strings.Contains(err.Error(), "newer than this Pulse") {
		t.Errorf("newer record: %v", err)
	}
	short := []struct {
		name string
		b    []byte
		read func(*codec.Dec)
	}{
		{"varint", []byte{1, 0x80}, func(d *codec.Dec) { d.U() }},
		{"string longer than record", []byte{1, 5, 'a'}, func(d *codec.Dec) { d.S() }},
		{"fixed word", []byte{1, 0, 0, 0}, func(d *codec.Dec) { d.Fix() }},
		{"list longer than record", []byte{1, 9, 0}, func(d *codec.Dec) { d.Strings() }},
		{"read past the end", []byte{1}, func(d *codec.Dec) { d.I() }},
	}
	for _, c := range short {
		d, err := codec.NewDec("member", c.b)
		if err != nil {
			t.Fatal(err)
		}
		c.read(&d)
		if d.U() != 0 || d.S() != "" { // every read after the first short one is zero
			t.Errorf("%s: reads after a short field are not zero", c.name)
		}
		if err := d.Done("member"); !errors.Is(err, codec.ErrShort) || !strings.Contains(err.Error(), "member record") {
			t.Errorf("%s: Done = %v, want a truncated member record", c.name, err)
		}
	}
}

// TestMore: a field added at a record's end is read only when the record
// has it, so a record written before the field existed decodes with the
// field's zero value and no error.
func TestMore(t *testing.T) {
	old := codec.New().I(5).U(7)      // the layout before: two fields
	cur := codec.New().I(5).U(7).I(3) // and after: a third at the end
	for _, c := range []struct {
		name  string
		b     []byte
		third int64
	}{{"old record", old, 0}, {"current record", cur, 3}} {
		d, err := codec.NewDec("test", c.b)
		if err != nil {
			t.Fatal(err)
		}
		a, b := d.I(), d.U()
		var third int64
		if d.More() {
			third = d.I()
		}
		if err := d.Done("test"); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a != 5 || b != 7 || third != c.third || d.More() {
			t.Errorf("%s: decoded %d %d %d (more %v), want 5 7 %d", c.name, a, b, third, d.More(), c.third)
		}
	}
	// A field that came up short is not "more": the error stands.
	d, _ := codec.NewDec("test", []byte{1, 0x80})
	d.U()
	if d.More() || d.Done("test") == nil {
		t.Error("a short field reads as More or without error")
	}
}
