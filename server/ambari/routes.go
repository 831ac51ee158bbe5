package ambari

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// face serves a store the Ambari way.
type face struct {
	store   *resource.Store
	cluster *cluster.Manager // nil without one
	exec    cluster.Execution
	preds   *query.Cache
	limits  server.Limits
	cursors *paging.Cursors // page tokens, signed with a key of the face's
}

// route is one collection of one type at one place in the hierarchy.
type route struct {
	typ resource.Type
	// depth is how many parameters of the path fill the type's leading
	// keys (a child collection), or the owner's keys (through).
	depth int
	// through, when set, reaches this collection as a sub-resource of
	// another type: the owner's instance path, then the sub-resource name.
	through *resource.Type
	sub     string
}

// routes declares collection and instance routes for every type at every
// place in the hierarchy: under its parent's instances, and under the
// instances of types that declare it as a collection sub-resource.
func (f *face) routes(m *server.Mount) {
	types := f.store.Types()
	byName := map[string]resource.Type{}
	for _, t := range types {
		byName[t.Collection] = t
	}
	var path func(t resource.Type) string
	path = func(t resource.Type) string {
		p := ""
		if t.Parent != "" {
			p = path(byName[t.Parent]) + "/:k" + strconv.Itoa(len(t.Keys)-2)
		}
		return p + "/" + t.Segment()
	}
	for _, t := range types {
		f.mount(m, path(t), route{typ: t, depth: len(t.Keys) - 1})
		for _, sub := range t.Subs {
			if sub.Single {
				continue
			}
			owner := t
			target := byName[sub.Type]
			f.mount(m, path(owner)+"/:k"+strconv.Itoa(len(owner.Keys)-1)+"/"+sub.Name,
				route{typ: target, through: &owner, sub: sub.Name, depth: len(owner.Keys)})
		}
	}
	m.Handle(http.MethodGet, "/services/AMBARI/components/AMBARI_SERVER", serverInfo)
	f.operator(m)
}

func (f *face) mount(m *server.Mount, collection string, rt route) {
	instance := collection + "/:k" + strconv.Itoa(rt.depth)
	for _, p := range []struct {
		path     string
		instance bool
	}{{collection, false}, {instance, true}} {
		given := rt.typ.Keys // what the path supplies of a body's keys
		if rt.through == nil && !p.instance {
			given = given[:rt.depth]
		}
		describe(m.Document(), rt.typ, p.instance, given,
			m.Handle(http.MethodGet, p.path, f.handle(rt, f.list, p.instance)),
			m.Handle(http.MethodPost, p.path, f.idempotent(f.handle(rt, f.create, p.instance))),
			m.Handle(http.MethodPut, p.path, f.idempotent(f.handle(rt, f.update, p.instance))),
			m.Handle(http.MethodDelete, p.path, f.handle(rt, f.remove, p.instance)))
	}
}

// at is one request to a route: the route, and the path's key values.
type at struct {
	rt       route
	instance bool
	params   []string // in order
	ns       string   // the store namespace
}

// handler answers a request to a route.
type handler func(c *server.Call, a at) (server.Result, error)

func (f *face) handle(rt route, h handler, instance bool) server.Handler {
	return func(c *server.Call) (server.Result, error) {
		a := at{rt: rt, instance: instance, ns: c.Namespace}
		for _, p := range c.Params {
			a.params = append(a.params, p.Value)
		}
		return h(c, a)
	}
}

// scope is what the URL pins: a parent's keys, or the mapping of a
// sub-resource reached through another resource. It also checks that the
// parent exists (404 otherwise).
func (f *face) scope(ctx context.Context, a at) (map[string]string, error) {
	n := a.rt.depth
	if a.rt.through != nil {
		owner := resource.Ref{Type: a.rt.through.Collection, Namespace: a.ns, Keys: a.params[:n]}
		_, scope, err := f.store.SubScope(ctx, owner, a.rt.sub)
		if err != nil {
			return nil, err
		}
		if a.instance {
			scope[a.rt.typ.Keys[len(a.rt.typ.Keys)-1]] = a.params[n]
		}
		return scope, nil
	}
	scope := map[string]string{}
	for i := 0; i < n; i++ {
		scope[a.rt.typ.Keys[i]] = a.params[i]
	}
	if n > 0 && a.rt.typ.Parent != "" {
		if _, err := f.store.Get(ctx, resource.Ref{Type: a.rt.typ.Parent, Namespace: a.ns, Keys: a.params[:n]}); err != nil {
			return nil, err
		}
	}
	if a.instance {
		scope[a.rt.typ.Keys[n]] = a.params[n]
	}
	return scope, nil
}
