package resource

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Backend makes a store durable. The store calls Commit with each write's
// changes before the write becomes visible, and reads everything back with
// Load when it opens: memdb answers every query, the backend only keeps
// what memdb holds. resource/bolt is one.
type Backend interface {
	// State returns what the backend holds beside the records.
	State() (State, error)
	// Scan calls put with every record the backend holds, in any order.
	// A Change's Value is valid only until put returns.
	Scan(put func(Change) error) error
	// Commit persists a change set. The store calls it in version order,
	// with its writes serialized, and it must not block for long: it
	// returns a function that waits until the change set is durable (nil)
	// or could not be made so. Once one fails, every change set after it
	// fails too, until the store commits again from the last durable
	// version, so that nothing built on a lost write is kept.
	Commit(cs *ChangeSet) (wait func() error)
}

// Change is one resource written or deleted by a write.
type Change struct {
	Ref Ref
	// Key is the record's identity in the store: its namespace and keys,
	// encoded so that they sort as the store lists them.
	Key []byte
	// Value is the record, encoded; nil when Deleted.
	Value   []byte
	Deleted bool
	// Version is that of the write that last changed the record, which a
	// write that only measures it (Tx.Measure) keeps.
	Version uint64
}

// ChangeSet is what one write changed, at the store version it made.
type ChangeSet struct {
	Version uint64
	Changes []Change
	// Schema is set when the store's declarations differ from those the
	// backend holds (the first write after opening a new or older file):
	// the backend keeps it, and returns it from Load.
	Schema []byte
}

// State is what a backend holds beside the records.
type State struct {
	// Version is that of the last durable write.
	Version uint64
	// Schema is the declarations the records were written under, as the
	// store gave them; nil for a new backend.
	Schema []byte
	// History holds the most recent change sets, oldest first, without
	// their values, for Changes.
	History []ChangeSet
}

// errNotSaved is the client's error when a write could not be persisted.
func notSaved(err error) error {
	return Caused(Errorf(Unavailable, "", "The change could not be saved, and was not made: try again later.").Named("NOT_SAVED"), err)
}

// Open returns a store for the given types whose writes go to b, loaded
// with what b holds. Records written under declarations that disagree with
// types (a key or a property's kind changed, a type gone) are refused with
// an error naming them, rather than read wrongly.
func Open(b Backend, types ...Type) (*Store, error) {
	s, err := New(types...)
	if err != nil {
		return nil, err
	}
	if err := s.load(b); err != nil {
		return nil, err
	}
	return s, nil
}

// loadChunk is how many records one memdb transaction loads.
const loadChunk = 10000

func (s *Store) load(b Backend) error {
	if err := s.loadFrom(b); err != nil {
		return err
	}
	s.backend = b
	s.pub.Store(s.state(s.index.Load()))
	return nil
}

// loadFrom fills a new store with what src holds.
func (s *Store) loadFrom(src Source) error {
	loaded, ts, err := s.fill(s.db, src)
	if err != nil {
		return err
	}
	s.trees = ts
	s.index.Store(loaded.Version)
	s.history.load(loaded.Version, loaded.History)
	s.newSchema = s.schema()
	s.schemaSaved.Store(string(s.newSchema) == string(loaded.Schema))
	return nil
}

// fill loads what src holds into db, an empty memdb of the store's, and
// returns src's state and the trees of what it loaded.
func (s *Store) fill(db *memdb.MemDB, src Source) (State, *trees, error) {
	loaded, err := src.State()
	if err != nil {
		return State{}, nil, err
	}
	if err := s.checkSchema(loaded.Schema); err != nil {
		return State{}, nil, err
	}
	if err := s.useSchema(loaded.Schema); err != nil {
		return State{}, nil, err
	}
	txn := db.Txn(true)
	w := s.emptyTrees().writable()
	n := 0
	err = src.Scan(func(c Change) error {
		l, ok := s.types[c.Ref.Type]
		if !ok {
			return fmt.Errorf("resource: the data holds %s, a type this server does not declare", c.Ref.Type)
		}
		r, err := l.decode(c.Key, c.Value)
		if err != nil {
			return fmt.Errorf("resource: reading %s %q: %w", c.Ref.Type, c.Key, err)
		}
		if c.Version != 0 { // a log's own (etcd's mod_revision) over the encoded one
			r.version = c.Version
		}
		if err := txn.Insert(l.t.Collection, r); err != nil {
			return err
		}
		l.reindex(w, nil, r)
		if n++; n%loadChunk == 0 {
			txn.Commit()
			txn = db.Txn(true)
		}
		return nil
	})
	if err != nil {
		txn.Abort()
		return State{}, nil, err
	}
	txn.Commit()
	w.seal()
	return loaded, w, nil
}

// changeSet returns what a write transaction changed, with the records
// encoded when encode is set (for a backend).
func (s *Store) changeSet(changes []step, version uint64, encode bool) (*ChangeSet, error) {
	cs := &ChangeSet{Version: version, Changes: make([]Change, 0, len(changes))}
	if encode && !s.schemaSaved.Load() {
		cs.Schema = s.newSchema
	}
	for _, ch := range changes {
		l := ch.l
		if ch.r == nil {
			r := ch.old
			cs.Changes = append(cs.Changes, Change{Ref: Resource{l, r}.Ref(), Key: r.id, Deleted: true})
			continue
		}
		r := ch.r
		c := Change{Ref: Resource{l, r}.Ref(), Key: r.id, Version: r.version}
		if encode {
			v, err := l.encode(r)
			if err != nil {
				return nil, fmt.Errorf("resource: encoding %s: %w", l.t.Name, err)
			}
			c.Value = v
		}
		cs.Changes = append(cs.Changes, c)
	}
	return cs, nil
}

// changed is the part of a change set that history keeps: no values, and
// no records whose version the write kept (measurements).
func changed(cs *ChangeSet) ChangeSet {
	if kept(cs) { // as most are without a backend: the set is history's alone
		return ChangeSet{Version: cs.Version, Changes: cs.Changes}
	}
	out := ChangeSet{Version: cs.Version, Changes: make([]Change, 0, len(cs.Changes))}
	for _, c := range cs.Changes {
		if c.Deleted || c.Version == cs.Version {
			out.Changes = append(out.Changes, Change{Ref: c.Ref, Key: c.Key, Deleted: c.Deleted, Version: c.Version})
		}
	}
	return out
}

// kept reports whether history keeps every change of a set as it is: none
// holds a value or is a measurement's.
func kept(cs *ChangeSet) bool {
	for _, c := range cs.Changes {
		if c.Value != nil || !c.Deleted && c.Version != cs.Version {
			return false
		}
	}
	return true
}
