package resource

import (
	"bytes"
	"fmt"

	"github.com/tidwall/btree"
)

// The store's trees: for each type an id tree, its records in memdb's id
// order, and a tree per property index, ordered by comparing the records'
// values (propIndex.compare). Each is a copy-on-write B-tree of record
// pointers, about 12 bytes an entry. The trees of one version are
// published with memdb's snapshot of it (published), so that a reader
// holds the data and its trees at the same version; a write changes a
// writable set of them (Tx.trees) that becomes the store's when it
// commits, so that one aborted, or rolled back after its backend failed,
// leaves no trace in them. memdb's id index stays the store of record, which every write
// changes and watches watch; gets, a write's lookups and listings read
// the trees.

// indexTree returns a property index and its tree as txn sees it.
func (l *layout) indexTree(txn *reading, path string) (*propIndex, *tree, error) {
	x, ok := l.index[path]
	if !ok {
		return nil, nil, fmt.Errorf("resource: %s has no index %s", l.t.Collection, path)
	}
	return x, txn.trees.t[x.n], nil
}

// tree is an id tree or a property index at one version.
type tree = btree.BTreeG[*record]

func (x *propIndex) newTree() *tree {
	return btree.NewBTreeGOptions(func(a, b *record) bool { return x.compare(a, b) < 0 }, btree.Options{NoLocks: true})
}

// newIDTree makes a type's id tree: its records in the order of memdb's id
// index. Listings walk it rather than memdb's radix tree, whose every leaf
// is an allocation of its own and whose walk reads several for each
// record; a B-tree's leaves hold a run of record pointers side by side.
// Gets read it too (get), and so do a write's lookups.
func newIDTree() *tree {
	return btree.NewBTreeGOptions(func(a, b *record) bool { return bytes.Compare(a.id, b.id) < 0 }, btree.Options{NoLocks: true})
}

// trees are the store's trees at one version. Published ones never
// change; a write transaction works on a writable set, which copies a tree
// (in O(1): its nodes are copied as the write reaches them) the first time
// the transaction changes it.
type trees struct {
	t     []*tree
	owned []bool // by a writable set: the trees it copied already
	// A writable set's hints, by tree, start each change (and the id
	// tree's gets) from where the last one was: a write's records are
	// often neighbours (a stage's tasks), so most steps down a tree then
	// take two comparisons rather than a binary search.
	hints []hints
}

type hints struct{ set, del btree.PathHint }

// writable returns a set for a write transaction to change.
func (ts *trees) writable() *trees {
	return &trees{t: append([]*tree(nil), ts.t...), owned: make([]bool, len(ts.t)), hints: make([]hints, len(ts.t))}
}

// seal ends a writable set's changes, before readers may read it.
func (ts *trees) seal() { ts.owned, ts.hints = nil, nil }

func (ts *trees) set(n int, r *record) { ts.mut(n).SetHint(r, &ts.hints[n].set) }
func (ts *trees) del(n int, r *record) { ts.mut(n).DeleteHint(r, &ts.hints[n].del) }

func (ts *trees) mut(n int) *tree {
	if !ts.owned[n] {
		ts.t[n], ts.owned[n] = ts.t[n].Copy(), true
	}
	return ts.t[n]
}

// reindex moves a record's entries from old to r: either may be nil (a
// create, a delete).
func (l *layout) reindex(ts *trees, old, r *record) {
	l.reindexID(ts, old, r)
	l.reindexProps(ts, old, r)
}

// reindexID moves a record's entry in its type's id tree, as reindex does.
func (l *layout) reindexID(ts *trees, old, r *record) {
	if r != nil {
		ts.set(l.ids, r)
	} else {
		ts.del(l.ids, old)
	}
}

// reindexProps moves a record's entries in the property indexes, as
// reindex does. An entry whose key stays is replaced in place.
func (l *layout) reindexProps(ts *trees, old, r *record) {
	for _, x := range l.indexes {
		had := old != nil && old.slots[x.slot] != nil
		has := r != nil && r.slots[x.slot] != nil
		if had && (!has || x.compare(old, r) != 0) {
			ts.del(x.n, old)
		}
		if has {
			ts.set(x.n, r)
		}
	}
}

// get finds a record of l's type by its id.
//
// A write looks records up here rather than in memdb: memdb reads an
// index a write transaction has changed through a clone of that index's
// transaction, and the clone makes the transaction forget the nodes it
// has copied already, so that each later insert copies its whole path
// again, 256-wide nodes and all. Updates a thousand to a write each
// copied six nodes, 8.6 KB, as single updates do.
//
// The tree is sought with probe, a record for the purpose whose id is set
// to id: a write brings its own, so that a lookup allocates nothing.
func (ts *trees) get(l *layout, id []byte, probe *record) *record {
	probe.id = id
	if ts.hints != nil { // a write's: the set that follows a get is of the same record
		r, _ := ts.t[l.ids].GetHint(probe, &ts.hints[l.ids].set)
		return r
	}
	r, _ := ts.t[l.ids].Get(probe)
	return r
}

// under returns the records of l's type whose ids start with prefix (a
// parent's children, a namespace's records), in id order.
func (ts *trees) under(l *layout, prefix []byte) []*record {
	var out []*record
	ts.t[l.ids].Ascend(&record{id: prefix}, func(r *record) bool {
		if !bytes.HasPrefix(r.id, prefix) {
			return false
		}
		out = append(out, r)
		return true
	})
	return out
}
