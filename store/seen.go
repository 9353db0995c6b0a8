package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

var bSeen = []byte("seen") // day(4) id → {}: platform ids counted that day

// Seen records a platform id for the day and reports whether it was
// already recorded (a duplicate).
func (g *Group) Seen(d Day, id string) (bool, error) {
	g.mustWrite()
	k := dayKeyBytes(nil, d, id)
	if g.seen.Get(k) != nil {
		return true, nil
	}
	if err := g.seen.Put(k, []byte{}); err != nil {
		return false, fmt.Errorf("record id %s/%s: %w", g.key, id, err)
	}
	return false, nil
}

// HasSeen reports whether an id was recorded for day d, without recording it.
func (g *Group) HasSeen(d Day, id string) bool {
	return g.seen.Get(dayKeyBytes(nil, d, id)) != nil
}

// PruneSeen forgets the ids of days before `before`, at most max of them
// per call (0: all), keeping the set bounded. It returns how many it
// removed and whether some are left for the next call.
func (g *Group) PruneSeen(before Day, max int) (n int, more bool, err error) {
	g.mustWrite()
	c := g.seen.Cursor()
	end := binary.BigEndian.AppendUint32(nil, uint32(before))
	for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.First() {
		if max > 0 && n == max {
			return n, true, nil
		}
		if err := c.Delete(); err != nil {
			return n, false, fmt.Errorf("prune ids of %s: %w", g.key, err)
		}
		n++
	}
	return n, false, nil
}
