package server

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/openapi"
)

// DocumentPath is where each face serves its OpenAPI document, under its
// prefix: /api/v1/openapi.json.
const DocumentPath = "/openapi.json"

// Route is a declared route, for its face's OpenAPI document: the core
// documents every route of a face (its path parameters, security, the
// face's error envelope); the face describes what its bodies hold.
type Route struct {
	method, path string // path relative to the face's prefix
	public       bool
	op           *openapi.Operation
}

// Describe documents the route with op: its summary, query parameters,
// request body and answers. A route left undescribed is documented with
// an answer of any JSON.
func (r *Route) Describe(op *openapi.Operation) { r.op = op }

// Route returns the route the face declared with method and path
// (relative to the prefix), to describe it once all are declared; nil
// when there is none.
func (m *Mount) Route(method, path string) *Route {
	for _, r := range m.routes {
		if r.method == method && r.path == path {
			return r
		}
	}
	return nil
}

// Describe documents, once every route is declared, each route of ops
// (keyed by method and path, relative to the prefix) the face declared.
func (m *Mount) Describe(ops map[[2]string]*openapi.Operation) {
	for at, op := range ops {
		if r := m.Route(at[0], at[1]); r != nil {
			r.Describe(op)
		}
	}
}

// Document is the OpenAPI document the face's routes fill, for a face to
// add what they share (schemas of its types) while it mounts.
func (m *Mount) Document() *openapi.Document { return m.doc }

// newDocument starts the document of a face's name.
func newDocument(f *Face) *openapi.Document {
	title := f.Title
	if title == "" {
		title = f.Name
	}
	version := "1"
	if len(f.Versions) > 0 {
		version = f.Versions[len(f.Versions)-1]
	}
	d := openapi.New(title, version, f.Description)
	d.Servers = []openapi.Server{{URL: "/"}} // paths are whole: they hold the prefix
	if f.Anonymous == "" {
		d.Components.SecuritySchemes = map[string]*openapi.SecurityScheme{
			"basic":  {Type: "http", Scheme: "basic"},
			"bearer": {Type: "http", Scheme: "bearer", Description: "A token the server issued."},
			"token":  {Type: "apiKey", In: "header", Name: "X-Auth-Token", Description: "A token the server issued, as OpenStack clients send it."},
		}
		d.Security = []openapi.SecurityRequirement{{"basic": {}}, {"bearer": {}}, {"token": {}}}
	}
	d.Components.Responses = map[string]*openapi.Response{
		"Error": {Description: "An error, in the face's envelope.", Content: openapi.Errors(f.Dialect)},
	}
	return d
}

// document adds the face's routes to its document.
func (m *Mount) document() {
	d := m.doc
	ids := map[string]bool{}
	for _, item := range d.Paths {
		for _, op := range []*openapi.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
			if op != nil {
				ids[op.OperationID] = true
			}
		}
	}
	for _, r := range m.routes {
		path, params := openapiPath(m.face.Prefix + r.path)
		item := d.Paths[path]
		if item == nil {
			item = &openapi.PathItem{}
			d.Paths[path] = item
		}
		op := item.Operation(r.method)
		if op == nil {
			continue // HEAD and OPTIONS are the core's
		}
		if r.op != nil { // the face's, which its other routes may share: ours to add to
			*op = *r.op
			op.Responses, op.Parameters = maps.Clone(r.op.Responses), slices.Clone(r.op.Parameters)
		}
		if op.Responses == nil {
			op.Responses = map[string]*openapi.Response{}
		}
		for _, p := range params {
			if !hasParam(op.Parameters, p) {
				op.Parameters = append(op.Parameters, &openapi.Parameter{Name: p, In: "path", Required: true, Schema: &openapi.Schema{Type: "string"}})
			}
		}
		if !answers(op) {
			op.Responses["200"] = &openapi.Response{Description: "OK"} // undescribed: any body
		}
		if _, ok := op.Responses["default"]; !ok {
			op.Responses["default"] = &openapi.Response{Ref: "#/components/responses/Error"}
		}
		if op.OperationID == "" {
			op.OperationID = operationID(r.method, r.path)
		}
		for id, n := op.OperationID, 2; ids[op.OperationID]; n++ {
			op.OperationID = id + strconv.Itoa(n)
		}
		ids[op.OperationID] = true
		if r.public && m.face.Anonymous == "" {
			op.Security = &[]openapi.SecurityRequirement{}
		}
	}
}

// answers reports whether an operation documents a success.
func answers(op *openapi.Operation) bool {
	for code := range op.Responses {
		if code[0] == '2' {
			return true
		}
	}
	return false
}

func hasParam(ps []*openapi.Parameter, name string) bool {
	return slices.ContainsFunc(ps, func(p *openapi.Parameter) bool { return p.In == "path" && p.Name == name })
}

// openapiPath turns a route pattern into an OpenAPI path, /clusters/:k0
// into /clusters/{k0}, and names its parameters.
func openapiPath(pattern string) (string, []string) {
	segs := strings.Split(pattern, "/")
	var params []string
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			params = append(params, s[1:])
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/"), params
}

// operationID names an operation from its method and path, for generated
// clients: GET /clusters/:k0/hosts is getClustersHosts, and
// GET /clusters/:k0/hosts/:k1 getClustersHostsItem.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, s := range strings.Split(path, "/") {
		if s == "" || s[0] == ':' || s[0] == '*' {
			continue
		}
		upper := true
		for _, c := range s {
			switch {
			case c == '_' || c == '-' || c == '.':
				upper = true
			case upper:
				b.WriteString(strings.ToUpper(string(c)))
				upper = false
			default:
				b.WriteRune(c)
			}
		}
	}
	if i := strings.LastIndexByte(path, '/'); i >= 0 && i+1 < len(path) && (path[i+1] == ':' || path[i+1] == '*') {
		b.WriteString("Item")
	}
	return b.String()
}

// serveDocuments completes the document of each face name from its
// faces' routes and serves it at DocumentPath under the prefix of the one
// with the fewest parameters (CDAP's /v3, not /v3/namespaces/:namespace),
// public, as clients read it before they have credentials.
func (s *Server) serveDocuments(mounts []*Mount) {
	at := map[string]*Mount{}
	for _, m := range mounts {
		m.document()
		if best, ok := at[m.face.Name]; !ok || strings.Count(m.face.Prefix, ":") < strings.Count(best.face.Prefix, ":") {
			at[m.face.Name] = m
		}
	}
	for name, m := range at {
		body, err := json.Marshal(m.doc)
		if err != nil {
			s.log.Error("ambit: a face has no OpenAPI document", "face", name, "err", err)
			continue
		}
		s.documents[name] = body
		path := DocumentPath
		if m.face.JSONSuffix { // the core routes /openapi.json to /openapi
			path = strings.TrimSuffix(path, ".json")
		}
		m.HandlePublic(http.MethodGet, path, func(c *Call) (Result, error) {
			return Result{Raw: body, ContentType: "application/json"}, nil
		})
	}
}

// Document returns the OpenAPI document of the faces named name, as they
// serve it at DocumentPath, or false when the server has no such face.
func (s *Server) Document(name string) ([]byte, bool) {
	b, ok := s.documents[name]
	return b, ok
}
