package resource

import (
	"bytes"
	"cmp"
	"slices"
)

// A write keeps the list of what it changed itself rather than have memdb
// track it: memdb's list is per transaction, and a write in parts has a
// transaction per part; and memdb makes its list by keying every change
// by a string of its id, in a map, when asked for it. The list is made
// from the steps a write's flush (writes.go) sorts anyway, so that it
// needs no map of its own either, nor a sort of its own.

// changes is what a write changed, each record once: from its state
// before the write to its last (a step from old to r), as memdb reports a
// transaction's, in the order of the records' first changes. A record
// deleted and made again is one change, from the old to the new.
type changes struct {
	// bySeq holds each change at the place of its record's first step
	// (its seq), so that the list is in that order without a sort; the
	// other places are zero.
	bySeq   []step
	flushes int // that added changes: a record may have a change from each
}

// add notes the steps of a flush, sorted by type and id, so that the steps
// of one record are side by side: its change is from the first's old to
// the last's r. made is how many steps the write has made.
func (c *changes) add(steps []step, made int) {
	if len(steps) == 0 {
		return
	}
	c.flushes++
	c.bySeq = slices.Grow(c.bySeq, made-len(c.bySeq))[:made] // new places are zero
	for i := 0; i < len(steps); {
		ch := steps[i]
		for i++; i < len(steps) && sameRecord(steps[i], ch); i++ {
			ch.r = steps[i].r
		}
		c.bySeq[ch.seq] = ch
	}
}

// done returns the changes, without the records the write made and
// deleted again. Nothing may be added after; it may be called again.
func (c *changes) done() []step {
	// A change from nothing to nothing (a record made and deleted again)
	// is no change, but until the flushes are merged it holds the place
	// of the record's first step.
	list := slices.DeleteFunc(c.bySeq, func(ch step) bool { return ch.l == nil })
	if c.flushes > 1 { // merge the changes of a record from each flush
		slices.SortFunc(list, byRecord)
		merged := list[:0]
		for _, ch := range list {
			if n := len(merged); n > 0 && sameRecord(merged[n-1], ch) {
				merged[n-1].r = ch.r // from the first's old to the last's r
				continue
			}
			merged = append(merged, ch)
		}
		clear(list[len(merged):])
		list = merged
		slices.SortFunc(list, func(a, b step) int { return cmp.Compare(a.seq, b.seq) })
	}
	list = slices.DeleteFunc(list, func(ch step) bool { return ch.old == nil && ch.r == nil })
	c.bySeq, c.flushes = list, 1
	return list
}

// byRecord orders steps by type, then id (memdb's order), then as they
// were made.
func byRecord(a, b step) int {
	if c := cmp.Compare(a.l.ids, b.l.ids); c != 0 {
		return c
	}
	if c := bytes.Compare(a.id, b.id); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

func sameRecord(a, b step) bool { return a.l == b.l && bytes.Equal(a.id, b.id) }
