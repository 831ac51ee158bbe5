package resource

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
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
	// Minimal drops hrefs, and the foreign keys of collection items and
	// sub-resources, as Ambari's minimal_response does.
	Minimal bool
	// JSON, when set, asks for the items encoded (Result.JSON) rather than
	// as trees (Result.Items).
	JSON *Encoding
}

// Result is a listed page.
type Result struct {
	// Items are the rendered resources of the page, unless the query asked
	// for JSON.
	Items []map[string]any
	// JSON are the items encoded, when the query asked for it.
	JSON []json.RawMessage
	// Total, Next, Prev and NextToken are the page's metadata, as in
	// paging.Page.
	Total      int
	Next, Prev string
	NextToken  string
	// Versions are the items' versions, for ETags.
	Versions []uint64
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
	sel, err := l.selection(q)
	if err != nil {
		return nil, err
	}
	scope, err := l.scope(q.Scope)
	if err != nil {
		return nil, err
	}

	txn, snapshot, err := s.readTxn(q, ns)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	// The listing's canonical form names it for page tokens and for the
	// memo of totals, which only offset pages read.
	var bind string
	if q.Cursors != nil || q.Page.Style == paging.Offsets {
		bind = binding(q, ns)
	}
	rs := &reads{Plan: &res.Plan}
	src := s.candidates(txn, l, ns, scope, q.Predicate, q.Page.Order, need(q.Page), rs, bind)

	page, err := paging.Apply(q.Page, src, paging.Listing{Cursors: q.Cursors, Binding: bind, Snapshot: snapshot})
	if err != nil {
		return nil, paramError(err)
	}
	if rs.err != nil {
		return nil, fmt.Errorf("resource: listing %s: %w", l.t.Collection, rs.err)
	}
	res.Total, res.Next, res.Prev, res.NextToken = page.Total, page.Next, page.Prev, page.NextToken
	rd := renderer{s: s, txn: txn, base: q.Base, minimal: q.Minimal, slots: map[*fields.Selection][]int{},
		top: l, filters: subFilters(l, q.Predicate)}
	render := func(r *record) map[string]any { return rd.render(l, r, sel, q.Instance) }
	res.Versions = make([]uint64, len(page.Items))
	for i, r := range page.Items {
		res.Versions[i] = r.version
	}
	if q.JSON != nil {
		res.JSON, err = encodeItems(newShape(l, q, sel, q.JSON, &rd), q.JSON, page.Items, render)
	} else {
		res.Items = make([]map[string]any, len(page.Items))
		for i, r := range page.Items {
			res.Items[i] = render(r)
		}
	}
	if err == nil {
		err = rd.err
	}
	if err != nil {
		return nil, err
	}
	return res, ctx.Err()
}

// selection resolves a query's fields, adds the properties its predicate
// uses, as Ambari does, and checks every property the query names: the
// unknown ones of the fields, the predicate and the order make one 400.
func (l *layout) selection(q Query) (*fields.Selection, error) {
	def := fields.Keys
	if q.Instance {
		def = fields.Everything
	}
	var sel *fields.Selection
	if q.Fields == nil && q.Predicate == nil {
		d := &l.defaults[def]
		d.once.Do(func() { d.sel = fields.Resolve(nil, l, def) })
		sel = d.sel // shared: nothing below changes it
	} else {
		sel = fields.Resolve(q.Fields, l, def)
	}
	if q.Predicate != nil {
		for _, p := range query.Paths(q.Predicate) {
			sel.Add(p)
		}
	}
	unknown := slices.Clone(sel.Unknown)
	for _, k := range q.Page.Order {
		if path := strings.Join(k.Path, "/"); !l.has(path) {
			unknown = append(unknown, path)
		}
	}
	if len(unknown) > 0 {
		return nil, l.unsupported(unknown)
	}
	return sel, nil
}

// candidates plans how to find the resources in scope that match pred, and
// returns them as a paging source in order; plan records the choice. key
// names the listing in the memo of totals ("" for none: a write
// transaction's state is not the store's yet).
func (s *Store) candidates(txn *reading, l *layout, ns string, scope equalities, pred query.Expr, order paging.Order, need int, plan *reads, key string) paging.Source[*record] {
	var conj []query.Expr
	if pred != nil {
		conj = query.Conjuncts(pred)
	}
	a := l.plan(ns, conj, scope)
	plan.Access, plan.Index = a.kind, a.index
	match := s.matcher(txn, l, pred, a.unpinned(l, scope), scope, plan)
	return s.source(txn, l, a, order, need, match, plan, key)
}

// readTxn is the read transaction a listing is served from. A listing that
// can issue page tokens reads a retained snapshot: a new one for its first
// page, the token's for the next ones, so that every page comes from one
// consistent state (a snapshot no longer retained is a 410).
func (s *Store) readTxn(q Query, ns string) (*reading, uint64, error) {
	if q.Cursors == nil {
		return s.read(), 0, nil
	}
	if q.Page.Style != paging.Tokens || q.Page.Token == "" {
		txn := s.read()
		v := txn.version
		return s.snaps.take(v, txn), v, nil
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
		return max(0, paging.Reach(r.From, r.Size))
	case (r.Style == paging.Markers || r.Style == paging.Tokens) && r.Size != paging.All:
		return paging.Reach(r.Size, 1)
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

// paramError turns a paging error into the store's: Invalid, or Gone for
// an expired token.
func paramError(err error) error {
	pe, ok := err.(*paging.ParamError)
	if !ok {
		return err
	}
	kind := Invalid
	if pe.Expired {
		kind = Gone
	}
	return &Error{Kind: kind, Field: pe.Param, Msg: pe.Error(), Err: pe}
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
			return nil, &Error{Kind: NotFound, Keys: []KeyValue{{path, v}}, Msg: fmt.Sprintf("%s=%s", path, v)}
		}
		eq[slot] = []any{cv}
	}
	return eq, nil
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
		return "", nil, Errorf(NotFound, "", "%s has no sub-resource %s.", l.t.Name, sub)
	}
	r, err := find(s.pub.Load().trees, l, of, new(lookup))
	if err != nil {
		return "", nil, err
	}
	scope := make(map[string]string, len(sl.from))
	for i, from := range sl.from {
		scope[sl.target.props[sl.to[i]].Path] = text(r.slots[from])
	}
	return sl.target.t.Collection, scope, ctx.Err()
}
