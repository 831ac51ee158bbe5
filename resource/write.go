package resource

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
)

// Tx is a write transaction: everything done through it is committed
// together when the function given to Write returns nil, and discarded
// otherwise. A Tx must not be used after that function returns.
type Tx struct {
	ctx context.Context
	s   *Store
	writes
	version uint64
	inHook  map[*layout]bool // types whose hook is running, not to re-enter
	parts   parts            // what the write committed of itself already
}

// Write runs fn in one write transaction, all or nothing: a batch of
// creates, updates and deletes across types. Writes are serialized; reads
// are never blocked and never see a transaction in part.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return s.write(ctx, fn)
}

// Create adds resources of one type to a namespace, all or none. Each body
// is a property tree ({"Hosts": {"host_name": "h1"}}). A body with
// undeclared properties, a missing required property or a value of the
// wrong kind is a 400 naming every problem; a duplicate is a 409; a missing
// parent a 404.
func (s *Store) Create(ctx context.Context, typ, ns string, bodies ...map[string]any) ([]Resource, error) {
	var out []Resource
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.Create(typ, ns, bodies...)
		return err
	})
	return out, err
}

// Context is the context Write was given, for what a domain passes down
// to the writes it makes (an idempotency key, say).
func (tx *Tx) Context() context.Context { return tx.ctx }

// Create adds resources within the transaction, as Store.Create does.
func (tx *Tx) Create(typ, ns string, bodies ...map[string]any) ([]Resource, error) {
	l, err := tx.s.layout(typ)
	if err != nil {
		return nil, err
	}
	ns = namespace(ns)
	out := make([]Resource, 0, len(bodies))
	for i, body := range bodies {
		r, err := l.created(ns, body, tx.version)
		if err != nil {
			return nil, ItemError(err, i, len(bodies))
		}
		if err := tx.insert(l, r); err != nil {
			return nil, ItemError(err, i, len(bodies))
		}
		res := Resource{l, r}
		if err := tx.hook(l, l.t.Hooks.Created != nil, func() error { return l.t.Hooks.Created(tx, res) }); err != nil {
			return nil, ItemError(err, i, len(bodies))
		}
		out = append(out, res)
	}
	return out, nil
}

// hook runs a type's hook, when it has one, unless one of the type's hooks
// is already running in this transaction: a hook that writes its own type
// does not call itself again.
func (tx *Tx) hook(l *layout, has bool, run func() error) error {
	if !has || tx.inHook[l] {
		return nil
	}
	if tx.inHook == nil {
		tx.inHook = map[*layout]bool{}
	}
	tx.inHook[l] = true
	defer delete(tx.inHook, l)
	return run()
}

func (tx *Tx) insert(l *layout, r *record) error {
	if tx.trees.get(l, r.id, &tx.lookup.probe) != nil {
		kv := l.keys(l.keyValues(r))
		return &Error{Kind: Exists, Type: l.t.Name, Keys: kv, Msg: fmt.Sprintf("%s already exists: %s.", l.t.Name, describeKV(kv))}
	}
	if p := l.parent; p != nil {
		parentID := idOf(r.ns, l.keyValues(r)[:len(p.keySlots)])
		if tx.trees.get(p, parentID, &tx.lookup.probe) == nil {
			return p.notFound(l.keyValues(r)[:len(p.keySlots)])
		}
	}
	return tx.put(l, nil, r)
}

// put stores r in place of old within the transaction: either may be
// nil (a create, a delete). The transaction's memdb transaction may be
// another after it (see spill).
func (tx *Tx) put(l *layout, old, r *record) error {
	tx.writes.put(l, old, r)
	return tx.spill()
}

// drop removes r within the transaction.
func (tx *Tx) drop(l *layout, r *record) error { return tx.put(l, r, nil) }

// created builds a record from a create body.
func (l *layout) created(ns string, body map[string]any, version uint64) (*record, error) {
	r := newRecord(ns, len(l.props), version)
	slots := r.slots
	if _, err := l.assign(slots, body, false); err != nil {
		return nil, err
	}
	var missing []Problem
	for i, p := range l.props {
		if slots[i] == nil && p.Default != nil {
			v, err := coerce(p.Kind, p.Default)
			if err != nil {
				return nil, fmt.Errorf("resource: type %s: default of %s: %w", l.t.Name, p.Path, err)
			}
			slots[i] = l.intern.value(v)
		}
		if slots[i] == nil && p.Required {
			missing = append(missing, Problem{Path: p.Path, Reason: Required})
		}
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, d := range missing {
			names[i] = d.Path
		}
		return nil, &Error{Kind: Invalid, Type: l.t.Name, Problems: missing,
			Msg: fmt.Sprintf("The properties [%s] are required to create a %s.", strings.Join(names, ", "), l.t.Name)}
	}
	var buf [shortID]byte
	id := appendEncoded(buf[:0], ns)
	for _, k := range l.keySlots {
		id = appendEncoded(id, slots[k])
	}
	r.setID(id)
	return r, nil
}

