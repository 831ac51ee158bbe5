package resource

import (
	"context"
	"errors"
	"fmt"
)

// Log is a store of record outside the process that several stores share
// (resource/etcd): a store proposes each write to it, and the write becomes
// visible when the log delivers it back through Apply, to every store that
// follows the log, the one that wrote it too. Versions are the log's.
type Log interface {
	// Propose makes the changes of cs durable, in one step, if every
	// record they replace is still at the version expected (0: absent),
	// and returns the version they got. When one is not, it returns a
	// *Refused and changes nothing.
	Propose(ctx context.Context, cs *ChangeSet, expect []Expect) (uint64, error)
}

// Expect is what a proposed change expects of the record it replaces: the
// version the write read, or 0 for a record that must not exist.
type Expect struct {
	Ref     Ref
	Key     []byte
	Version uint64
}

// Refused is a Log's refusal of a proposal: Ref changed since it was
// read (or, for a create, exists).
type Refused struct {
	Ref    Ref
	Exists bool // a create found the record
}

func (c *Refused) Error() string {
	if c.Exists {
		return fmt.Sprintf("resource: %s %v exists", c.Ref.Type, c.Ref.Keys)
	}
	return fmt.Sprintf("resource: %s %v changed", c.Ref.Type, c.Ref.Keys)
}

// Source is what a replica starts from: the records of a log at one
// version, as a Backend gives them.
type Source interface {
	State() (State, error)
	Scan(put func(Change) error) error
}

// OpenReplica returns a store that holds what src holds and proposes its
// writes to log: a write returns once the store has applied it (Apply),
// so that a client reads its own writes. Whoever follows the log calls
// Apply with every change set it delivers, in order.
func OpenReplica(src Source, log Log, types ...Type) (*Store, error) {
	s, err := New(types...)
	if err != nil {
		return nil, err
	}
	if err := s.loadFrom(src); err != nil {
		return nil, err
	}
	s.log = log
	s.pub.Store(s.state(s.index.Load()))
	return s, nil
}

// Reload replaces a replica's state with what src holds, at a later
// version, for a follower that fell behind what the log keeps (etcd
// compacted the revisions it had yet to apply). Readers see the old state
// until the new one is whole; what was kept of older versions, for page
// tokens and Changes, is gone (410), since the writes between are unknown.
func (s *Store) Reload(src Source) error {
	db, err := s.emptyDB()
	if err != nil {
		return err
	}
	loaded, ts, err := s.fill(db, src)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	s.db, s.trees = db, ts
	s.index.Store(loaded.Version)
	s.history.load(loaded.Version, nil)
	s.snaps.clear()
	s.pub.Store(s.state(loaded.Version))
	s.writeMu.Unlock()
	s.bell.ring()
	return nil
}

// Replica reports whether the store is a replica of a log other stores
// share (OpenReplica): other servers write too.
func (s *Store) Replica() bool { return s.log != nil }

// propose runs fn on the store's state without committing it, proposes
// what it changed to the log, and waits until the log's answer is applied.
func (s *Store) propose(ctx context.Context, fn func(tx *Tx) error) error {
	s.writeMu.Lock()
	if err := ctx.Err(); err != nil {
		s.writeMu.Unlock()
		return err
	}
	tentative := s.index.Load() + 1
	tx := s.newTx(ctx, tentative) // never committed: it makes no parts
	cs, err := s.run(tx, fn)
	var expect []Expect
	var written []*record
	if err == nil {
		expect, written = s.expectations(tx.changes.done())
	}
	tx.abort()
	s.writeMu.Unlock()
	if err != nil {
		return err
	}
	if len(cs.Changes) == 0 {
		return nil
	}
	version, err := s.log.Propose(ctx, cs, expect)
	var c *Refused
	switch {
	case errors.As(err, &c) && c.Exists:
		return Caused(Errorf(Exists, "", "%s already exists.", describeRef(c.Ref)), err)
	case errors.As(err, &c):
		return Caused(Errorf(Stale, "", "%s has changed since it was read: read it again.", describeRef(c.Ref)), err)
	case errors.As(err, new(*Error)): // the log's refusal in the store's words (too large)
		return err
	case err != nil:
		return notSaved(err)
	}
	for _, r := range written { // what fn returned: never published, so ours to stamp
		if r.version == tentative {
			r.version = version
		}
	}
	return s.AtLeast(ctx, version)
}

// expectations are what a write transaction expects of each record it
// replaces, and the records it wrote.
func (s *Store) expectations(changes []step) (expect []Expect, written []*record) {
	for _, ch := range changes {
		if r := ch.old; r != nil {
			expect = append(expect, Expect{Key: r.id, Version: r.version, Ref: Resource{ch.l, r}.Ref()})
		} else {
			expect = append(expect, Expect{Key: ch.r.id, Ref: Resource{ch.l, ch.r}.Ref()})
		}
		if ch.r != nil {
			written = append(written, ch.r)
		}
	}
	return expect, written
}

func describeRef(r Ref) string {
	if len(r.Keys) == 0 {
		return r.Type
	}
	return fmt.Sprintf("%s %s", r.Type, r.Keys[len(r.Keys)-1])
}

// AtLeast waits until the store has applied the write of version, so that
// a read sees it: a client that holds a version from another server reads
// at least as new a state here.
func (s *Store) AtLeast(ctx context.Context, version uint64) error {
	for {
		bell := s.bell.wait()
		if s.Version() >= version {
			return nil
		}
		select {
		case <-bell:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Apply makes a change set the log delivered visible, at its version:
// records are replaced or removed whole, as the log holds them. Change
// sets must come in version order; one at or below the store's version
// is ignored (a replay after reconnecting).
func (s *Store) Apply(cs *ChangeSet) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if cs.Version <= s.index.Load() {
		return nil
	}
	txn := s.db.Txn(true)
	defer txn.Abort()
	w := &writes{txn: txn, trees: s.trees.writable()}
	for _, c := range cs.Changes {
		l, ok := s.types[c.Ref.Type]
		if !ok {
			return fmt.Errorf("resource: the log holds %s, a type this server does not declare", c.Ref.Type)
		}
		before := w.trees.get(l, c.Key, &w.lookup.probe)
		if c.Deleted {
			if before != nil {
				w.put(l, before, nil)
			}
			continue
		}
		r, err := l.decode(c.Key, c.Value)
		if err != nil {
			return fmt.Errorf("resource: reading %s %q: %w", c.Ref.Type, c.Key, err)
		}
		r.version = cs.Version
		w.put(l, before, r)
	}
	if err := w.flush(); err != nil {
		return err
	}
	applied, err := s.changeSet(w.changes.done(), cs.Version, false)
	if err != nil {
		return err
	}
	txn.Commit()
	w.trees.seal()
	s.trees = w.trees
	s.index.Store(cs.Version)
	s.history.add(changed(applied))
	s.pub.Store(s.state(cs.Version))
	s.bell.ring()
	return nil
}
