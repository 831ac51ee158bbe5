package openshift

import (
	"slices"
	"strings"

	"github.com/ambitkit/ambit/server"
)

// action is one thing a client can do: a route, and the link that tells
// clients of it, declared once so that a link never names a route that
// does not exist. Several links may name one route (their handler is set
// once).
type action struct {
	name, rel, method string
	// route is the route under the prefix, in httprouter's syntax; a
	// link's href fills its parameters from the resource it is on, and
	// keeps those it cannot (:name in the API's SHOW_DOMAIN), as the
	// broker does.
	route    string
	query    string // a query the link's href carries (owner=@self)
	on       string // the resource whose links it is in: api, user, domain, application
	required []param
	optional []param
	// since and until bound the versions whose replies have the link
	// ("" for no bound).
	since, until string
	handler      server.Handler
	public       bool // needs no credentials
	global       bool // names its namespace in the path, not in the prefix
}

// param is a link's parameter.
type param struct {
	name, typ, description string
	valid                  []string
	def                    any // optional parameters' default_value
}

func (p param) required() map[string]any {
	return map[string]any{"name": p.name, "type": p.typ, "description": p.description,
		"valid_options": strs(p.valid), "invalid_options": []any{}}
}

func (p param) optional() map[string]any {
	return map[string]any{"name": p.name, "type": p.typ, "description": p.description,
		"valid_options": strs(p.valid), "default_value": p.def}
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// in reports whether the call's version has the action's link.
func (a action) in(c *server.Call) bool {
	return (a.since == "" || atLeast(c, a.since)) && (a.until == "" || !atLeast(c, next(a.until)))
}

// next is the version after v ("" after the latest).
func next(v string) string {
	i := slices.Index(versions, v)
	if i < 0 || i+1 >= len(versions) {
		return "9.9"
	}
	return versions[i+1]
}

// links are the links of a resource, its route parameters filled from
// vars; nil when the client asked for none.
func (f *face) links(c *server.Call, on string, vars map[string]string) map[string]any {
	if c.NoLinks {
		return nil
	}
	out := map[string]any{}
	for _, a := range f.acts {
		if a.on != on || !a.in(c) {
			continue
		}
		href := c.Base() + fill(a.route, vars)
		if a.query != "" {
			href += "?" + a.query
		}
		req, opt := []any{}, []any{}
		for _, p := range a.required {
			req = append(req, p.required())
		}
		for _, p := range a.optional {
			opt = append(opt, p.optional())
		}
		out[a.name] = map[string]any{"rel": a.rel, "method": a.method, "href": href, "required_params": req, "optional_params": opt}
	}
	return out
}

// fill puts vars into a route's parameters.
func fill(route string, vars map[string]string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if v, ok := vars[strings.TrimPrefix(p, ":")]; ok && strings.HasPrefix(p, ":") {
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// withLinks adds a resource's links to its view, unless the client asked
// for none.
func withLinks(view map[string]any, links map[string]any) map[string]any {
	if links != nil {
		view["links"] = links
	}
	return view
}

// declare returns every action of the face.
func (f *face) declare() []action {
	domainName := param{name: "name", typ: "string", description: "Name of the domain"}
	appParams := []param{{name: "name", typ: "string", description: "Name of the application"},
		{name: "cartridges", typ: "array", description: "Cartridges to add to the application", valid: f.cartridgeNames()}}
	appOptional := []param{{name: "scale", typ: "boolean", description: "Mark the application as scalable", valid: []string{"true", "false"}, def: false},
		{name: "gear_size", typ: "string", description: "The size of the gear", valid: gearSizes, def: "small"}}
	event := func(name, event string) action {
		return action{name: name, rel: strings.ToTitle(event[:1]) + event[1:] + " application", method: "POST",
			route: "/domain/:domain/application/:application/events", on: "application", global: true,
			required: []param{{name: "event", typ: "string", description: "event", valid: []string{event}}}}
	}
	acts := []action{
		{name: "API", rel: "API entry point", method: "GET", route: "/api", on: "api", handler: f.api, public: true},
		{name: "GET_USER", rel: "Get user information", method: "GET", route: "/user", on: "api", handler: f.user, global: true},
		{name: "ADD_DOMAIN", rel: "Create new domain", method: "POST", route: "/domains", on: "api", until: "1.5", handler: f.addDomain, global: true,
			required: []param{{name: "id", typ: "string", description: "Name of the domain"}}},
		{name: "ADD_DOMAIN", rel: "Create new domain", method: "POST", route: "/domains", on: "api", since: "1.6",
			required: []param{domainName}},
		{name: "LIST_DOMAINS", rel: "List all domains you have access to", method: "GET", route: "/domains", on: "api", handler: f.listDomains, global: true},
		{name: "LIST_DOMAINS_BY_OWNER", rel: "List domains", method: "GET", route: "/domains", query: "owner=@self", on: "api",
			required: []param{{name: "owner", typ: "string", description: "Return only the domains owned by the specified user id or identity.", valid: []string{"@self"}}}},
		{name: "SHOW_DOMAIN", rel: "Retrieves domain", method: "GET", route: "/domain/:domain", on: "api",
			required: []param{domainName}, handler: f.showDomain, global: true},
		{name: "LIST_CARTRIDGES", rel: "List cartridges", method: "GET", route: "/cartridges", on: "api", handler: f.cartridges, public: true},
		{name: "SHOW_CARTRIDGE", rel: "Retrieves cartridge", method: "GET", route: "/cartridge/:cartridge", on: "api", handler: f.cartridge, public: true,
			required: []param{{name: "name", typ: "string", description: "Name of the cartridge"}}},
		{name: "LIST_APPLICATIONS", rel: "List application", method: "GET", route: "/applications", on: "api", since: "1.5", handler: f.allApplications, global: true},
		{name: "LIST_APPLICATIONS_BY_OWNER", rel: "List application", method: "GET", route: "/applications", query: "owner=@self", on: "api", since: "1.5",
			required: []param{{name: "owner", typ: "string", description: "Return only the applications owned by the specified user id or identity.", valid: []string{"@self"}}}},
		{name: "SHOW_APPLICATION", rel: "Retrieves application", method: "GET", route: "/application/:id", on: "api", since: "1.5", handler: f.applicationByID, global: true,
			required: []param{{name: "id", typ: "string", description: "Unique identifier of the application"}}},

		{name: "GET", rel: "Get user information", method: "GET", route: "/user", on: "user"},

		{name: "GET", rel: "Get domain", method: "GET", route: "/domain/:domain", on: "domain"},
		{name: "LIST_APPLICATIONS", rel: "List applications", method: "GET", route: "/domain/:domain/applications", on: "domain", handler: f.listApplications, global: true},
		{name: "ADD_APPLICATION", rel: "Create application", method: "POST", route: "/domain/:domain/applications", on: "domain", handler: f.addApplication, global: true,
			required: appParams, optional: appOptional},
		{name: "UPDATE", rel: "Update domain", method: "PUT", route: "/domain/:domain", on: "domain", handler: f.updateDomain, global: true,
			required: []param{domainName}},
		{name: "DELETE", rel: "Delete domain", method: "DELETE", route: "/domain/:domain", on: "domain", handler: f.deleteDomain, global: true,
			optional: []param{{name: "force", typ: "boolean", description: "Force delete domain.  i.e. delete any applications under this domain", valid: []string{"true", "false"}, def: false}}},

		{name: "GET", rel: "Get application", method: "GET", route: "/domain/:domain/application/:application", on: "application", handler: f.showApplication, global: true},
		{name: "DELETE", rel: "Delete application", method: "DELETE", route: "/domain/:domain/application/:application", on: "application", handler: f.deleteApplication, global: true},
		event("START", "start"),
		event("STOP", "stop"),
		event("RESTART", "restart"),
	}
	acts[len(acts)-3].handler = f.event // one route for the three events
	return acts
}

// gearSizes are the gear sizes applications may ask for.
var gearSizes = []string{"small", "medium", "large"}
