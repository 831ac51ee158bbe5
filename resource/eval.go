package resource

import (
	"iter"
	"strings"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
)

// matcher returns the test a candidate must pass: the scope and the
// predicate. A predicate on slots alone is bound to the layout once; one on
// sub-resources or inside Object properties is walked per candidate.
//
// full is the listing's whole scope, which a semi-join narrows its related
// records by; scope is what the access path does not guarantee of it.
func (s *Store) matcher(txn *reading, l *layout, e query.Expr, scope []pin, full equalities, p *reads) func(*record) bool {
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
	ev := &evaluator{s: s, txn: txn, p: p, scope: full, joins: map[query.Expr]map[string]bool{}}
	return func(r *record) bool { return inScope(r) && ev.eval(l, r, e) }
}

// evaluator evaluates a predicate with sub-resource leaves on the
// candidates of one listing. A positive leaf on a sub-resource is answered
// by a semi-join: the related records that satisfy it are found once (with
// their type's indexes, under the listing's scope), and each candidate is
// looked up among their owners, instead of reading each candidate's related
// records.
type evaluator struct {
	s     *Store
	txn   *reading
	p     *reads
	scope equalities
	joins map[query.Expr]map[string]bool // by leaf: the owners' mapped values, encoded
}

func (ev *evaluator) eval(l *layout, r *record, e query.Expr) bool {
	switch x := e.(type) {
	case *query.And:
		for _, t := range x.Terms {
			if !ev.eval(l, r, t) {
				return false
			}
		}
		return true
	case *query.Or:
		for _, t := range x.Terms {
			if ev.eval(l, r, t) {
				return true
			}
		}
		return false
	case *query.Not:
		if sub, leaf := l.subLeaf(x.X); sub != nil {
			return ev.s.some(ev.txn, l, r, sub, ev.p, func(rel *record) bool { return !leaf.Match(view{sub.target, rel}) })
		}
		return !ev.eval(l, r, x.X)
	}
	if sub, leaf := l.subLeaf(e); sub != nil {
		owners, ok := ev.joins[e]
		if !ok {
			owners = ev.owners(l, r.ns, sub, leaf)
			ev.joins[e] = owners
		}
		return owners[ownerKey(r, sub.from)]
	}
	return e.Match(view{l, r})
}

// owners finds the related records of a sub-resource that satisfy leaf,
// under the listing's scope, and returns the values they map to, encoded.
func (ev *evaluator) owners(l *layout, ns string, sub *subLayout, leaf query.Expr) map[string]bool {
	eq := equalities{}
	for i, from := range sub.from {
		if vs := ev.scope[from]; len(vs) == 1 {
			eq[sub.to[i]] = vs
		}
	}
	out := map[string]bool{}
	own := &reads{Plan: &Plan{}}
	src := ev.s.candidates(ev.txn, sub.target, ns, eq, leaf, nil, -1, own, "")
	for rel := range src.All() {
		out[ownerKey(rel, sub.to)] = true
	}
	if own.err != nil {
		ev.p.fail(own.err)
	}
	return out
}

// ownerKey encodes the values of slots: a candidate's mapped values, or a
// related record's.
func ownerKey(r *record, slots []int) string {
	var b []byte
	for _, s := range slots {
		b = appendEncoded(b, r.slots[s])
	}
	return string(b)
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
func (s *Store) some(txn *reading, l *layout, r *record, sub *subLayout, p *reads, test func(*record) bool) bool {
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
func (s *Store) related(txn *reading, l *layout, r *record, sub *subLayout, p *reads) iter.Seq[*record] {
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
