package resource

import "github.com/hashicorp/go-memdb"

// A write puts a record in its type's id tree at once, since its lookups
// read that tree, but holds the rest of the change (memdb's table and the
// property indexes) until something reads them: the write's own Find, the
// commit of a part (spill), the write's end. It then makes the held
// changes in id order. Orchestration updates a stage's tasks in no order
// (its changed tasks are a map); in id order, each change is next to the
// last in memdb's radix tree and in each index, whose nodes the write has
// copied and the cache holds already. A profile of a stage's thousand
// updates found the same work in id order 25-40% faster.

// writes is what a write changes: a memdb transaction, the trees, and
// the list of its changes.
type writes struct {
	txn     *memdb.Txn // the current one: a part's commit replaces it (spill), so read it at each step
	trees   *trees     // the write's, which it looks records up in (trees.get)
	changes changes
	lookup  lookup   // the write's own, for its lookups
	held    []step   // changes not yet in txn and the property indexes
	words   []uint64 // the buffer of sortSteps
	steps   int      // made, for their seq
}

// spare is what a write lets go of that the next may use: its lists of
// steps, and its sort's words (order.go), empty. A write of a thousand records makes about 110 KB of them,
// in allocations large enough that the runtime takes its heap lock for
// each and zeroes it; reusing them made a stage's thousand updates 8-15%
// faster (173k-185k records/s, 193k-209k after).
type spare struct {
	held, bySeq []step
	words       []uint64
}

// spareMax bounds the lists a write leaves to the next, in steps: one
// write of a million records does not keep 56 MB for every later one.
const spareMax = 4 * spillAfter

// spare returns the write's lists, emptied, once it has committed and
// nothing reads them.
func (w *writes) spare() spare {
	var s spare
	if cap(w.held) <= spareMax {
		s.held, s.words = w.held[:0], w.words[:0] // a flush empties held
	}
	if b := w.changes.bySeq; cap(b) <= spareMax {
		clear(b[:cap(b)]) // of the records, and so that the places add makes are zero
		s.bySeq = b[:0]
	}
	return s
}

// step is a change of the record of an id, from old to r: either may be
// nil (a create, a delete), and both are when steps of a record made and
// deleted again are merged (changes.go). seq is its place among the
// write's steps.
type step struct {
	l      *layout
	id     []byte
	old, r *record
	seq    int
}

// put stores r in place of old: either may be nil (a create, a delete).
func (w *writes) put(l *layout, old, r *record) {
	l.reindexID(w.trees, old, r)
	of := r // the record whose id the step is of
	if of == nil {
		of = old
	}
	w.held = append(w.held, step{l, of.id, old, r, w.steps})
	w.steps++
}

// flush makes the held changes, in id order; the changes of one record
// stay in the order they were made.
func (w *writes) flush() error {
	w.words = sortSteps(w.held, w.words)
	for _, s := range w.held {
		var err error
		if s.r != nil {
			err = w.txn.Insert(s.l.t.Collection, s.r)
		} else {
			err = w.txn.Delete(s.l.t.Collection, s.old)
		}
		if err != nil {
			return err
		}
		s.l.reindexProps(w.trees, s.old, s.r)
	}
	w.changes.add(w.held, w.steps)
	clear(w.held) // the records are the trees' now, not the list's to keep alive
	w.held = w.held[:0]
	return nil
}
