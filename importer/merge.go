package importer

// Merge visits the records of n streams, each in time order itself, in
// one time order (a k-way merge holding one record per stream). next(i)
// returns stream i's next record, nil at its end; the record must stay
// valid until next(i) is called again. less orders two records; ties go
// to the stream with the lower index. fn sees each record; an error from
// next or fn stops the merge.
func Merge[T any](n int, next func(i int) (*T, error), less func(a, b *T) bool, fn func(i int, rec *T) error) error {
	heads := make([]*T, n)
	h := make([]int, 0, n) // a binary min-heap of stream indexes
	before := func(a, b int) bool {
		if less(heads[a], heads[b]) {
			return true
		}
		if less(heads[b], heads[a]) {
			return false
		}
		return a < b
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && before(h[r], h[l]) {
				m = r
			}
			if !before(h[m], h[i]) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	up := func(i int) {
		for i > 0 {
			p := (i - 1) / 2
			if !before(h[i], h[p]) {
				return
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
	}
	for i := range n {
		rec, err := next(i)
		if err != nil {
			return err
		}
		if rec != nil {
			heads[i] = rec
			h = append(h, i)
			up(len(h) - 1)
		}
	}
	for len(h) > 0 {
		i := h[0]
		if err := fn(i, heads[i]); err != nil {
			return err
		}
		rec, err := next(i)
		if err != nil {
			return err
		}
		if rec != nil {
			heads[i] = rec
			down(0)
			continue
		}
		heads[i] = nil
		last := len(h) - 1
		h[0] = h[last]
		h = h[:last]
		if len(h) > 0 {
			down(0)
		}
	}
	return nil
}
