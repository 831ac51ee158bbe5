package resource

import (
	"slices"

	"github.com/hashicorp/go-memdb"
)

// A write keeps the list of what it changed itself rather than have memdb
// track it: memdb's list is per transaction, and a write in parts has a
// transaction per part; and memdb makes its list by keying every change
// by a string of its id, in a map, when asked for it.

// changes is what a write changed, each record once: from its state
// before the write to its last, as memdb reports a transaction's. A
// record deleted and made again is one change, from the old to the new.
type changes struct {
	list memdb.Changes
	at   map[*record]int            // a record the write made: its change in list
	gone map[*layout]map[string]int // a record the write deleted, by id: its change
}

// add notes that a write replaced before by after in l's table; either
// may be nil (a create, a delete).
func (c *changes) add(l *layout, before, after *record) {
	i, ok := c.find(l, before, after)
	if ok {
		c.list[i].After = object(after)
	} else {
		i = len(c.list)
		c.list = append(c.list, memdb.Change{Table: l.t.Collection, Before: object(before), After: object(after)})
	}
	if after != nil {
		if c.at == nil {
			c.at = map[*record]int{}
		}
		c.at[after] = i
		return
	}
	if c.gone == nil {
		c.gone = map[*layout]map[string]int{}
	}
	if c.gone[l] == nil {
		c.gone[l] = map[string]int{}
	}
	c.gone[l][string(before.id)] = i
}

// find returns the change that made before, or, for a create, the change
// that deleted a record of the same id, and forgets it.
func (c *changes) find(l *layout, before, after *record) (int, bool) {
	if before != nil {
		i, ok := c.at[before]
		delete(c.at, before)
		return i, ok
	}
	gone := c.gone[l]
	i, ok := gone[string(after.id)]
	delete(gone, string(after.id))
	return i, ok
}

// done returns the changes, without the records the write made and
// deleted again. Nothing may be added after; it may be called again.
func (c *changes) done() memdb.Changes {
	c.list = slices.DeleteFunc(c.list, func(ch memdb.Change) bool { return ch.Before == nil && ch.After == nil })
	c.at, c.gone = nil, nil
	return c.list
}

// object is a record as memdb holds it: nil for none, not a nil *record.
func object(r *record) any {
	if r == nil {
		return nil
	}
	return r
}
