package discordexport

import "hash/fnv"

func replyKey(m *message) uint64 {
	if m.snow != 0 {
		return m.snow
	}
	return hashID(m.id)
}

func hashID(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64() | 1<<63
}

// replyMap remembers which member wrote the most recent messages, for
// reply attribution; beyond its limit it forgets the oldest.
type replyMap struct {
	m     map[uint64]int32
	ring  []uint64 // keys in the order they were put
	next  int      // the oldest key once the ring is full
	limit int
}

func newReplyMap(limit int) *replyMap {
	return &replyMap{m: make(map[uint64]int32, min(limit, 1<<16)), limit: limit}
}

func (r *replyMap) put(k uint64, author int32) {
	if len(r.ring) < r.limit {
		r.ring = append(r.ring, k)
	} else {
		if old := r.ring[r.next]; old != k {
			delete(r.m, old)
		}
		r.ring[r.next] = k
		r.next = (r.next + 1) % r.limit
	}
	r.m[k] = author
}

func (r *replyMap) get(snow uint64, id []byte) (int32, bool) {
	k := snow
	if k == 0 {
		k = hashID(id)
	}
	a, ok := r.m[k]
	return a, ok
}
