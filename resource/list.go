package resource

import (
	"context"
	"iter"
	"net/url"
	"slices"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/hashicorp/go-memdb"
)

// Query is one list request: which resources (type, namespace, scope and
// predicate), in which order and page, rendered how.
type Query struct {
	Type      string
	Namespace string
	// Scope pins properties to values, as a URL does for a parent's keys:
	// {"Hosts/cluster_name": "c1"} lists the hosts of cluster c1.
	Scope map[string]string
	// Predicate filters; nil matches everything.
	Predicate query.Expr
	// Page is the page request, with its sort order.
	Page paging.Request
	// Cursors, when set, issues and reads page tokens.
	Cursors *paging.Cursors
	// Fields is the partial response; Instance chooses the default when it
	// names nothing: every property and sub-resource link (an instance
	// request) or keys only (a collection request).
	Fields   fields.List
	Instance bool
	// Base prefixes every href: http://ambari:8080/api/v1.
	Base string
	// Minimal drops hrefs, as Ambari's minimal_response does.
	Minimal bool
}

// Result is a listed page.
type Result struct {
	// Items are the rendered resources of the page.
	Items []map[string]any
	// Total, Next, Prev and NextToken are the page's metadata, as in
	// paging.Page.
	Total      int
	Next, Prev string
	NextToken  string
	// Plan says how the items were found.
	Plan Plan
}

// List runs a query. It reports every unknown property of the predicate,
// the fields and the sort order in one 400, as Ambari does.
func (s *Store) List(ctx context.Context, q Query) (*Result, error) {
	l, err := s.layout(q.Type)
	if err != nil {
		return nil, err
	}
	ns := namespace(q.Namespace)
	def := fields.Keys
	if q.Instance {
		def = fields.Everything
	}
	sel := fields.Resolve(q.Fields, l, def)
	var paths []query.Path
	if q.Predicate != nil {
		paths = query.Paths(q.Predicate)
		for _, p := range paths {
			sel.Add(p)
		}
	}
	unknown := slices.Clone(sel.Unknown)
	for _, k := range q.Page.Order {
		if _, ok := l.slot[strings.Join(k.Path, "/")]; !ok {
			unknown = append(unknown, strings.Join(k.Path, "/"))
		}
	}
	if len(unknown) > 0 {
		return nil, l.unsupported(unknown)
	}
	scope, err := l.scope(q.Scope)
	if err != nil {
		return nil, err
	}

	txn, snapshot, err := s.readTxn(q, ns)
	if err != nil {
		return nil, err
	}
	var conj []query.Expr
	if q.Predicate != nil {
		conj = query.Conjuncts(q.Predicate)
	}
	a := l.plan(ns, conj, scope)
	res := &Result{Plan: Plan{Access: a.kind, Index: a.index}}
	match := s.matcher(txn, l, q.Predicate, a.unpinned(l, scope))
	src := s.source(txn, l, a, q.Page.Order, need(q.Page), match, &res.Plan)

	page, err := paging.Apply(q.Page, src, paging.Listing{Cursors: q.Cursors, Binding: binding(q, ns), Snapshot: snapshot})
	if err != nil {
		return nil, paramError(err)
	}
	res.Total, res.Next, res.Prev, res.NextToken = page.Total, page.Next, page.Prev, page.NextToken
	res.Items = make([]map[string]any, len(page.Items))
	rd := renderer{s: s, txn: txn, base: q.Base, minimal: q.Minimal, slots: map[*fields.Selection][]int{}}
	for i, r := range page.Items {
		res.Items[i] = rd.render(l, r, sel, q.Instance)
	}
	if rd.err != nil {
		return nil, rd.err
	}
	return res, ctx.Err()
}

// readTxn is the read transaction a listing is served from. A listing that
// can issue page tokens reads a retained snapshot: a new one for its first
// page, the token's for the next ones, so that every page comes from one
// consistent state (a snapshot no longer retained is a 410).
func (s *Store) readTxn(q Query, ns string) (*memdb.Txn, uint64, error) {
	txn := s.db.Txn(false)
	if q.Cursors == nil {
		return txn, 0, nil
	}
	if q.Page.Style != paging.Tokens || q.Page.Token == "" {
		v := s.Version()
		return s.snaps.take(v, s.db.Txn(false)), v, nil
	}
	cur, err := q.Cursors.Decode(q.Page.Token, binding(q, ns))
	if err != nil {
		return nil, 0, paramError(err)
	}
	snap, err := s.snaps.get(cur.Snapshot)
	return snap, cur.Snapshot, err
}

