package resource

import (
	"context"
	"sync"
)

// History bounds: how many of the latest writes a store remembers the
// changes of, and how many changes in all, for Changes.
const (
	historyWrites  = 10000
	historyChanges = 100000
)

// KeepChanges sets how many of its latest writes the store remembers the
// changes of, and how many changes in all (the defaults are 10,000 and
// 100,000): more lets a client that follows changes fall further behind
// before it must list again (a 410), at the cost of memory.
func (s *Store) KeepChanges(writes, changes int) {
	s.history.mu.Lock()
	defer s.history.mu.Unlock()
	if writes > 0 && changes > 0 {
		s.history.maxWrites, s.history.maxChanges = writes, changes
	}
}

// Changed is a resource that changed after a version: created or updated
// (its current state is the store's), or deleted.
type Changed struct {
	Ref     Ref
	Version uint64 // of the write that changed it
	Deleted bool
}

// history remembers what the latest writes changed.
type history struct {
	mu      sync.Mutex
	sets    []ChangeSet // oldest first, without values
	changes int
	// from is the oldest version Changes serves changes after: those of
	// older writes are forgotten.
	from uint64
	// bounds, when not the defaults (tests)
	maxWrites, maxChanges int
}

func (h *history) load(version uint64, sets []ChangeSet) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.from = version
	if len(sets) > 0 && sets[len(sets)-1].Version == version {
		h.from = sets[0].Version - 1
		for _, cs := range sets {
			h.addLocked(cs)
		}
	}
}

// add remembers a write's changes, and forgets the oldest beyond the bounds.
func (h *history) add(cs ChangeSet) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.addLocked(cs)
}

func (h *history) addLocked(cs ChangeSet) {
	h.sets = append(h.sets, cs)
	h.changes += len(cs.Changes)
	maxWrites, maxChanges := historyWrites, historyChanges
	if h.maxWrites > 0 {
		maxWrites, maxChanges = h.maxWrites, h.maxChanges
	}
	// Dropping from the front is a reslice: the array's start is reused
	// when append next grows it, so each write costs O(1), not a shift.
	for len(h.sets) > maxWrites || h.changes > maxChanges {
		h.changes -= len(h.sets[0].Changes)
		h.from = h.sets[0].Version
		h.sets[0] = ChangeSet{} // let go of its changes
		h.sets = h.sets[1:]
	}
}

// truncate forgets the writes after version v, which were not saved.
func (h *history) truncate(v uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.sets) > 0 && h.sets[len(h.sets)-1].Version > v {
		h.changes -= len(h.sets[len(h.sets)-1].Changes)
		h.sets = h.sets[:len(h.sets)-1]
	}
}

// since returns the resources changed after version after and up to
// version upTo, each once, with its latest change.
func (h *history) since(after, upTo uint64) ([]Changed, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if after < h.from {
		return nil, false
	}
	var out []Changed
	at := map[string]int{}
	for _, cs := range h.sets {
		if cs.Version <= after || cs.Version > upTo {
			continue
		}
		for _, c := range cs.Changes {
			id := c.Ref.Type + "\x00" + string(c.Key)
			ch := Changed{Ref: c.Ref, Version: cs.Version, Deleted: c.Deleted}
			if i, ok := at[id]; ok {
				out[i] = ch
				continue
			}
			at[id] = len(out)
			out = append(out, ch)
		}
	}
	return out, true
}

// Changes returns the resources that changed after version after, each once
// with its latest change, in the order of their first change, and the
// version they bring a client to. It waits, until ctx ends, when nothing
// has changed yet (a long-poll): give a ctx that ends at once not to wait.
// An after older than the changes the store remembers is a 410: the client
// lists again, and asks for changes after the version of that listing.
// Writes that change only measurements (Tx.Measure) are not changes.
func (s *Store) Changes(ctx context.Context, after uint64) ([]Changed, uint64, error) {
	for {
		bell := s.bell.wait()
		v := s.Version()
		if after > v {
			return nil, v, Errorf(Invalid, "since", "Version %d is in the future: the store is at version %d.", after, v)
		}
		out, ok := s.history.since(after, v)
		if !ok {
			return nil, v, Errorf(Gone, "since", "The changes after version %d are no longer kept: list again, and ask for the changes after the listing's version.", after).Named("HISTORY_EXPIRED")
		}
		if len(out) > 0 || v > after {
			return out, v, nil
		}
		select {
		case <-bell:
		case <-ctx.Done():
			return nil, v, nil
		}
	}
}

// bell lets goroutines wait for the next write to become visible.
type bell struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *bell) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *bell) ring() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}
