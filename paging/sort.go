package paging

import (
	"iter"
	"math/bits"
	"slices"
)

// Sort sorts items by cmp, stably.
func Sort[T any](items []T, cmp func(a, b T) int) {
	slices.SortStableFunc(items, cmp)
}

// TopK returns the k smallest items of seq by cmp, in order. For a page of
// k from n unsorted items it costs O(n) instead of a full sort's
// O(n log n). cmp must be a total order (end it with the identity keys)
// for pages not to overlap.
//
// It keeps candidates in a buffer of 4k: once the buffer has filled, the
// k-th smallest so far bounds what may enter, so that most items (in most
// orders) cost one comparison; when it fills again, a selection keeps the
// k smallest, in time linear in the buffer. Data arriving in the opposite
// order, where every item enters, costs about four comparisons an item,
// where a bounded heap costs 2 log k.
func TopK[T any](seq iter.Seq[T], k int, cmp func(a, b T) int) []T {
	if k <= 0 {
		return []T{}
	}
	size := 4 * k
	buf := make([]T, 0, min(size, 1024))
	var bound T
	bounded := false
	for it := range seq {
		if bounded && cmp(it, bound) >= 0 {
			continue
		}
		if buf = append(buf, it); len(buf) == size {
			selectK(buf, k, cmp)
			buf, bound, bounded = buf[:k], buf[k-1], true
		}
	}
	if len(buf) > k {
		selectK(buf, k, cmp)
		buf = buf[:k]
	}
	slices.SortFunc(buf, cmp)
	return buf
}

// selectK reorders s so that its first k items are its k smallest, the
// k-th smallest at k-1 (quickselect, with a median of three; a sort when
// the pivots keep choosing badly).
func selectK[T any](s []T, k int, cmp func(a, b T) int) {
	lo, hi := 0, len(s)-1
	for tries := 2 * bits.Len(uint(len(s))); lo < hi; tries-- {
		if tries == 0 {
			slices.SortFunc(s[lo:hi+1], cmp)
			return
		}
		switch p := partition(s, lo, hi, cmp); {
		case p == k-1:
			return
		case p < k-1:
			lo = p + 1
		default:
			hi = p - 1
		}
	}
}

// partition places the median of s[lo], s[mid] and s[hi] where it belongs
// in s[lo:hi+1], the smaller items before it, and returns its index.
func partition[T any](s []T, lo, hi int, cmp func(a, b T) int) int {
	mid := lo + (hi-lo)/2
	if cmp(s[mid], s[lo]) < 0 {
		s[mid], s[lo] = s[lo], s[mid]
	}
	if cmp(s[hi], s[lo]) < 0 {
		s[hi], s[lo] = s[lo], s[hi]
	}
	if cmp(s[mid], s[hi]) < 0 { // s[lo] is the least: the median is the less of the others
		s[mid], s[hi] = s[hi], s[mid]
	}
	p, i := s[hi], lo
	for j := lo; j < hi; j++ {
		if cmp(s[j], p) < 0 {
			s[i], s[j] = s[j], s[i]
			i++
		}
	}
	s[i], s[hi] = s[hi], s[i]
	return i
}

// By returns a comparison of items by their keys in order o, for Sort and
// TopK. It builds two keys per comparison; a caller that can compare its
// items' fields directly should do so instead.
func By[T any](o Order, key func(T) Key) func(a, b T) int {
	return func(a, b T) int { return o.Compare(key(a), key(b)) }
}
