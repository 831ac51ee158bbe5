package resource

import (
	"context"

	"github.com/hashicorp/go-memdb"
)

// Watch blocks until a resource of a type in a namespace and scope changes
// after version after, for long-polling clients waiting on a request. It
// returns at once when a resource in scope already has a newer version, and
// otherwise when anything in scope is created, updated or deleted, or when
// ctx ends (with ctx's error). The version it returns is the store's when
// it saw the change: pass it as after to wait for the next one. A
// deletion is seen as the scope holding fewer resources.
//
// The scope works as in Query, and is watched through the id index: scope
// the watch by a parent's keys (a request's tasks) to keep it cheap.
func (s *Store) Watch(ctx context.Context, typ, ns string, scope map[string]string, after uint64) (uint64, error) {
	l, err := s.layout(typ)
	if err != nil {
		return 0, err
	}
	eq, err := l.scope(scope)
	if err != nil {
		return 0, err
	}
	ns = namespace(ns)
	a := l.plan(ns, nil, eq)
	if a.index != idIndex { // watch the namespace through the id index
		a = access{kind: "scan", index: idIndex, seeks: [][]byte{appendEncoded(nil, ns)}}
	}
	match := inScope(a.unpinned(l, eq))
	index := idIndex + "_prefix"
	if a.kind == "get" {
		index = idIndex
	}
	var before int
	for first := true; ; first = false {
		ws := memdb.NewWatchSet()
		version, count, newest, err := s.survey(l, a, index, match, ws)
		if err != nil {
			return 0, err
		}
		if newest > after || (!first && count != before) {
			return version, nil
		}
		before = count
		if err := s.await(ctx, ws, version); err != nil {
			return 0, err
		}
		// memdb's channels may fire for changes next to the prefix too:
		// look again, and wait again when nothing in scope changed.
	}
}

// survey reads, from one snapshot, the store's version, the number of
// records in scope and the newest version among them, and adds the watch
// channels of the access path to ws.
func (s *Store) survey(l *layout, a access, index string, match func(*record) bool, ws memdb.WatchSet) (version uint64, count int, newest uint64, err error) {
	txn := s.read()
	version = txn.version
	for _, seek := range a.seeks {
		it, err := txn.Get(l.t.Collection, index, seek)
		if err != nil {
			return 0, 0, 0, err
		}
		ws.Add(it.WatchCh())
		for obj := it.Next(); obj != nil; obj = it.Next() {
			if r := obj.(*record); match(r) {
				count++
				newest = max(newest, r.version)
			}
		}
	}
	return version, count, newest, nil
}

// await waits for memdb's channels in ws to fire, or, while a write ahead
// of version seen is not yet published (its channels have fired already,
// on the writers' memdb: it is not durable yet, or it is a write in
// parts), for the next write to become visible.
func (s *Store) await(ctx context.Context, ws memdb.WatchSet, seen uint64) error {
	bell := s.bell.wait()
	if s.Version() != seen {
		return nil // visible already: look again
	}
	if s.index.Load() == seen {
		ws.Add(bell) // nothing in flight: memdb's channels will fire
		return ws.WatchCtx(ctx)
	}
	select {
	case <-bell:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