// assign sets slots from a body, reporting every undeclared property and
// every bad value in one error. With update set, read-only properties are
// refused. It reports whether it set a key's slot, which only a write
// without update's guard may.
func (l *layout) assign(slots []any, body map[string]any, update bool) (keys bool, err error) {
	var path [128]byte // a property's path, looked up without making a string of it
	a := assigner{l: l, slots: slots, update: update}
	a.walk(path[:0], body)
	if len(a.unknown) > 0 {
		slices.Sort(a.unknown)
		return false, l.unsupported(a.unknown)
	}
	if bad := a.bad; len(bad) > 0 {
		slices.SortFunc(bad, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
		msgs := make([]string, len(bad))
		for i, d := range bad {
			msgs[i] = d.Path + ": " + d.Reason
		}
		return false, &Error{Kind: Invalid, Type: l.t.Name, Problems: bad, Field: bad[0].Path,
			Msg: fmt.Sprintf("Invalid properties for the resource type %s: %s.", l.t.Name, strings.Join(msgs, "; "))}
	}
	return a.keys, nil
}

// assigner is one assign's walk of a body.
type assigner struct {
	l       *layout
	slots   []any
	update  bool
	keys    bool // a key's slot was set
	unknown []string
	bad     []Problem
}

// walk assigns the properties of m, the category at path (empty, or
// ending in a slash). It returns path's buffer, which it may have grown.
func (a *assigner) walk(path []byte, m map[string]any) []byte {
	l, prefix := a.l, len(path)
	for k, v := range m {
		path = append(path[:prefix], k...)
		if i, ok := l.slot[string(path)]; ok {
			p := l.props[i]
			switch cv, err := coerce(p.Kind, v); {
			case err != nil:
				a.bad = append(a.bad, Problem{Path: p.Path, Reason: err.Error()})
			case a.update && p.ReadOnly:
				if cv == nil || paging.CompareValues(cv, a.slots[i]) != 0 {
					a.bad = append(a.bad, Problem{Path: p.Path, Reason: ReadOnly})
				}
			default:
				a.slots[i] = l.intern.value(cv)
				a.keys = a.keys || p.ReadOnly && slices.Contains(l.keySlots, i) // keys are read-only
			}
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			if _, isCategory := l.categories[string(path)]; isCategory {
				path = a.walk(append(path, '/'), sub)
				continue
			}
		}
		a.unknown = append(a.unknown, string(path))
	}
	return path
}

// Update merges a body into one resource: the given properties change, the
// others stay; null removes a property that is not required. Read-only
// properties cannot change. When ifVersion is not zero, the update happens
// only if the resource's version is still ifVersion, and is a 412
// otherwise, so that no update is lost.
func (s *Store) Update(ctx context.Context, ref Ref, body map[string]any, ifVersion uint64) (Resource, error) {
	var out Resource
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.Update(ref, body, ifVersion)
		return err
	})
	return out, err
}

// Update changes a resource within the transaction, as Store.Update does.
func (tx *Tx) Update(ref Ref, body map[string]any, ifVersion uint64) (Resource, error) {
	return tx.update(ref, body, ifVersion, true)
}

// Measure changes properties that are measurements rather than state, such
// as the latest metrics: read-only ones may change, and the resource keeps
// its version, so that a sample does not disturb the ETags and If-Match of
// clients or wake those waiting for the resource to change.
func (tx *Tx) Measure(ref Ref, body map[string]any) (Resource, error) {
	return tx.change(ref, body, 0, false, false)
}

func (tx *Tx) update(ref Ref, body map[string]any, ifVersion uint64, guard bool) (Resource, error) {
	return tx.change(ref, body, ifVersion, guard, true)
}

