package paging

import (
	"container/heap"
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
			heap.Push(h, it)
			continue
		}
		if cmp(it, h.items[0]) < 0 {
			h.items[0] = it
			heap.Fix(h, 0)
		}
	}
	slices.SortFunc(h.items, cmp)
	return h.items
}

// maxHeap keeps the largest of the k smallest items on top.
type maxHeap[T any] struct {
	items []T
	cmp   func(a, b T) int
}

// Len, Less, Swap, Push and Pop implement heap.Interface.
func (h *maxHeap[T]) Len() int           { return len(h.items) }
func (h *maxHeap[T]) Less(i, j int) bool { return h.cmp(h.items[i], h.items[j]) > 0 }
func (h *maxHeap[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *maxHeap[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *maxHeap[T]) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}

// By returns a comparison of items by their keys in order o, for Sort and
// TopK. It builds two keys per comparison; a caller that can compare its
// items' fields directly should do so instead.
func By[T any](o Order, key func(T) Key) func(a, b T) int {
	return func(a, b T) int { return o.Compare(key(a), key(b)) }
}
