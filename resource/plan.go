package resource

import (
	"bytes"
	"iter"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
)

// Plan says how a listing found its candidates, so that tests and operators
// can see that a query did not scan.
type Plan struct {
	// Access is how candidates were found: "get" (every key given),
	// "prefix" (leading keys given: a parent's children), "equal" or "in"
	// (an indexed property), "range" (an indexed property's range), or
	// "scan" (every resource of the type in the namespace).
	Access string
	// Index is the memdb index used: "id" or a property path.
	Index string
	// Examined counts the records read from the access path, matching or
	// not.
	Examined int
	// Sorted reports that the items had to be sorted because the access
	// path did not yield them in the requested order.
	Sorted bool
}

// reads is what a listing learns as it reads: its plan, and the first
// error of memdb's, which iterators cannot return and which must not look
// like "no matches".
type reads struct {
	*Plan
	err error
}

func (p *reads) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// access is a chosen access path: how to yield candidate records.
type access struct {
	kind   string
	index  string
	seeks  [][]byte // exact prefixes to iterate (get, prefix, equal, in)
	slot   int      // the indexed slot of a range
	pinned int      // how many leading keys the id prefix pins
	lo, hi []byte   // a range: lo inclusive; hi exclusive; nil for open
	loIncl bool
	hiIncl bool
	// base bounds a property index's range: the namespace and the
	// parent's keys its keys start with.
	base []byte
}

// equalities are the literal equalities a query pins, by slot: from the
// scope and from the predicate's top-level conjuncts.
type equalities map[int][]any

// plan chooses the cheapest access path for a layout, a namespace, the
// scope's and the predicate's equalities and ranges.
func (l *layout) plan(ns string, conj []query.Expr, scope equalities) access {
	eq := equalities{}
	for slot, vs := range scope {
		eq[slot] = vs
	}
	var ranges []rangeOn
	for _, c := range conj {
		con, ok := query.Constrain(c)
		if !ok {
			continue
		}
		slot, ok := l.slot[strings.Join(con.Path, "/")]
		if !ok {
			continue
		}
		if con.IsRange() {
			if r, ok := l.rangeOf(slot, con); ok {
				ranges = mergeRange(ranges, r)
			}
			continue
		}
		if vs, ok := l.literals(slot, con.Values); ok {
			if old, pinned := eq[slot]; !pinned || len(vs) < len(old) {
				eq[slot] = vs
			}
		}
	}
	nsPrefix := appendEncoded(nil, ns)

	// Leading keys pinned to single values: a get or a prefix.
	prefix, pinned := nsPrefix, 0
	var base []byte // the parent's keys in the namespace, when pinned
	scoped := len(l.parentKeys())
	if scoped == 0 {
		base = nsPrefix
	}
	for _, s := range l.keySlots {
		vs := eq[s]
		if len(vs) != 1 {
			break
		}
		prefix = appendEncoded(prefix, vs[0])
		if pinned++; pinned == scoped {
			base = slicesClone(prefix)
		}
	}
	if pinned == len(l.keySlots) {
		return access{kind: "get", index: idIndex, seeks: [][]byte{prefix}, pinned: pinned}
	}
	// Property indexes of a child type are keyed by its first key: they
	// serve a query that pins it (a cluster's hosts, its host components
	// of a component), which is how faces list child types.
	if base == nil {
		if pinned > 0 {
			return access{kind: "prefix", index: idIndex, seeks: [][]byte{prefix}, pinned: pinned}
		}
		return access{kind: "scan", index: idIndex, seeks: [][]byte{nsPrefix}}
	}
	// An indexed property pinned to few values.
	best := -1
	for slot, vs := range eq {
		if l.props[slot].Indexed && l.indexable(slot) && (best < 0 || len(vs) < len(eq[best])) {
			best = slot
		}
	}
	if best >= 0 && (pinned <= scoped || len(eq[best]) == 1) {
		a := access{kind: "equal", index: l.props[best].Path, base: base}
		if len(eq[best]) > 1 {
			a.kind = "in"
		}
		for _, v := range eq[best] {
			a.seeks = append(a.seeks, appendEncoded(slicesClone(base), v))
		}
		return a
	}
	// A range on an indexed property, before a parent's children: scopes
	// are usually broad, and a range usually narrow.
	for _, r := range ranges {
		if l.props[r.slot].Indexed {
			return r.access(l, base)
		}
	}
	if pinned > 0 {
		return access{kind: "prefix", index: idIndex, seeks: [][]byte{prefix}, pinned: pinned}
	}
	return access{kind: "scan", index: idIndex, seeks: [][]byte{nsPrefix}}
}

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }

// indexable reports whether a slot's kind has an index.
func (l *layout) indexable(slot int) bool {
	k := l.props[slot].Kind
	return k == String || k == Number || k == Bool
}

