package paging

import (
	"iter"
	"sort"
)

// Source is an ordered collection that a page can be taken from. A store
// implements it with its indexes, so that resuming after a marker or token
// seeks instead of scanning; Slice implements it for a sorted slice.
type Source[T any] interface {
	// All yields every item in order.
	All() iter.Seq[T]
	// After yields the items that come after position k, in order.
	After(k Key) iter.Seq[T]
	// Before yields the items at or before position k, nearest first. It is
	// used only for Sahara's prev marker.
	Before(k Key) iter.Seq[T]
	// Find returns the item with the given id, which a marker names.
	Find(id string) (T, bool)
	// Key returns an item's position.
	Key(item T) Key
	// ID returns an item's id, which a marker holds.
	ID(item T) string
}

// A Counter is a Source that knows how many items it holds without
// yielding them all: from an index, a cache or a slice it already holds.
// For offset pages Apply then stops reading after the page and takes the
// total from Count, rather than walking to the end to count.
type Counter interface {
	Count() int
}

// Slice is a Source over a slice that is sorted by Order (see Sort).
type Slice[T any] struct {
	Items []T
	Order Order
	// KeyOf returns an item's position: its sort values, then its identity.
	KeyOf func(T) Key
	// IDOf returns an item's id, for markers.
	IDOf func(T) string
	// Index, when set, finds an item by id. Without it Find scans the
	// slice, which is linear in its length.
	Index func(id string) (T, bool)
}

// All implements Source.
func (s *Slice[T]) All() iter.Seq[T] { return s.from(0, 1) }

// After implements Source with a binary search.
func (s *Slice[T]) After(k Key) iter.Seq[T] {
	i := sort.Search(len(s.Items), func(i int) bool { return s.Order.Compare(s.KeyOf(s.Items[i]), k) > 0 })
	return s.from(i, 1)
}

// Before implements Source with a binary search.
func (s *Slice[T]) Before(k Key) iter.Seq[T] {
	i := sort.Search(len(s.Items), func(i int) bool { return s.Order.Compare(s.KeyOf(s.Items[i]), k) > 0 })
	return s.from(i-1, -1)
}

func (s *Slice[T]) from(i, step int) iter.Seq[T] {
	return func(yield func(T) bool) {
		for ; i >= 0 && i < len(s.Items); i += step {
			if !yield(s.Items[i]) {
				return
			}
		}
	}
}

// Find implements Source.
func (s *Slice[T]) Find(id string) (T, bool) {
	if s.Index != nil {
		return s.Index(id)
	}
	for _, it := range s.Items {
		if s.IDOf(it) == id {
			return it, true
		}
	}
	var zero T
	return zero, false
}

// Key implements Source.
func (s *Slice[T]) Key(item T) Key { return s.KeyOf(item) }

// ID implements Source.
func (s *Slice[T]) ID(item T) string { return s.IDOf(item) }

// Count implements Counter.
func (s *Slice[T]) Count() int { return len(s.Items) }
