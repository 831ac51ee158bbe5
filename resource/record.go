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

// newRecord allocates a record, with its id beside it when the id is
// short, as most are: comparing ids (seeks and the id tree's updates) then
// reads one place in memory rather than two. The id is copied.
func newRecord(ns string, id []byte, slots []any, version uint64) *record {
	var r *record
	if len(id) <= shortID {
		p := new(struct {
			record
			buf [shortID]byte
		})
		r = &p.record
		r.id = append(p.buf[:0:shortID], id...)
	} else {
		r = &record{id: append([]byte(nil), id...)}
	}
	r.ns, r.slots, r.version = ns, slots, version
	return r
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
