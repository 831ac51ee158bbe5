package resource

import (
	"strings"

	"github.com/ambitkit/ambit/query"
)

// record is one stored resource. Records are immutable once inserted: an
// update builds a new one.
type record struct {
	ns      string
	id      []byte // the id index value: namespace and encoded keys
	slots   []any  // by the layout's slots; nil is absent
	version uint64 // the store index of the write that last changed it
}

// shortID is the longest id a record holds in its own allocation.
const shortID = 32

// inlined is a record with its id and slots in the same allocation.
type inlined[A any] struct {
	record
	id    [shortID]byte
	slots A
}

// newRecord allocates a record of n slots, all absent, and no id yet
// (setID). Its slots, and its id when it is short, as most are, are in its
// own allocation: an index's comparisons (seeks, and every write's) then
// read one place in memory rather than three, and the collector has one
// object to mark, not three.
func newRecord(ns string, n int, version uint64) *record {
	var r *record
	switch {
	case n <= 4:
		r = inline(n, func(a *[4]any) []any { return a[:] })
	case n <= 8:
		r = inline(n, func(a *[8]any) []any { return a[:] })
	case n <= 12:
		r = inline(n, func(a *[12]any) []any { return a[:] })
	case n <= 16:
		r = inline(n, func(a *[16]any) []any { return a[:] })
	case n <= 24:
		r = inline(n, func(a *[24]any) []any { return a[:] })
	default:
		r = &record{slots: make([]any, n)}
	}
	r.ns, r.version = ns, version
	return r
}

func inline[A any](n int, slots func(*A) []any) *record {
	p := new(inlined[A])
	p.record.id = p.id[:0:shortID]
	p.record.slots = slots(&p.slots)[:n:n]
	return &p.record
}

// setID copies id into the record.
func (r *record) setID(id []byte) {
	if cap(r.id) >= len(id) {
		r.id = append(r.id[:0], id...)
		return
	}
	r.id = append([]byte(nil), id...)
}

// idOf encodes a namespace and key values as the id index value. The
// encoding sorts by namespace, then keys in their natural order.
func idOf(ns string, keys []any) []byte {
	b := make([]byte, 0, len(ns)+1+16*len(keys))
	b = appendEncoded(b, ns)
	for _, k := range keys {
		b = appendEncoded(b, k)
	}
	return b
}

// keyValues are the record's key values, in key order.
func (l *layout) keyValues(r *record) []any {
	out := make([]any, len(l.keySlots))
	for i, s := range l.keySlots {
		out[i] = r.slots[s]
	}
	return out
}

// keyStrings are the record's key values as they appear in URLs.
func (l *layout) keyStrings(r *record) []string {
	out := make([]string, len(l.keySlots))
	for i, s := range l.keySlots {
		out[i] = text(r.slots[s])
	}
	return out
}

// tree renders the record as a property tree, every property included.
func (l *layout) tree(r *record) map[string]any { return l.treeOf(r, nil) }

// treeOf renders the given slots of a record as a property tree; nil
// means every slot.
func (l *layout) treeOf(r *record, slots []int) map[string]any {
	root := make(map[string]any, 2)
	if slots == nil {
		slots = l.all
	}
	// Most paths are Category/name, in runs of one category: the run's
	// map is looked up once and made at its size.
	var cat map[string]any
	var name string // cat's
	for _, i := range slots {
		v := r.slots[i]
		if v == nil {
			continue
		}
		p := l.paths[i]
		if len(p) != 2 {
			setPath(root, p, v)
			cat = nil
			continue
		}
		if cat == nil || name != p[0] {
			var ok bool
			if cat, ok = root[p[0]].(map[string]any); !ok {
				cat = make(map[string]any, len(slots))
				root[p[0]] = cat
			}
			name = p[0]
		}
		cat[p[1]] = v
	}
	return root
}

// view lets a predicate read a record: it implements query.Resource, for
// paths a layout does not bind (those beneath Object properties).
type view struct {
	l *layout
	r *record
}

// Get implements query.Resource.
func (v view) Get(p query.Path) (any, bool) {
	if i, ok := v.l.slot[strings.Join(p, "/")]; ok {
		return v.r.slots[i], v.r.slots[i] != nil
	}
	return query.Tree(v.l.tree(v.r)).Get(p)
}