// need is how many items of the order a page request reads from its start
// or from its marker or token: -1 for all.
func need(r paging.Request) int {
	switch {
	case r.Style == paging.Offsets && !r.Backward:
		return max(0, r.From+max(r.Size, 0))
	case (r.Style == paging.Markers || r.Style == paging.Tokens) && r.Size != paging.All:
		return r.Size + 1
	}
	return -1
}

// binding is what a page token is bound to: everything that decides which
// items come in which order.
func binding(q Query, ns string) string {
	var b strings.Builder
	b.WriteString(q.Type + "\x00" + ns + "\x00")
	keys := make([]string, 0, len(q.Scope))
	for k := range q.Scope {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(k + "=" + q.Scope[k] + "\x00")
	}
	if q.Predicate != nil {
		b.WriteString(q.Predicate.String())
	}
	b.WriteString("\x00" + q.Page.Order.String())
	return b.String()
}

// paramError turns a paging error into an API error: 400, or 410 for an
// expired token.
func paramError(err error) error {
	pe, ok := err.(*paging.ParamError)
	if !ok {
		return err
	}
	e := apierr.BadRequest("Invalid Request: %v", pe).WithField(pe.Param, -1)
	if pe.Expired {
		e = apierr.Gone("%v", pe).WithField(pe.Param, -1)
	}
	return e.WithCause(pe)
}

// scope converts URL scope values to slot equalities.
func (l *layout) scope(scope map[string]string) (equalities, error) {
	eq := equalities{}
	for path, v := range scope {
		slot, ok := l.slot[path]
		if !ok {
			return nil, l.unsupported([]string{path})
		}
		cv, err := coerce(l.props[slot].Kind, v)
		if err != nil {
			return nil, apierr.NotFound("The requested resource doesn't exist: %s=%s", path, v)
		}
		eq[slot] = []any{cv}
	}
	return eq, nil
}

