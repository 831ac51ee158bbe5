package resource

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/hashicorp/go-memdb"
)

// A type's memdb table has one index, "id", unique, on the namespace and
// keys. There is no separate parent index: a child's keys start with its
// parent's, so a prefix of the id index finds a parent's children.
//
// Its property indexes are not memdb's (see trees.go): memdb's radix
// trees cost about 450 bytes an entry (a leaf with its own key copy and
// watch channel, inner nodes 256 wide where keys are dense), and memdb
// rewrites every index of a record on every update, changed or not,
// copying those wide nodes. A profile of a million tasks found two
// property indexes half of the heap and most of an update's time.
const idIndex = "id"

// idIndexer indexes records by their id bytes. Arguments are id bytes or a
// prefix of them, already encoded.
type idIndexer struct{}

// FromObject, FromArgs and PrefixFromArgs implement memdb's indexers.
func (idIndexer) FromObject(obj any) (bool, []byte, error) { return true, obj.(*record).id, nil }
func (idIndexer) FromArgs(args ...any) ([]byte, error)     { return bytesArg(args) }
func (idIndexer) PrefixFromArgs(args ...any) ([]byte, error) {
	return bytesArg(args)
}

func bytesArg(args []any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("resource: an index takes one argument, not %d", len(args))
	}
	b, ok := args[0].([]byte)
	if !ok {
		return nil, fmt.Errorf("resource: an index argument must be encoded bytes, not %T", args[0])
	}
	return b, nil
}

// tableSchema is the memdb table of a type.
func (l *layout) tableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{Name: l.t.Collection, Indexes: map[string]*memdb.IndexSchema{
		idIndex: {Name: idIndex, Unique: true, Indexer: idIndexer{}},
	}}
}

// propIndex is the index of one property: the type's records that have
// it, ordered by namespace, scope (for a child type, its first key), the
// value, then id, so that every lookup stays in its namespace and its root
// (a cluster): a range under a cluster reads that cluster's hosts only,
// and a lookup by cluster and component stays a seek. The order is the
// byte order of the index keys the planner encodes (appendIndexKey).
type propIndex struct {
	n     int // the tree's place in the store's trees
	path  string
	slot  int
	scope []int
	kinds []Kind // of scope's slots, then of slot
	width int    // the type's slots, for probes
}

// declareIndexes declares the id tree and the property indexes of a type,
// numbering their trees from n.
func (l *layout) declareIndexes(n int) int {
	l.ids = n
	n++
	l.index = map[string]*propIndex{}
	for i, p := range l.props {
		if !p.Indexed || !l.indexable(i) {
			continue
		}
		x := &propIndex{n: n, path: p.Path, slot: i, scope: l.parentKeys(), width: len(l.props)}
		for _, s := range x.scope {
			x.kinds = append(x.kinds, l.props[s].Kind)
		}
		x.kinds = append(x.kinds, p.Kind)
		l.indexes = append(l.indexes, x)
		l.index[p.Path] = x
		n++
	}
	return n
}

// compareBase orders records by their namespace and scope: the part of
// an index key every access path stays within.
func (x *propIndex) compareBase(a, b *record) int {
	if c := strings.Compare(a.ns, b.ns); c != 0 {
		return c
	}
	for _, s := range x.scope {
		if c := compareValue(a.slots[s], b.slots[s]); c != 0 {
			return c
		}
	}
	return 0
}

// compareKey orders records by their index key, without the id.
func (x *propIndex) compareKey(a, b *record) int {
	if c := x.compareBase(a, b); c != 0 {
		return c
	}
	return compareValue(a.slots[x.slot], b.slots[x.slot])
}

// compare is the index's order: the key, then the id.
func (x *propIndex) compare(a, b *record) int {
	if c := x.compareKey(a, b); c != 0 {
		return c
	}
	return bytes.Compare(a.id, b.id)
}

// compareValue orders two stored values of one kind as appendEncoded's
// bytes do; nil (a probe's missing part) comes first.
func compareValue(a, b any) int {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			bx, by := floatOrder(x), floatOrder(y)
			switch {
			case bx < by:
				return -1
			case bx > by:
				return 1
			}
			return 0
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case y:
				return -1
			}
			return 1
		}
	case nil:
		if b == nil {
			return 0
		}
		return -1
	}
	if b == nil {
		return 1
	}
	return 0 // kinds differ: a slot holds one kind
}

// floatOrder is a number's bits in the order appendEncoded writes them.
func floatOrder(f float64) uint64 {
	bits := math.Float64bits(f)
	if bits>>63 == 0 {
		return bits ^ 1<<63
	}
	return ^bits
}

// probe decodes an index key the planner encoded (the namespace, scope,
// then perhaps the value and an id) into a record to seek the tree with:
// a missing value or id comes before every present one.
func (x *propIndex) probe(key []byte) *record {
	r := &record{slots: make([]any, x.width)}
	ns, rest, ok := decodeString(key)
	if !ok {
		return r
	}
	r.ns = ns
	slots := append(append([]int(nil), x.scope...), x.slot)
	for i, s := range slots {
		var v any
		if v, rest, ok = decodeValue(x.kinds[i], rest); !ok {
			return r
		}
		r.slots[s] = v
	}
	if len(rest) > 0 {
		r.id = rest
	}
	return r
}

// decodeValue reads one appendEncoded value of a kind from the start of b.
func decodeValue(k Kind, b []byte) (any, []byte, bool) {
	switch k {
	case String:
		return decodeStringAny(b)
	case Number:
		if len(b) < 8 {
			return nil, b, false
		}
		bits := binary.BigEndian.Uint64(b)
		if bits>>63 == 1 {
			bits ^= 1 << 63
		} else {
			bits = ^bits
		}
		return math.Float64frombits(bits), b[8:], true
	case Bool:
		if len(b) < 1 {
			return nil, b, false
		}
		return b[0] == 1, b[1:], true
	}
	return nil, b, false
}

func decodeString(b []byte) (string, []byte, bool) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", b, false
	}
	return string(b[:i]), b[i+1:], true
}

func decodeStringAny(b []byte) (any, []byte, bool) {
	s, rest, ok := decodeString(b)
	if !ok {
		return nil, b, false
	}
	return s, rest, true
}

// indexKey is a record's key in a property index: its namespace, its
// scope's keys, the value.
func indexKey(r *record, scope []int, slot int) []byte { return appendIndexKey(nil, r, scope, slot) }

// appendIndexKey appends a record's index key to b.
func appendIndexKey(b []byte, r *record, scope []int, slot int) []byte {
	b = appendEncoded(b, r.ns)
	for _, s := range scope {
		b = appendEncoded(b, r.slots[s])
	}
	return appendEncoded(b, r.slots[slot])
}

// parentKeys are the slots of the leading keys property indexes are keyed
// by before the value: a child type's first key (its root's: the
// cluster), none for a type without a parent. Not every parent key: a
// lookup of a cluster's host components by component pins the cluster
// only.
func (l *layout) parentKeys() []int {
	if l.parent == nil {
		return nil
	}
	return l.keySlots[:1]
}
