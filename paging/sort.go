package paging

import (
	"iter"
	"slices"
)

// Sort sorts items by cmp, stably.
func Sort[T any](items []T, cmp func(a, b T) int) {
	slices.SortStableFunc(items, cmp)
}

// TopK returns the k smallest items of seq by cmp, in order, holding no
// more than k items at a time. For a page of k from n unsorted items it
// costs O(n log k) instead of a full sort's O(n log n), and most items cost
// one comparison. cmp must be a total order (end it with the identity keys)
// for pages not to overlap.
func TopK[T any](seq iter.Seq[T], k int, cmp func(a, b T) int) []T {
	if k <= 0 {
		return []T{}
	}
	h := &maxHeap[T]{cmp: cmp}
	for it := range seq {
		if len(h.items) < k {
			h.push(it)
			continue
		}
		if cmp(it, h.items[0]) < 0 {
			h.items[0] = it
			h.down(0)
		}
	}
	slices.SortFunc(h.items, cmp)
	return h.items
}

// maxHeap keeps the largest of the k smallest items on top. It is written
// out rather than through container/heap: a sort that replaces its top on
// most items (data arriving in the opposite order) spends its time here,
// and interface calls cost more than the comparisons.
type maxHeap[T any] struct {
	items []T
	cmp   func(a, b T) int
}

func (h *maxHeap[T]) push(x T) {
	h.items = append(h.items, x)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.cmp(h.items[p], x) >= 0 {
			break
		}
		h.items[i] = h.items[p]
		i = p
	}
	h.items[i] = x
}

// down moves the item at i down to its place.
func (h *maxHeap[T]) down(i int) {
	n, x := len(h.items), h.items[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.cmp(h.items[r], h.items[c]) > 0 {
			c = r
		}
		if h.cmp(x, h.items[c]) >= 0 {
			break
		}
		h.items[i] = h.items[c]
		i = c
	}
	h.items[i] = x
}

// By returns a comparison of items by their keys in order o, for Sort and
// TopK. It builds two keys per comparison; a caller that can compare its
// items' fields directly should do so instead.
func By[T any](o Order, key func(T) Key) func(a, b T) int {
	return func(a, b T) int { return o.Compare(key(a), key(b)) }
}
