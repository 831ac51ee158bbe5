package server

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	apierr "github.com/ambitkit/ambit/errors"

	"github.com/ambitkit/ambit/resource"
	"github.com/julienschmidt/httprouter"
)

// route is one collection of one type at one place in the hierarchy.
type route struct {
	typ resource.Type
	// keys are the parameters of the path that fill the type's leading
	// keys (a child collection), or the owner's keys (through).
	depth int
	// through, when set, reaches this collection as a sub-resource of
	// another type: the owner's instance path, then the sub-resource name.
	through *resource.Type
	sub     string
}

// routes registers collection and instance routes for every type at every
// place in the hierarchy: under its parent's instances, and under the
// instances of types that declare it as a collection sub-resource.
func (s *Server) routes() {
	types := s.store.Types()
	byName := map[string]resource.Type{}
	for _, t := range types {
		byName[t.Collection] = t
	}
	var path func(t resource.Type) string
	path = func(t resource.Type) string {
		p := Prefix
		if t.Parent != "" {
			p = path(byName[t.Parent]) + "/:k" + strconv.Itoa(len(t.Keys)-2)
		}
		return p + "/" + t.Collection
	}
	for _, t := range types {
		rt := route{typ: t, depth: len(t.Keys) - 1}
		s.mount(path(t), rt)
		for _, sub := range t.Subs {
			if sub.Single {
				continue
			}
			owner := t
			target := byName[sub.Type]
			s.mount(path(owner)+"/:k"+strconv.Itoa(len(owner.Keys)-1)+"/"+sub.Name,
				route{typ: target, through: &owner, sub: sub.Name, depth: len(owner.Keys)})
		}
	}
	s.router.GET(Prefix+"/services/AMBARI/components/AMBARI_SERVER", s.serverInfo)
}

func (s *Server) mount(collection string, rt route) {
	instance := collection + "/:k" + strconv.Itoa(rt.depth)
	s.router.GET(collection, s.handle(rt, s.list, false))
	s.router.POST(collection, s.handle(rt, s.create, false))
	s.router.PUT(collection, s.handle(rt, s.update, false))
	s.router.DELETE(collection, s.handle(rt, s.remove, false))
	s.router.GET(instance, s.handle(rt, s.list, true))
	s.router.POST(instance, s.handle(rt, s.create, true))
	s.router.PUT(instance, s.handle(rt, s.update, true))
	s.router.DELETE(instance, s.handle(rt, s.remove, true))
}

// call is one request to a route.
type call struct {
	rt       route
	instance bool
	params   []string // the path's key values, in order
}

type handler func(w http.ResponseWriter, r *http.Request, c call) error

func (s *Server) handle(rt route, h handler, instance bool) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		c := call{rt: rt, instance: instance}
		for _, p := range ps {
			if !utf8.ValidString(p.Value) { // httprouter unescapes them: %FF is a byte
				s.fail(w, r, apierr.BadRequest("The path segment %q is not valid UTF-8.", p.Value).WithField("path", -1))
				return
			}
			c.params = append(c.params, p.Value)
		}
		if err := h(w, r, c); err != nil {
			s.fail(w, r, err)
		}
	}
}

// scope is what the URL pins: a parent's keys, or the mapping of a
// sub-resource reached through another resource. It also checks that the
// parent exists (404 otherwise).
func (s *Server) scope(r *http.Request, c call) (map[string]string, error) {
	n := c.rt.depth
	if c.rt.through != nil {
		owner := resource.Ref{Type: c.rt.through.Collection, Keys: c.params[:n]}
		_, scope, err := s.store.SubScope(r.Context(), owner, c.rt.sub)
		if err != nil {
			return nil, err
		}
		if c.instance {
			scope[c.rt.typ.Keys[len(c.rt.typ.Keys)-1]] = c.params[n]
		}
		return scope, nil
	}
	scope := map[string]string{}
	for i := 0; i < n; i++ {
		scope[c.rt.typ.Keys[i]] = c.params[i]
	}
	if n > 0 && c.rt.typ.Parent != "" {
		if _, err := s.store.Get(r.Context(), resource.Ref{Type: c.rt.typ.Parent, Keys: c.params[:n]}); err != nil {
			return nil, err
		}
	}
	if c.instance {
		scope[c.rt.typ.Keys[n]] = c.params[n]
	}
	return scope, nil
}
