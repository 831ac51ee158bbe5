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
// needs no map of its own either.

// changes is what a write changed, each record once: from its state
// before the write to its last (a step from old to r), as memdb reports a
// transaction's, in the order of the records' first changes. A record
// deleted and made again is one change, from the old to the new.
type changes struct {
	list    []step
	flushes int // that added to list: a record may have a change from each
}

// add notes the steps of a flush, sorted by type and id, so that the steps
// of one record are side by side: its change is from the first's old to
// the last's r.
func (c *changes) add(steps []step) {
	if len(steps) == 0 {
		return
	}
	c.flushes++
	c.list = slices.Grow(c.list, len(steps))
	for i := 0; i < len(steps); {
		ch := steps[i]
		for i++; i < len(steps) && sameRecord(steps[i], ch); i++ {
			ch.r = steps[i].r
		}
		c.list = append(c.list, ch)
	}
}

// done returns the changes, without the records the write made and
// deleted again. Nothing may be added after; it may be called again.
func (c *changes) done() []step {
	if c.flushes > 1 { // merge the changes of a record from each flush
		slices.SortFunc(c.list, byRecord)
		merged := c.list[:0]
		for _, ch := range c.list {
			if n := len(merged); n > 0 && sameRecord(merged[n-1], ch) {
				merged[len(merged)-1].r = ch.r
				continue
			}
			merged = append(merged, ch)
		}
		clear(c.list[len(merged):])
		c.list, c.flushes = merged, 1
	}
	c.list = slices.DeleteFunc(c.list, func(ch step) bool { return ch.old == nil && ch.r == nil })
	slices.SortFunc(c.list, func(a, b step) int { return cmp.Compare(a.seq, b.seq) })
	return c.list
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
