package resource

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// The memdb indexes of a type's table: "id", unique, on the namespace and
// keys; and one index per indexed property, named by its path. There is no
// separate parent index: a child's keys start with its parent's, so a
// prefix of the id index finds a parent's children.
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

// propIndexer indexes records by one slot's encoded value, after the
// namespace and, for a child type, its first key (scope), so that every
// lookup stays in its namespace and its root (a cluster): a range under a
// cluster reads that cluster's hosts only, and a lookup by cluster and
// component (a component's host components) stays a seek. Records without
// the property are not indexed.
type propIndexer struct {
	slot  int
	scope []int // the slots of the leading keys, nil or the first
}

// FromObject, FromArgs and PrefixFromArgs implement memdb's indexers.
func (x propIndexer) FromObject(obj any) (bool, []byte, error) {
	r := obj.(*record)
	if r.slots[x.slot] == nil {
		return false, nil, nil
	}
	return true, indexKey(r, x.scope, x.slot), nil
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

func (propIndexer) FromArgs(args ...any) ([]byte, error)       { return bytesArg(args) }
func (propIndexer) PrefixFromArgs(args ...any) ([]byte, error) { return bytesArg(args) }

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
	ts := &memdb.TableSchema{Name: l.t.Collection, Indexes: map[string]*memdb.IndexSchema{
		idIndex: {Name: idIndex, Unique: true, Indexer: idIndexer{}},
	}}
	for i, p := range l.props {
		if p.Indexed && (p.Kind == String || p.Kind == Number || p.Kind == Bool) {
			ts.Indexes[p.Path] = &memdb.IndexSchema{Name: p.Path, AllowMissing: true, Indexer: propIndexer{slot: i, scope: l.parentKeys()}}
		}
	}
	return ts
}