// literals converts predicate literals to stored values of a slot's kind,
// when an index lookup answers exactly what the predicate asks: numbers
// for a number property, non-numeric text for a string property (a numeric
// literal against strings compares numerically, which byte order does not
// answer), true or false for a bool.
func (l *layout) literals(slot int, lits []query.Literal) ([]any, bool) {
	out := make([]any, 0, len(lits))
	for _, lit := range lits {
		v, ok := l.literal(slot, lit)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

func (l *layout) literal(slot int, lit query.Literal) (any, bool) {
	switch l.props[slot].Kind {
	case Number:
		return lit.Num, lit.Numeric
	case String:
		return lit.Text, !lit.Numeric
	case Bool:
		switch lit.Text {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return nil, false
}

// rangeOn is a range constraint on one slot.
type rangeOn struct {
	slot             int
	min, max         any
	minIncl, maxIncl bool
}

func (l *layout) rangeOf(slot int, c query.Constraint) (rangeOn, bool) {
	r := rangeOn{slot: slot}
	if c.Min != nil {
		v, ok := l.literal(slot, c.Min.Value)
		if !ok || l.props[slot].Kind == Bool {
			return r, false
		}
		r.min, r.minIncl = v, c.Min.Inclusive
	}
	if c.Max != nil {
		v, ok := l.literal(slot, c.Max.Value)
		if !ok || l.props[slot].Kind == Bool {
			return r, false
		}
		r.max, r.maxIncl = v, c.Max.Inclusive
	}
	return r, true
}

// mergeRange adds r to ranges, narrowing a range on the same slot: a>1 and
// a<8 become one range with both ends.
func mergeRange(ranges []rangeOn, r rangeOn) []rangeOn {
	for i := range ranges {
		old := &ranges[i]
		if old.slot != r.slot {
			continue
		}
		if r.min != nil && (old.min == nil || paging.CompareValues(r.min, old.min) > 0) {
			old.min, old.minIncl = r.min, r.minIncl
		}
		if r.max != nil && (old.max == nil || paging.CompareValues(r.max, old.max) < 0) {
			old.max, old.maxIncl = r.max, r.maxIncl
		}
		return ranges
	}
	return append(ranges, r)
}

func (r rangeOn) access(l *layout, base []byte) access {
	a := access{kind: "range", index: l.props[r.slot].Path, slot: r.slot, lo: base, loIncl: true, base: base}
	if r.min != nil {
		a.lo, a.loIncl = appendEncoded(slicesClone(base), r.min), r.minIncl
	}
	if r.max != nil {
		a.hi, a.hiIncl = appendEncoded(slicesClone(base), r.max), r.maxIncl
	}
	return a
}

// pin is a slot that must hold a value.
type pin struct {
	slot  int
	value any
}

// unpinned returns the scope's equalities that the access path does not
// already guarantee: an id prefix guarantees the keys it pins.
func (a access) unpinned(l *layout, scope equalities) []pin {
	var out []pin
	for slot, vs := range scope {
		if a.index == idIndex && slices.Contains(l.keySlots[:a.pinned], slot) {
			continue
		}
		out = append(out, pin{slot, vs[0]})
	}
	return out
}

// within places an index key against the access path: 0 inside it,
// negative before it, positive after it.
func (a access) within(key []byte) int {
	if a.kind != "range" {
		seek := a.seeks[0]
		if bytes.HasPrefix(key, seek) {
			return 0
		}
		return bytes.Compare(key, seek)
	}
	if c := bytes.Compare(key, a.lo); c < 0 || (c == 0 && !a.loIncl) {
		return -1
	}
	if a.hi != nil {
		if c := bytes.Compare(key, a.hi); c > 0 || (c == 0 && !a.hiIncl) {
			return 1
		}
	} else if !bytes.HasPrefix(key, a.base) {
		return 1 // past the namespace, or the parent
	}
	return 0
}

// scan yields the records of an access path, counting them in the plan
// and recording there an error of memdb's.
func (a access) scan(txn *reading, l *layout, p *reads) iter.Seq[*record] {
	return func(yield func(*record) bool) {
		switch {
		case a.kind == "range":
			a.scanRange(txn, l, p, yield)
		case a.index != idIndex:
			a.scanValues(txn, l, p, yield)
		default:
			a.scanIDs(txn, l, p, yield)
		}
	}
}

// scanIDs yields the records of the id tree that have each seek as their
// id (a get) or as its prefix.
func (a access) scanIDs(txn *reading, l *layout, p *reads, yield func(*record) bool) {
	t := txn.trees.t[l.ids]
	for _, seek := range a.seeks {
		it := t.Iter()
		for ok := it.Seek(&record{id: seek}); ok; ok = it.Next() {
			r := it.Item()
			if !bytes.HasPrefix(r.id, seek) || (a.kind == "get" && len(r.id) != len(seek)) {
				break
			}
			p.Examined++
			if !yield(r) {
				it.Release()
				return
			}
		}
		it.Release()
	}
}

// scanValues yields the records of a property index holding each of the
// seeks' values.
func (a access) scanValues(txn *reading, l *layout, p *reads, yield func(*record) bool) {
	x, t, err := l.indexTree(txn, a.index)
	if err != nil {
		p.fail(err)
		return
	}
	for _, seek := range a.seeks {
		probe := x.probe(seek)
		it := t.Iter()
		for ok := it.Seek(probe); ok; ok = it.Next() {
			r := it.Item()
			if x.compareKey(r, probe) != 0 {
				break
			}
			p.Examined++
			if !yield(r) {
				it.Release()
				return
			}
		}
		it.Release()
	}
}

func (a access) scanRange(txn *reading, l *layout, p *reads, yield func(*record) bool) {
	x, t, err := l.indexTree(txn, a.index)
	if err != nil {
		p.fail(err)
		return
	}
	lo := x.probe(a.lo)
	var hi *record
	if a.hi != nil {
		hi = x.probe(a.hi)
	}
	it := t.Iter()
	defer it.Release()
	for ok := it.Seek(lo); ok; ok = it.Next() {
		r := it.Item()
		if x.compareBase(r, lo) != 0 {
			return // past the namespace, or the parent: not the path's
		}
		if hi != nil {
			if c := x.compareKey(r, hi); c > 0 || (c == 0 && !a.hiIncl) {
				return
			}
		}
		p.Examined++
		if !a.loIncl && x.compareKey(r, lo) == 0 {
			continue
		}
		if !yield(r) {
			return
		}
	}
}
