package store

import (
	"fmt"
)

var bImported = []byte("imported") // id → {}: ids of imported history, kept for good

// HasImported reports whether an imported event had this id.
func (g *Group) HasImported(id string) bool {
	if g.imported == nil {
		g.imported = g.b.Bucket(bImported)
	}
	return g.imported != nil && g.imported.Get([]byte(id)) != nil
}

// Imported records the id of an imported event for good and reports
// whether it was already recorded. Imports keep ids forever so an
// overlapping re-import counts nothing twice.
func (g *Group) Imported(id string) (bool, error) {
	g.mustWrite()
	if g.imported == nil {
		b, err := g.b.CreateBucketIfNotExists(bImported)
		if err != nil {
			return false, fmt.Errorf("imported ids of %s: %w", g.key, err)
		}
		g.imported = b
	}
	b := g.imported
	if b.Get([]byte(id)) != nil {
		return true, nil
	}
	if err := b.Put([]byte(id), []byte{}); err != nil {
		return false, fmt.Errorf("imported ids of %s: %w", g.key, err)
	}
	return false, nil
}
