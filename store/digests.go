package store

import (
	"fmt"

	"github.com/pulsebot/pulse/codec"
)

var bDigests = []byte("digests") // period (e.g. 2026-W47) → DigestRecord

// DigestRecord remembers a period's digest so it goes out exactly once.
type DigestRecord struct {
	State    string // "sending", "sent" or "failed"
	Claimed  int64  // unix seconds the send was decided
	Done     int64  // unix seconds it was sent or given up
	Attempts int64
	Error    string
	Sent     []string // recipients already served: "group", "owner:<id>"
}

func (r *DigestRecord) marshal() []byte {
	e := codec.Enc([]byte{codec.Version})
	e = e.S(r.State).I(r.Claimed).I(r.Done).I(r.Attempts).S(r.Error).U(uint64(len(r.Sent)))
	for _, s := range r.Sent {
		e = e.S(s)
	}
	return e
}

func (r *DigestRecord) unmarshal(b []byte) error {
	d, err := codec.NewDec("digest", b)
	if err != nil {
		return err
	}
	r.State, r.Claimed, r.Done, r.Attempts, r.Error = d.S(), d.I(), d.I(), d.I(), d.S()
	n := d.U()
	for i := uint64(0); i < n && d.Err == nil; i++ {
		r.Sent = append(r.Sent, d.S())
	}
	return d.Done("digest")
}

// Digest returns the record of a period's digest.
func (g *Group) Digest(period string) (DigestRecord, bool, error) {
	var r DigestRecord
	b := g.b.Bucket(bDigests)
	if b == nil {
		return r, false, nil
	}
	v := b.Get([]byte(period))
	if v == nil {
		return r, false, nil
	}
	if err := r.unmarshal(v); err != nil {
		return r, false, fmt.Errorf("digest %s of %s: %w", period, g.key, err)
	}
	return r, true, nil
}

// PutDigest records a period's digest state.
func (g *Group) PutDigest(period string, r DigestRecord) error {
	g.mustWrite()
	b, err := g.b.CreateBucketIfNotExists(bDigests)
	if err == nil {
		err = b.Put([]byte(period), r.marshal())
	}
	if err != nil {
		return fmt.Errorf("digest %s of %s: %w", period, g.key, err)
	}
	return nil
}
