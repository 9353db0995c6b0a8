package store

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/pulsebot/pulse/codec"
	bolt "go.etcd.io/bbolt"
)

var bActive = []byte("active") // day(4) → Bitmap of members active that day

// Bitmap is a set of member indexes (Member.Index). Daily activity is
// kept as one bitmap per group and day, so distinct-member counts over
// any window (WAU, MAU, retention, churn risk) are unions and
// intersections of a few kilobytes instead of scans of member-days.
type Bitmap []uint64

// Set adds i.
func (b *Bitmap) Set(i uint32) {
	w := int(i / 64)
	if w >= len(*b) {
		*b = append(*b, make([]uint64, w-len(*b)+1)...)
	}
	(*b)[w] |= 1 << (i % 64)
}

// Has reports whether i is in the set.
func (b Bitmap) Has(i uint32) bool {
	w := int(i / 64)
	return w < len(b) && b[w]&(1<<(i%64)) != 0
}

// Count is the number of members in the set.
func (b Bitmap) Count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// Or adds every member of o.
func (b *Bitmap) Or(o Bitmap) {
	if len(o) > len(*b) {
		*b = append(*b, make([]uint64, len(o)-len(*b))...)
	}
	for i, w := range o {
		(*b)[i] |= w
	}
}

// And keeps only members also in o.
func (b Bitmap) And(o Bitmap) Bitmap {
	for i := range b {
		if i < len(o) {
			b[i] &= o[i]
		} else {
			b[i] = 0
		}
	}
	return b
}

// AndNot removes the members of o.
func (b Bitmap) AndNot(o Bitmap) Bitmap {
	for i := range b {
		if i < len(o) {
			b[i] &^= o[i]
		}
	}
	return b
}

// Clone copies the set.
func (b Bitmap) Clone() Bitmap { return append(Bitmap(nil), b...) }

// Each calls fn for every member index in the set, in order.
func (b Bitmap) Each(fn func(i uint32)) {
	for w, word := range b {
		for word != 0 {
			t := bits.TrailingZeros64(word)
			fn(uint32(w*64 + t))
			word &^= 1 << t
		}
	}
}

func (b Bitmap) marshal() []byte {
	out := make([]byte, 1, 1+8*len(b))
	out[0] = codec.Version
	for _, w := range b {
		out = binary.LittleEndian.AppendUint64(out, w)
	}
	return out
}

func unmarshalBitmap(v []byte) (Bitmap, error) {
	if len(v) == 0 || v[0] > codec.Version || (len(v)-1)%8 != 0 {
		return nil, fmt.Errorf("activity bitmap: damaged or newer record")
	}
	b := make(Bitmap, (len(v)-1)/8)
	for i := range b {
		b[i] = binary.LittleEndian.Uint64(v[1+8*i:])
	}
	return b, nil
}

// bucketRef holds a bucket that may not exist yet.
type bucketRef struct{ b *bolt.Bucket }

func (g *Group) activeBucket(create bool) (*bucketRef, error) {
	if b := g.b.Bucket(bActive); b != nil || !create {
		return &bucketRef{b}, nil
	}
	b, err := g.b.CreateBucket(bActive)
	if err != nil {
		return nil, fmt.Errorf("activity of %s: %w", g.key, err)
	}
	return &bucketRef{b}, nil
}

// Active returns the members active on day d (nil if none). The result
// must not be modified; Clone it first.
func (g *Group) Active(d Day) (Bitmap, error) {
	if c, ok := g.acache[d]; ok {
		return c.v, nil
	}
	ref, err := g.activeBucket(false)
	if err != nil || ref.b == nil {
		return nil, err
	}
	v := ref.b.Get(binary.BigEndian.AppendUint32(nil, uint32(d)))
	if v == nil {
		return nil, nil
	}
	bm, err := unmarshalBitmap(v)
	if err != nil {
		return nil, fmt.Errorf("group %s day %s: %w", g.key, d, err)
	}
	if !g.tx.writable {
		return bm, nil
	}
	g.acache[d] = &cached[Bitmap]{v: bm}
	return bm, nil
}

// ActiveUnion returns the members active on any day from..to.
func (g *Group) ActiveUnion(from, to Day) (Bitmap, error) {
	var u Bitmap
	for d := from; d <= to && d >= from; d++ {
		b, err := g.Active(d)
		if err != nil {
			return nil, err
		}
		u.Or(b)
	}
	return u, nil
}

// SetActive marks a member active on day d.
func (g *Group) SetActive(d Day, index uint32) error {
	g.mustWrite()
	if _, err := g.Active(d); err != nil {
		return err
	}
	c, ok := g.acache[d]
	if !ok {
		c = &cached[Bitmap]{}
		g.acache[d] = c
	}
	c.v.Set(index)
	c.dirty = true
	return nil
}

func (g *Group) flushActive() error {
	var ref *bucketRef
	for d, c := range g.acache {
		if !c.dirty {
			continue
		}
		if ref == nil {
			var err error
			if ref, err = g.activeBucket(true); err != nil {
				return err
			}
		}
		if err := ref.b.Put(binary.BigEndian.AppendUint32(nil, uint32(d)), c.v.marshal()); err != nil {
			return fmt.Errorf("write activity %s/%s: %w", g.key, d, err)
		}
	}
	return nil
}
