package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Each record starts with its own version byte so a later Pulse can read
// older records and refuse newer ones.
const recordVersion = 1

var errShort = errors.New("record truncated")

// enc is a tiny append-only encoder; records are varint sequences.
type enc []byte

func (e enc) u(v uint64) enc { return binary.AppendUvarint(e, v) }
func (e enc) i(v int64) enc  { return binary.AppendVarint(e, v) }
func (e enc) s(v string) enc { return append(e.u(uint64(len(v))), v...) }
func (e enc) b(v bool) enc {
	if v {
		return append(e, 1)
	}
	return append(e, 0)
}
func (e enc) fix(v uint64) enc { return binary.BigEndian.AppendUint64(e, v) }

type dec struct {
	b   []byte
	err error
}

func (d *dec) u() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) i() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) s() string {
	n := d.u()
	if d.err != nil {
		return ""
	}
	if uint64(len(d.b)) < n {
		d.err = errShort
		return ""
	}
	v := string(d.b[:n])
	d.b = d.b[n:]
	return v
}

func (d *dec) b1() bool { return d.u() != 0 }

func (d *dec) fix() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.err = errShort
		return 0
	}
	v := binary.BigEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

// newDec starts decoding a record; the decoder is a value so decoding a
// record allocates nothing but its strings.
func newDec(kind string, b []byte) (dec, error) {
	if len(b) == 0 {
		return dec{}, fmt.Errorf("%s record: empty", kind)
	}
	if b[0] > recordVersion {
		return dec{}, fmt.Errorf("%s record: version %d is newer than this Pulse (%d)", kind, b[0], recordVersion)
	}
	return dec{b: b[1:]}, nil
}

func (d *dec) done(kind string) error {
	if d.err != nil {
		return fmt.Errorf("%s record: %w", kind, d.err)
	}
	return nil
}

func uint64FromFloat(f float64) uint64 { return math.Float64bits(f) }
func floatFromUint64(u uint64) float64 { return math.Float64frombits(u) }
