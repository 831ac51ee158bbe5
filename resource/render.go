package resource

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/query"
)

// renderer renders the items of one listing.
type renderer struct {
	s       *Store
	txn     *reading
	base    string
	minimal bool
	slots   map[*fields.Selection][]int // the slots each selection keeps
	err     error                       // the first error of a Points function or of memdb
	// filters are the predicate's terms on the listing's sub-resources,
	// by sub-resource: they also filter what is embedded of them, as in
	// Ambari (hosts?host_components/HostRoles/component_name=DATANODE
	// embeds only the DATANODE host components).
	top     *layout
	filters map[string][]query.Expr
	href    []byte // scratch for hrefs
}

// subFilters gathers the predicate's conjuncts that test a sub-resource of
// l, as the sub-resource sees them. A disjunction filters nothing.
func subFilters(l *layout, pred query.Expr) map[string][]query.Expr {
	if pred == nil {
		return nil
	}
	out := map[string][]query.Expr{}
	for _, c := range query.Conjuncts(pred) {
		if sub, leaf := l.subLeaf(c); sub != nil {
			out[sub.name] = append(out[sub.name], leaf)
		}
	}
	return out
}

// kept reports whether an embedded related resource passes the filters of
// its sub-resource.
func (rd *renderer) kept(l *layout, name string, sub *subLayout, rel *record) bool {
	if l != rd.top {
		return true
	}
	for _, f := range rd.filters[name] {
		if !f.Match(view{sub.target, rel}) {
			return false
		}
	}
	return true
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
		rd.href = appendHref(append(rd.href[:0], rd.base...), l, r)
		out["href"] = string(rd.href)
	} else if !keepKeys {
		for _, slot := range l.keySlots[:len(l.keySlots)-1] {
			deletePath(out, l.paths[slot])
		}
	}
	for _, name := range sel.Subs() {
		subSel, _ := sel.Sub(name)
		sub := l.subs[name]
		var items []any
		rr := reads{Plan: &Plan{}}
		for rel := range rd.s.related(rd.txn, l, r, sub, &rr) {
			if !rd.kept(l, name, sub, rel) {
				continue
			}
			items = append(items, rd.render(sub.target, rel, subSel, false))
			if sub.single {
				break
			}
		}
		if rr.err != nil && rd.err == nil {
			rd.err = rr.err
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

// Set sets the value at a property path (Hosts/cpu_count) in a tree, making
// the categories on the way: how callers build the bodies a Store takes.
func Set(tree map[string]any, path string, v any) { setPath(tree, strings.Split(path, "/"), v) }

// Get reads the value at a property path in a tree (nil when absent): the
// counterpart of Set.
func Get(tree map[string]any, path string) any {
	m := tree
	for {
		seg, rest, more := strings.Cut(path, "/")
		if !more {
			return m[seg]
		}
		next, ok := m[seg].(map[string]any)
		if !ok {
			return nil
		}
		m, path = next, rest
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

// appendHref appends a record's href after the base: its path, or its
// collection's with the type's HrefQuery parameters.
func appendHref(b []byte, l *layout, r *record) []byte {
	if len(l.t.HrefQuery) == 0 {
		return appendPath(b, l, r, l.keySlots)
	}
	if l.parent != nil {
		b = appendPath(b, l.parent, r, l.keySlots[:len(l.keySlots)-1])
	}
	b = append(append(b, '/'), l.t.Segment()...)
	for i, p := range l.t.HrefQuery {
		b = append(b, "?&"[min(i, 1)])
		b = append(append(b, p[strings.LastIndexByte(p, '/')+1:]...), '=')
		if slot, ok := l.slot[p]; ok {
			b = append(b, url.QueryEscape(text(r.slots[slot]))...)
		}
	}
	return b
}

// appendPath appends the path of t, r's type or one of its ancestors, whose
// id is r's last key of keys: a record holds its ancestors' keys first.
func appendPath(b []byte, t *layout, r *record, keys []int) []byte {
	if t.parent != nil {
		b = appendPath(b, t.parent, r, keys[:len(keys)-1])
	}
	b = append(b, '/')
	b = append(b, t.t.Segment()...)
	b = append(b, '/')
	v := r.slots[keys[len(keys)-1]]
	if f, ok := v.(float64); ok { // a number's text needs no escaping
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	id := text(v)
	if url.PathEscape(id) == id { // the common case, and no allocation
		return append(b, id...)
	}
	return append(b, url.PathEscape(id)...)
}
