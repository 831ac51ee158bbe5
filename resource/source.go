package resource

import (
	"bytes"
	"iter"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/paging"
	"github.com/tidwall/btree"
)

// source builds the paging source of a listing. When the access path
// yields records in the requested order (the id index, for the default
// order of keys), the source streams and seeks; otherwise the matching
// records are collected and sorted.
//
// need is how many items from the start of the order a page needs sorted
// (-1 for all): a sorted source sorts only that many, with a bounded heap.
//
// key names the listing for the store's memo of totals; empty, it is not
// remembered.
func (s *Store) source(txn *reading, l *layout, a access, order paging.Order, need int, match func(*record) bool, plan *reads, key string) paging.Source[*record] {
	orderSlots := make([]int, len(order)) // looked up once: comparisons are many
	for i, o := range order {
		orderSlots[i] = l.slot[strings.Join(o.Path, "/")]
	}
	keyOf := func(r *record) paging.Key {
		k := make(paging.Key, 0, len(order)+len(l.keySlots))
		for _, slot := range orderSlots {
			k = append(k, r.slots[slot])
		}
		for _, slot := range l.keySlots {
			k = append(k, r.slots[slot])
		}
		return k
	}
	idOf := func(r *record) string { return text(r.slots[l.keySlots[len(l.keySlots)-1]]) }
	if streams(a, order) {
		return &streamSource{txn: txn, l: l, a: a, match: match, plan: plan, keyOf: keyOf, idOf: idOf, counts: &s.counts, key: key}
	}
	plan.Sorted = true
	passes := 0
	matches := func(yield func(*record) bool) {
		p := plan
		if passes++; passes > 1 {
			p = &reads{Plan: &Plan{}} // the plan tells of one pass
		}
		for r := range a.scan(txn, l, p) {
			if match(r) && !yield(r) {
				return
			}
		}
		if p != plan && p.err != nil {
			plan.fail(p.err)
		}
	}
	cmp := func(x, y *record) int {
		for i, o := range order {
			slot := orderSlots[i]
			c := paging.CompareValues(x.slots[slot], y.slots[slot])
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		// The id index value encodes the namespace and keys so that it
		// sorts in key order: one byte comparison for all the keys.
		return bytes.Compare(x.id, y.id)
	}
	return &sortedSource{matches: matches, cmp: cmp, order: order, need: need, keyOf: keyOf, idOf: idOf}
}

// streams reports whether an access path yields records in the order
// asked for, keys last: the id index in key order; one value of a property
// index (in key order within it); or a property index's range in the order
// of that property, ascending.
func streams(a access, order paging.Order) bool {
	switch {
	case len(order) == 0:
		return a.index == idIndex || (a.kind == "equal" && len(a.seeks) == 1)
	case len(order) == 1 && !order[0].Desc && strings.Join(order[0].Path, "/") == a.index:
		return a.kind == "range" || (a.kind == "equal" && len(a.seeks) == 1)
	}
	return false
}

// streamSource pages through an access path that is already in key order,
// seeking with the index for markers and tokens.
type streamSource struct {
	txn   *reading
	l     *layout
	a     access
	match func(*record) bool
	plan  *reads
	keyOf func(*record) paging.Key
	idOf  func(*record) string

	counts *counts
	key    string
}

// Count implements paging.Counter: the memo's total for this listing and
// the snapshot's version, or a walk through the listing.
func (s *streamSource) Count() int {
	version := s.txn.version
	if n, ok := s.counts.get(version, s.key); ok { // nothing is kept under ""
		return n
	}
	n := 0
	for range s.All() {
		n++
	}
	if s.key != "" {
		s.counts.put(version, s.key, n)
	}
	return n
}

// All, After, Before, Find, Key and ID implement paging.Source.
func (s *streamSource) All() iter.Seq[*record] {
	return s.filter(s.a.scan(s.txn, s.l, s.plan))
}

func (s *streamSource) filter(seq iter.Seq[*record]) iter.Seq[*record] {
	return func(yield func(*record) bool) {
		for r := range seq {
			if s.match(r) && !yield(r) {
				return
			}
		}
	}
}

// After seeks to the first record past key k: for the id index, the id of
// k's keys; for one indexed value, that value followed by the id.
func (s *streamSource) After(k paging.Key) iter.Seq[*record] {
	return s.filter(s.seek(k, false))
}

// Before walks back from k, k's own record first.
func (s *streamSource) Before(k paging.Key) iter.Seq[*record] {
	return s.filter(s.seek(k, true))
}

func (s *streamSource) seek(k paging.Key, back bool) iter.Seq[*record] {
	return func(yield func(*record) bool) {
		var ns string
		if s.a.kind == "range" {
			ns = s.l.nsOf(s.a.lo)
		} else {
			ns = s.l.nsOf(s.a.seeks[0])
		}
		keys := []any(k)
		var from []byte
		switch {
		case s.a.index == idIndex:
			from = idOf(ns, keys)
		case s.a.kind == "range": // k holds the indexed value, then the keys
			from = append(appendEncoded(slices.Clone(s.a.base), k[0]), idOf(ns, keys[1:])...)
			keys = keys[1:]
		default:
			from = append(slices.Clone(s.a.seeks[0]), idOf(ns, keys)...)
		}
		id := idOf(ns, keys)
		for r := range s.from(from, back) {
			s.plan.Examined++
			switch within := s.a.within(s.indexKey(r)); {
			case within > 0 && !back, within < 0 && back:
				return
			case within != 0:
				continue
			}
			if !back && bytes.Equal(r.id, id) {
				continue // resume after k, not at it
			}
			if !yield(r) {
				return
			}
		}
	}
}

// from yields the records of the access path's index from key on, or, with
// back, from the last at or before key backwards.
func (s *streamSource) from(key []byte, back bool) iter.Seq[*record] {
	if s.a.index == idIndex {
		return s.fromIDs(key, back)
	}
	return func(yield func(*record) bool) {
		x, t, err := s.l.indexTree(s.txn, s.a.index)
		if err != nil {
			s.plan.fail(err)
			return
		}
		probe := x.probe(key)
		it := t.Iter()
		defer it.Release()
		ok := it.Seek(probe)
		if back {
			switch {
			case !ok:
				ok = it.Last()
			case x.compare(it.Item(), probe) > 0:
				ok = it.Prev()
			}
		}
		for ; ok; ok = next(&it, back) {
			if !yield(it.Item()) {
				return
			}
		}
	}
}

func next(it *btree.IterG[*record], back bool) bool {
	if back {
		return it.Prev()
	}
	return it.Next()
}

func (s *streamSource) fromIDs(key []byte, back bool) iter.Seq[*record] {
	return func(yield func(*record) bool) {
		it := s.txn.trees.t[s.l.ids].Iter()
		defer it.Release()
		ok := it.Seek(&record{id: key})
		if back {
			switch {
			case !ok:
				ok = it.Last()
			case bytes.Compare(it.Item().id, key) > 0:
				ok = it.Prev()
			}
		}
		for ; ok; ok = next(&it, back) {
			if !yield(it.Item()) {
				return
			}
		}
	}
}

// indexKey is r's value in the access path's index, without the id memdb
// appends.
func (s *streamSource) indexKey(r *record) []byte {
	if s.a.index == idIndex {
		return r.id
	}
	return indexKey(r, s.l.parentKeys(), s.l.slot[s.a.index])
}

// nsOf reads the namespace back from the start of an encoded prefix.
func (l *layout) nsOf(prefix []byte) string {
	return string(prefix[:bytes.IndexByte(prefix, 0)])
}

// Find looks a marker's id up directly when the listing pins every key but
// the last (a parent's children), and walks the listing otherwise.
func (s *streamSource) Find(id string) (*record, bool) {
	last := s.l.keySlots[len(s.l.keySlots)-1]
	if s.a.index == idIndex && s.a.pinned == len(s.l.keySlots)-1 {
		if v, err := coerce(s.l.props[last].Kind, id); err == nil {
			obj, err := s.txn.First(s.l.t.Collection, idIndex, appendEncoded(slices.Clone(s.a.seeks[0]), v))
			if r, ok := obj.(*record); ok && err == nil && s.match(r) {
				return r, true
			}
		}
		return nil, false
	}
	for r := range s.All() {
		if s.idOf(r) == id {
			return r, true
		}
	}
	return nil, false
}

func (s *streamSource) Key(r *record) paging.Key { return s.keyOf(r) }
func (s *streamSource) ID(r *record) string      { return s.idOf(r) }

// sortedSource pages through matching records that must be sorted. It
// sorts only what a page needs: the first need items for offsets, the
// first page after a marker or token.
type sortedSource struct {
	// matches yields the matching records in no order, afresh each time
	// (the snapshot does not change): a first page needs one pass and
	// holds no more than a page; items keeps them once something needs
	// them all.
	matches iter.Seq[*record]
	items   []*record
	read    bool
	count   int // the matches, once a pass has counted them (counted)
	counted bool
	cmp     func(a, b *record) int
	order   paging.Order
	need    int
	keyOf   func(*record) paging.Key
	idOf    func(*record) string
}

// all is every match.
func (s *sortedSource) all() []*record {
	if !s.read {
		s.items, s.read = slices.Collect(s.matches), true
	}
	return s.items
}

// each yields the matches, from items once they are kept.
func (s *sortedSource) each() iter.Seq[*record] {
	if s.read {
		return slices.Values(s.items)
	}
	return s.matches
}

// All yields the first need items in order, then the rest in no order:
// offsets read the page from the first items and only count the rest.
func (s *sortedSource) All() iter.Seq[*record] {
	return func(yield func(*record) bool) {
		if s.need < 0 {
			sorted := slices.Clone(s.all())
			slices.SortFunc(sorted, s.cmp)
			for _, r := range sorted {
				if !yield(r) {
					return
				}
			}
			return
		}
		n := 0
		top := paging.TopK(func(yield func(*record) bool) {
			for r := range s.each() {
				n++
				if !yield(r) {
					return
				}
			}
		}, s.need, s.cmp)
		s.count, s.counted = n, true // TopK reads them all: an offset page's total is known
		for _, r := range top {
			if !yield(r) {
				return
			}
		}
		if len(top) > 0 && len(top) < s.need {
			return // every match was in the top
		}
		for r := range s.each() {
			if (len(top) == 0 || s.cmp(r, top[len(top)-1]) > 0) && !yield(r) {
				return
			}
		}
	}
}

// After yields, in order, the items after position k (a page and one more).
func (s *sortedSource) After(k paging.Key) iter.Seq[*record] {
	return s.beyond(k, 1)
}

// Before yields, nearest first, the items at or before position k.
func (s *sortedSource) Before(k paging.Key) iter.Seq[*record] {
	return s.beyond(k, -1)
}

// beyond sorts the items on one side of k, nearest first, as many as a page
// needs.
func (s *sortedSource) beyond(k paging.Key, dir int) iter.Seq[*record] {
	return func(yield func(*record) bool) {
		cmp := func(a, b *record) int { return dir * s.cmp(a, b) }
		var side []*record
		for _, r := range s.all() {
			if c := dir * s.order.Compare(s.keyOf(r), k); c > 0 || (c == 0 && dir < 0) {
				side = append(side, r)
			}
		}
		n := len(side)
		if s.need >= 0 {
			n = min(n, s.need)
		}
		for _, r := range paging.TopK(slices.Values(side), n, cmp) {
			if !yield(r) {
				return
			}
		}
	}
}

// Count implements paging.Counter: a sorted source holds every match.
func (s *sortedSource) Count() int {
	switch {
	case s.read:
		return len(s.items)
	case !s.counted:
		s.count = 0
		for range s.matches {
			s.count++
		}
		s.counted = true
	}
	return s.count
}

// Find, Key and ID implement paging.Source.
func (s *sortedSource) Find(id string) (*record, bool) {
	for _, r := range s.all() {
		if s.idOf(r) == id {
			return r, true
		}
	}
	return nil, false
}

func (s *sortedSource) Key(r *record) paging.Key { return s.keyOf(r) }
func (s *sortedSource) ID(r *record) string      { return s.idOf(r) }
