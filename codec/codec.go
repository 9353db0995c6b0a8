// Package codec is the encoding of Pulse's stored records: a version byte,
// then a sequence of varints, strings and fixed-width words. The store
// uses it for its own records, and adapters for the opaque records they
// keep through the core, so both read the same bytes the same way. It
// imports nothing of Pulse.
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Version is the newest record layout this build reads. Each record
// starts with its own version byte so a later Pulse can read older
// records and refuse newer ones.
const Version = 1

// ErrShort reports a record that ends before its fields do.
var ErrShort = errors.New("record truncated")

// Enc is a tiny append-only encoder.
type Enc []byte

// New starts a record with the version byte.
func New() Enc { return Enc{Version} }

// U appends an unsigned varint.
func (e Enc) U(v uint64) Enc { return binary.AppendUvarint(e, v) }

// I appends a signed varint.
func (e Enc) I(v int64) Enc { return binary.AppendVarint(e, v) }

// S appends a counted string.
func (e Enc) S(v string) Enc { return append(e.U(uint64(len(v))), v...) }

// B appends a bool as one byte.
func (e Enc) B(v bool) Enc {
	if v {
		return append(e, 1)
	}
	return append(e, 0)
}

// Fix appends a big-endian 64-bit word.
func (e Enc) Fix(v uint64) Enc { return binary.BigEndian.AppendUint64(e, v) }

// F appends a float64 as its bits.
func (e Enc) F(v float64) Enc { return e.Fix(math.Float64bits(v)) }

// Strings appends a counted list of strings.
func (e Enc) Strings(l []string) Enc {
	e = e.U(uint64(len(l)))
	for _, s := range l {
		e = e.S(s)
	}
	return e
}

// Dec reads a record field by field. The first short field sets Err and
// every later read returns zero, so a decoder checks once, in Done. It is
// a value, so decoding a record allocates nothing but its strings.
type Dec struct {
	b   []byte
	Err error
}

// NewDec starts decoding a record of the named kind, refusing an empty
// one or one newer than this build.
func NewDec(kind string, b []byte) (Dec, error) {
	if len(b) == 0 {
		return Dec{}, fmt.Errorf("%s record: empty", kind)
	}
	if b[0] > Version {
		return Dec{}, fmt.Errorf("%s record: version %d is newer than this Pulse (%d)", kind, b[0], Version)
	}
	return Dec{b: b[1:]}, nil
}

// U reads an unsigned varint.
func (d *Dec) U() uint64 {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.Err = ErrShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

// I reads a signed varint.
func (d *Dec) I() int64 {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.Err = ErrShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

// S reads a counted string.
func (d *Dec) S() string {
	n := d.U()
	if d.Err != nil {
		return ""
	}
	if uint64(len(d.b)) < n {
		d.Err = ErrShort
		return ""
	}
	v := string(d.b[:n])
	d.b = d.b[n:]
	return v
}

// B reads a bool.
func (d *Dec) B() bool { return d.U() != 0 }

// Fix reads a big-endian 64-bit word.
func (d *Dec) Fix() uint64 {
	if d.Err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.Err = ErrShort
		return 0
	}
	v := binary.BigEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

// F reads a float64 written by Enc.F.
func (d *Dec) F() float64 { return math.Float64frombits(d.Fix()) }

// Strings reads a counted list of strings.
func (d *Dec) Strings() []string {
	n := d.U()
	if d.Err != nil || n == 0 {
		return nil
	}
	if n > uint64(len(d.b)) { // each string takes at least one byte
		d.Err = ErrShort
		return nil
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, d.S())
	}
	return out
}

// More reports whether the record has bytes left to read and no field
// has come up short. A record type that adds a field at its end reads it
// only when More: a record written before the field existed ends there,
// and the field keeps its zero value. (Builds that predate the field
// ignore the bytes after the fields they know, so they read the longer
// record too.)
func (d *Dec) More() bool { return d.Err == nil && len(d.b) > 0 }

// Done reports the first short field, naming the record's kind.
func (d *Dec) Done(kind string) error {
	if d.Err != nil {
		return fmt.Errorf("%s record: %w", kind, d.Err)
	}
	return nil
}
