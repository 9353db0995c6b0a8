package wechat

import "sync"

// recent remembers the last n message ids.
type recent struct {
	mu   sync.Mutex
	set  map[string]bool
	ring []string
	pos  int
}

func newRecent(n int) *recent { return &recent{set: make(map[string]bool, n), ring: make([]string, n)} }

// add records id and reports whether it was already there.
func (r *recent) add(id string) bool {
	if id == "" {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[id] {
		return true
	}
	if old := r.ring[r.pos]; old != "" {
		delete(r.set, old)
	}
	r.ring[r.pos] = id
	r.pos = (r.pos + 1) % len(r.ring)
	r.set[id] = true
	return false
}