func (tx *Tx) change(ref Ref, body map[string]any, ifVersion uint64, guard, versioned bool) (Resource, error) {
	l, err := tx.s.layout(ref.Type)
	if err != nil {
		return Resource{}, err
	}
	old, err := find(tx.trees, l, ref, &tx.lookup)
	if err != nil {
		return Resource{}, err
	}
	if ifVersion != 0 && old.version != ifVersion {
		return Resource{}, &Error{Kind: Stale, Type: l.t.Name, Keys: l.keys(l.keyValues(old)),
			Msg: fmt.Sprintf("The %s has changed since version %d: it is at version %d.", l.t.Name, ifVersion, old.version)}
	}
	r := newRecord(old.ns, len(old.slots), tx.version)
	r.setID(old.id)
	copy(r.slots, old.slots)
	if !versioned {
		r.version = old.version
	}
	keys, err := l.assign(r.slots, body, guard)
	if err != nil {
		return Resource{}, err
	}
	if keys { // otherwise the keys are old's
		if err := l.sameKeys(old, r); err != nil {
			return Resource{}, err
		}
	}
	for i, p := range l.props {
		if p.Required && r.slots[i] == nil {
			return Resource{}, Errorf(Invalid, p.Path, "The property %s of a %s cannot be removed.", p.Path, l.t.Name)
		}
	}
	if err := tx.put(l, old, r); err != nil {
		return Resource{}, err
	}
	res := Resource{l, r}
	if err := tx.hook(l, l.t.Hooks.Updated != nil, func() error { return l.t.Hooks.Updated(tx, Resource{l, old}, res) }); err != nil {
		return Resource{}, err
	}
	return res, nil
}

// sameKeys refuses an update that changes a key.
func (l *layout) sameKeys(old, r *record) error {
	for _, k := range l.keySlots {
		if paging.CompareValues(r.slots[k], old.slots[k]) != 0 {
			return Errorf(Invalid, l.props[k].Path, "The key %s of a %s cannot change.", l.props[k].Path, l.t.Name)
		}
	}
	return nil
}

// Get reads a resource within the transaction, seeing its writes.
func (tx *Tx) Get(ref Ref) (Resource, error) {
	l, err := tx.s.layout(ref.Type)
	if err != nil {
		return Resource{}, err
	}
	r, err := find(tx.trees, l, ref, &tx.lookup)
	if err != nil {
		return Resource{}, err
	}
	return Resource{l, r}, nil
}

// Delete removes one resource and, recursively, its child collections.
func (s *Store) Delete(ctx context.Context, ref Ref) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.Delete(ref) })
}

// Delete removes a resource within the transaction, as Store.Delete does.
func (tx *Tx) Delete(ref Ref) error {
	l, err := tx.s.layout(ref.Type)
	if err != nil {
		return err
	}
	r, err := find(tx.trees, l, ref, &tx.lookup)
	if err != nil {
		return err
	}
	if err := tx.deleteTree(l, r); err != nil {
		return err
	}
	res := Resource{l, r}
	return tx.hook(l, l.t.Hooks.Deleted != nil, func() error { return l.t.Hooks.Deleted(tx, res) })
}

func (tx *Tx) deleteTree(l *layout, r *record) error {
	for _, child := range tx.s.order {
		if child.parent != l {
			continue
		}
		for _, k := range tx.trees.under(child, r.id) {
			if err := tx.deleteTree(child, k); err != nil {
				return err
			}
		}
	}
	return tx.drop(l, r)
}

// Find returns, within the transaction, the resources of a type in a
// namespace that are in scope and match a predicate (nil for all), in key
// order. It sees the transaction's own writes.
func (tx *Tx) Find(typ, ns string, scope map[string]string, pred query.Expr) ([]Resource, error) {
	l, err := tx.s.layout(typ)
	if err != nil {
		return nil, err
	}
	if pred != nil {
		var unknown []string
		for _, p := range query.Paths(pred) {
			if !l.Known(p) {
				unknown = append(unknown, strings.Join(p, "/"))
			}
		}
		if len(unknown) > 0 {
			return nil, l.unsupported(unknown)
		}
	}
	eq, err := l.scope(scope)
	if err != nil {
		return nil, err
	}
	if err := tx.flush(); err != nil { // what it reads: memdb's table, the property indexes
		return nil, err
	}
	var plan Plan
	rs := &reads{Plan: &plan}
	read := &reading{Txn: tx.txn, version: tx.version, trees: tx.trees} // the write's own state
	src := tx.s.candidates(read, l, namespace(ns), eq, pred, nil, -1, rs, "")
	var out []Resource
	for r := range src.All() {
		out = append(out, Resource{l, r})
	}
	if rs.err != nil {
		return nil, fmt.Errorf("resource: finding %s: %w", l.t.Collection, rs.err)
	}
	return out, nil
}

// Put changes a resource within the transaction like Update, except that
// read-only properties may change too: it is for the owner of the data,
// such as an orchestrator that moves states clients may only read.
func (tx *Tx) Put(ref Ref, body map[string]any) (Resource, error) {
	return tx.update(ref, body, 0, false)
}
