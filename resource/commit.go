package resource

import (
	"context"

	"github.com/hashicorp/go-memdb"
)

// A write reaches readers in one step: it is committed to the writers'
// memdb (s.db), then a snapshot of that is published (s.pub), which is all
// readers read. With a backend the snapshot is published once the write
// is durable; without one, at once.

// write runs fn in a write transaction with the next version, committing
// when it returns nil and discarding everything otherwise. With a backend,
// the write is handed to it under the lock, in version order, and waited
// for outside it, so that concurrent writers share the backend's syncs;
// it becomes visible, and write returns, once it is durable.
func (s *Store) write(ctx context.Context, fn func(tx *Tx) error) error {
	if s.log != nil {
		return s.propose(ctx, fn)
	}
	s.writeMu.Lock()
	if err := ctx.Err(); err != nil {
		s.writeMu.Unlock()
		return err
	}
	tx := s.newTx(ctx, s.index.Load()+1)
	cs, err := s.run(tx, fn)
	if err != nil {
		tx.abort()
		s.writeMu.Unlock()
		return err
	}
	var wait func() error
	if s.backend != nil {
		wait = s.backend.Commit(cs)
	}
	s.index.Store(tx.version)
	tx.txn.Commit()
	tx.trees.seal()
	s.trees = tx.trees
	s.history.add(changed(cs))
	s.spare = tx.spare()
	pub, epoch := s.state(tx.version), s.epoch
	if s.backend == nil {
		s.publish(pub)
		s.writeMu.Unlock()
		return nil
	}
	s.writeMu.Unlock()
	if err := wait(); err != nil {
		s.rollback(epoch)
		return notSaved(err)
	}
	s.publish(pub)
	return nil
}

// newTx starts a write transaction of version on the writers' memdb.
func (s *Store) newTx(ctx context.Context, version uint64) *Tx {
	w := writes{txn: s.db.Txn(true), held: s.spare.held, words: s.spare.words, changes: changes{bySeq: s.spare.bySeq}}
	s.spare = spare{}
	return &Tx{ctx: ctx, s: s, writes: w, version: version}
}

// run runs fn in tx, under writeMu, and returns the change set of what it
// did. When fn panics (a hook's bug, say), the transaction and its parts
// are discarded and writers released before the panic goes on: the
// server that recovers it goes on writing, with nothing of the write.
func (s *Store) run(tx *Tx, fn func(tx *Tx) error) (*ChangeSet, error) {
	defer func() {
		if p := recover(); p != nil {
			tx.abort()
			s.writeMu.Unlock()
			panic(p)
		}
	}()
	tx.trees = s.trees.writable()
	if err := fn(tx); err != nil {
		return nil, err
	}
	if err := tx.flush(); err != nil {
		return nil, err
	}
	return s.changeSet(tx.changes.done(), tx.version, s.backend != nil || s.log != nil)
}

// publish makes a write visible: the state after it becomes what readers
// read, unless a later one already has.
func (s *Store) publish(p *published) {
	s.pubMu.Lock()
	if s.pub.Load().version < p.version {
		s.pub.Store(p)
		s.schemaSaved.Store(true)
	}
	s.pubMu.Unlock()
	s.bell.ring()
}

// rollback returns writers to the last durable write after the backend
// failed one: what was built on it is lost with it, as the backend fails
// every later change set until the store commits from there again.
func (s *Store) rollback(epoch uint64) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.epoch != epoch {
		return // another failed writer has rolled back already
	}
	s.epoch++
	s.pubMu.Lock()
	pub := s.pub.Load()
	s.pubMu.Unlock()
	s.db, s.trees = pub.db.Snapshot(), pub.trees
	s.index.Store(pub.version)
	s.history.truncate(pub.version)
}

// spillAfter is how many records a write changes in one memdb
// transaction before it commits them to the writers' memdb and goes on in
// another. A memdb transaction keeps the watch channels its commit must
// close in a set of 8,192; past that, its commit finds them by walking
// the whole tree, old and new: in a store of a million tasks, a write of
// 2,000 took 210 ms where one of 1,000 took 28. A thousand is a stage's
// tasks, which orchestration writes together: in one part, they are
// flushed (writes.go) and committed once. Readers never see a part: they
// read the published snapshot, and the write is published whole.
const spillAfter = 1000

// parts is what a write committed of itself to the writers' memdb before
// its end.
type parts struct {
	writes int          // records changed in the current memdb transaction
	base   *memdb.MemDB // the writers' memdb before the first part
}

// spill counts a record the transaction changed and, past spillAfter,
// commits what the current memdb transaction holds and goes on in a new
// one. Callers must not hold the old one, nor an iterator of it. A
// replica's proposal is never committed here (the log commits it), so it
// makes no parts.
func (tx *Tx) spill() error {
	p := &tx.parts
	if p.writes++; tx.s.log != nil || p.writes < spillAfter {
		return nil
	}
	if err := tx.flush(); err != nil {
		return err
	}
	if p.base == nil {
		p.base = tx.s.db.Snapshot()
	}
	// Watchers woken by the part's channels wait for the write to be
	// published, as they do for a write a backend has yet to make durable.
	tx.s.index.Store(tx.version)
	tx.txn.Commit()
	tx.txn = tx.s.db.Txn(true)
	p.writes = 0
	return nil
}

// abort discards the transaction, and the parts it committed.
func (tx *Tx) abort() {
	tx.txn.Abort()
	if tx.parts.base == nil {
		return
	}
	tx.s.db = tx.parts.base
	tx.s.index.Store(tx.version - 1)
	tx.s.bell.ring() // watchers waiting for the write look again
}
