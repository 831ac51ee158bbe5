package resource

import (
	"iter"
	"strings"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/hashicorp/go-memdb"
)

// matcher returns the test a candidate must pass: the scope and the
// predicate. A predicate on slots alone is bound to the layout once; one on
// sub-resources or inside Object properties is walked per candidate.
func (s *Store) matcher(txn *memdb.Txn, l *layout, e query.Expr, scope []pin, p *reads) func(*record) bool {
	inScope := inScope(scope)
	if e == nil {
		return inScope
	}
	bound := true
	for _, p := range query.Paths(e) {
		if _, ok := l.slot[strings.Join(p, "/")]; !ok {
			bound = false
		}
	}
	if bound {
		b := query.Bind(e, l)
		return func(r *record) bool { return inScope(r) && b.Match(r.slots) }
	}
	return func(r *record) bool { return inScope(r) && s.eval(txn, l, r, e, p) }
}

// inScope tests that a record holds the pinned values.
func inScope(scope []pin) func(*record) bool {
	return func(r *record) bool {
		for _, p := range scope {
			if paging.CompareValues(r.slots[p.slot], p.value) != 0 {
				return false
			}
		}
		return true
	}
}

// eval evaluates e on a record. A leaf on a sub-resource's property
// (host_components/HostRoles/state=STARTED on a host) is true when some
// related resource satisfies it, as in Ambari's SubResourcePredicate: each leaf is
// tested on its own, so two leaves may be satisfied by different rows.
func (s *Store) eval(txn *memdb.Txn, l *layout, r *record, e query.Expr, p *reads) bool {
	switch x := e.(type) {
	case *query.And:
		for _, t := range x.Terms {
			if !s.eval(txn, l, r, t, p) {
				return false
			}
		}
		return true
	case *query.Or:
		for _, t := range x.Terms {
			if s.eval(txn, l, r, t, p) {
				return true
			}
		}
		return false
	case *query.Not:
		if sub, leaf := l.subLeaf(x.X); sub != nil {
			return s.some(txn, l, r, sub, p, func(rel *record) bool { return !leaf.Match(view{sub.target, rel}) })
		}
		return !s.eval(txn, l, r, x.X, p)
	}
	if sub, leaf := l.subLeaf(e); sub != nil {
		return s.some(txn, l, r, sub, p, func(rel *record) bool { return leaf.Match(view{sub.target, rel}) })
	}
	return e.Match(view{l, r})
}

// subLeaf returns the sub-resource a leaf tests and the leaf as the related
// type sees it, or nil when e is not such a leaf.
func (l *layout) subLeaf(e query.Expr) (*subLayout, query.Expr) {
	p, ok := query.PathOf(e)
	if !ok || len(p) < 2 {
		return nil, nil
	}
	sub, ok := l.subs[p[0]]
	if !ok {
		return nil, nil
	}
	return sub, trimLeaf(e)
}

// some reports whether some related resource passes test.
func (s *Store) some(txn *memdb.Txn, l *layout, r *record, sub *subLayout, p *reads, test func(*record) bool) bool {
	for rel := range s.related(txn, l, r, sub, p) {
		if test(rel) {
			return true
		}
	}
	return false
}

// trimLeaf is a leaf with the first segment of its path removed.
func trimLeaf(e query.Expr) query.Expr {
	switch x := e.(type) {
	case *query.Comparison:
		c := *x
		c.Path = c.Path[1:]
		return &c
	case *query.In:
		c := *x
		c.Path = c.Path[1:]
		return &c
	case *query.IsEmpty:
		c := *x
		c.Path = c.Path[1:]
		return &c
	case *query.Matches:
		c := *x
		c.Path = c.Path[1:]
		return &c
	}
	return e
}

// related yields the resources of a sub-resource of r.
func (s *Store) related(txn *memdb.Txn, l *layout, r *record, sub *subLayout, p *reads) iter.Seq[*record] {
	eq := equalities{}
	for i, from := range sub.from {
		eq[sub.to[i]] = []any{r.slots[from]}
	}
	a := sub.target.plan(r.ns, nil, eq)
	return func(yield func(*record) bool) {
		own := reads{Plan: &Plan{}} // related reads are not the listing's: only an error is
		defer func() {
			if own.err != nil {
				p.fail(own.err)
			}
		}()
		for rel := range a.scan(txn, sub.target, &own) {
			ok := true
			for slot, vs := range eq {
				ok = ok && paging.CompareValues(rel.slots[slot], vs[0]) == 0
			}
			if ok && !yield(rel) {
				return
			}
		}
	}
}
