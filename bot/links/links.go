// Package links holds the records behind the stable ids an adapter keeps
// for its platform's groups and members, when the platform has none that
// survive a reconnect: each record is opaque, encoded by the adapter that
// owns it, and kept by the core under its id (see bot.Bot.Links).
package links

// Record is one group's or member's link record.
type Record struct {
	ID   string
	Data []byte // the adapter's encoding
}

// Set is what the core holds of a platform's links at start: the group
// records, in id order, and the next member number.
type Set struct {
	Groups []Record
	Next   uint64 // 1 if no number was ever allocated
}

// Batch is a set of link records written in one transaction, with the
// next member number: it only ever rises, so batches of numbers allocated
// concurrently may be saved in any order.
type Batch struct {
	Groups  []Record
	Members map[string][]Record // by group id
	Next    uint64              // 0: leave the number as it is
}

// Empty reports whether the batch has no records.
func (b *Batch) Empty() bool { return len(b.Groups) == 0 && len(b.Members) == 0 }