// matcher returns the test a candidate must pass: the scope and the
// predicate. A predicate on slots alone is bound to the layout once; one on
// sub-resources or inside Object properties is walked per candidate.
func (s *Store) matcher(txn *memdb.Txn, l *layout, e query.Expr, scope []pin) func(*record) bool {
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
	return func(r *record) bool { return inScope(r) && s.eval(txn, l, r, e) }
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
// related resource satisfies it, as in Ambari (spec §3.7): each leaf is
// tested on its own, so two leaves may be satisfied by different rows.
func (s *Store) eval(txn *memdb.Txn, l *layout, r *record, e query.Expr) bool {
	switch x := e.(type) {
	case *query.And:
		for _, t := range x.Terms {
			if !s.eval(txn, l, r, t) {
				return false
			}
		}
		return true
	case *query.Or:
		for _, t := range x.Terms {
			if s.eval(txn, l, r, t) {
				return true
			}
		}
		return false
	case *query.Not:
		if sub, leaf := l.subLeaf(x.X); sub != nil {
			return s.some(txn, l, r, sub, func(rel *record) bool { return !leaf.Match(view{sub.target, rel}) })
		}
		return !s.eval(txn, l, r, x.X)
	}
	if sub, leaf := l.subLeaf(e); sub != nil {
		return s.some(txn, l, r, sub, func(rel *record) bool { return leaf.Match(view{sub.target, rel}) })
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
func (s *Store) some(txn *memdb.Txn, l *layout, r *record, sub *subLayout, test func(*record) bool) bool {
	for rel := range s.related(txn, l, r, sub) {
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
func (s *Store) related(txn *memdb.Txn, l *layout, r *record, sub *subLayout) iter.Seq[*record] {
	eq := equalities{}
	for i, from := range sub.from {
		eq[sub.to[i]] = []any{r.slots[from]}
	}
	a := sub.target.plan(r.ns, nil, eq)
	var examined int
	return func(yield func(*record) bool) {
		for rel := range a.scan(txn, sub.target.t.Collection, &examined) {
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

// renderer renders the items of one listing.
type renderer struct {
	s       *Store
	txn     *memdb.Txn
	base    string
	minimal bool
	slots   map[*fields.Selection][]int // the slots each selection keeps
	err     error                       // the first error of a Points function
}

// render produces one item: its selected properties, its href and its
// selected sub-resources. Only the selected slots are put in the tree.
// keepKeys keeps foreign keys in minimal responses, as Ambari does for the
// root of an instance request.
func (rd *renderer) render(l *layout, r *record, sel *fields.Selection, keepKeys bool) map[string]any {
	slots, ok := rd.slots[sel]
	if !ok {
		for i, p := range l.paths {
			if sel.Includes(p) || l.props[i].Kind == Object {
				slots = append(slots, i)
			}
		}
		rd.slots[sel] = slots
	}
	out := l.treeOf(r, slots)
	for _, i := range slots {
		if l.props[i].Kind == Object && !sel.Includes(l.paths[i]) && r.slots[i] != nil {
			out = sel.Select(out) // all, part or none of an object is selected
			break
		}
	}
	rd.temporal(l, r, sel, out)
	if !rd.minimal {
		out["href"] = rd.base + l.path(r)
	} else if !keepKeys {
		for _, slot := range l.keySlots[:len(l.keySlots)-1] {
			deletePath(out, l.paths[slot])
		}
	}
	for _, name := range sel.Subs() {
		subSel, _ := sel.Sub(name)
		sub := l.subs[name]
		var items []any
		for rel := range rd.s.related(rd.txn, l, r, sub) {
			items = append(items, rd.render(sub.target, rel, subSel, false))
			if sub.single {
				break
			}
		}
		switch {
		case sub.single && len(items) > 0:
			out[name] = items[0]
		case !sub.single:
			if items == nil {
				items = []any{}
			}
			out[name] = items
		}
	}
	return out
}

// temporal replaces the selected temporal properties that ask for a time
// range with their points.
func (rd *renderer) temporal(l *layout, r *record, sel *fields.Selection, out map[string]any) {
	if l.t.Points == nil {
		return
	}
	for i, p := range l.props {
		if !p.Temporal || !sel.Includes(l.paths[i]) {
			continue
		}
		t, ok := sel.Temporal(l.paths[i])
		if !ok {
			continue
		}
		points, err := l.t.Points(Resource{l, r}, p.Path, *t)
		if err != nil {
			if rd.err == nil {
				rd.err = err
			}
			continue
		}
		series := make([]any, len(points))
		for j, pt := range points {
			series[j] = []any{pt[0], pt[1]}
		}
		setPath(out, l.paths[i], series)
	}
}

// setPath sets a value in a tree, making the categories on the way.
func setPath(m map[string]any, path []string, v any) {
	for _, seg := range path[:len(path)-1] {
		next, ok := m[seg].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[seg] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// deletePath removes a value from a tree, and the categories it empties.
func deletePath(m map[string]any, path []string) {
	if len(path) == 1 {
		delete(m, path[0])
		return
	}
	next, ok := m[path[0]].(map[string]any)
	if !ok {
		return
	}
	deletePath(next, path[1:])
	if len(next) == 0 {
		delete(m, path[0])
	}
}

// path is a record's canonical path: its ancestors' collections and ids,
// then its own: /clusters/c1/hosts/h1.
func (l *layout) path(r *record) string {
	var parts []string
	for t, n := l, len(l.keySlots); t != nil; t = t.parent {
		id := url.PathEscape(text(r.slots[l.keySlots[n-1]]))
		parts = append(parts, id, t.t.Collection)
		n--
	}
	slices.Reverse(parts)
	return "/" + strings.Join(parts, "/")
}

// SubScope returns the type and the scope that list a sub-resource of one
// resource, for URLs that reach a collection through another resource:
// clusters/c1/services/HDFS/components/DATANODE/host_components lists the
// host components whose cluster and component are the DATANODE's. A
// missing resource is a 404; so is an unknown sub-resource.
func (s *Store) SubScope(ctx context.Context, of Ref, sub string) (string, map[string]string, error) {
	l, err := s.layout(of.Type)
	if err != nil {
		return "", nil, err
	}
	sl, ok := l.subs[sub]
	if !ok {
		return "", nil, apierr.NotFound("The requested resource doesn't exist: %s has no sub-resource %s", l.t.Name, sub)
	}
	r, err := s.find(s.db.Txn(false), l, of)
	if err != nil {
		return "", nil, err
	}
	scope := make(map[string]string, len(sl.from))
	for i, from := range sl.from {
		scope[sl.target.props[sl.to[i]].Path] = text(r.slots[from])
	}
	return sl.target.t.Collection, scope, ctx.Err()
}
