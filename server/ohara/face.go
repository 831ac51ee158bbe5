// Package ohara is the Ohara v0 face of an ambit server: nodes, and the
// zookeeper, broker and worker clusters Ohara manages, under /v0, on the
// cluster domain.
//
// A node is a registered host. Every object is keyed by (group, name); a
// group is a namespace of the store, in which one cluster of the domain,
// named ohara, holds the group's services: a zookeeper cluster is its
// ZOOKEEPER service, a broker cluster its KAFKA, a worker cluster its
// KAFKA_CONNECT. So a group runs one cluster of each kind, and the
// dependency chain is the domain's: a broker starts only on its running
// zookeeper, a zookeeper stops only when no broker runs on it, and so on.
// Starting and stopping are requests of the domain, which the Ambari face
// shows too, to a user granted the group.
//
// JSON in and out; errors are Ohara's {code, message, stack}, the code a
// Java exception class name, the stack only in debug mode. Ohara answers
// a missing object with a 400; ambit answers it with a 404, the status a
// client checks first (seed 000 tells clients to read the status before
// the body), with the same NoSuchElementException code.
//
// Ohara has no authentication and its clients send no credentials:
// WithAnonymous serves requests without any as a named user. Anyone who
// can reach the server then acts as that user; keep it to loopback.
package ohara

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// Prefix is where the face is served.
const Prefix = "/v0"

// Domain is the name of each group's cluster of the domain.
const Domain = "ohara"

// The Java exception class names Ohara's errors carry as their code.
const (
	illegalArgument = "IllegalArgumentException"
	noSuchElement   = "NoSuchElementException"
	illegalState    = "IllegalStateException"
)

// Option configures the face.
type Option func(*server.Face)

// WithDebug fills errors' stack, as Ohara always does.
func WithDebug() Option {
	return func(f *server.Face) { f.Dialect = apierr.Ohara{Debug: true} }
}

// WithAnonymous serves requests that carry no credentials as user, as
// Ohara's clients send none. Anyone who reaches the server acts as user.
func WithAnonymous(user string) Option { return func(f *server.Face) { f.Anonymous = user } }

// Face returns the face.
func Face(opts ...Option) server.Face {
	f := server.Face{Name: "ohara", Prefix: Prefix, Dialect: apierr.Ohara{}, Mount: mount,
		ErrorNames: map[int]string{http.StatusBadRequest: illegalArgument, http.StatusNotFound: noSuchElement,
			http.StatusConflict: illegalState, http.StatusUnauthorized: "UnauthorizedException", http.StatusForbidden: "ForbiddenException",
			http.StatusMethodNotAllowed: "UnsupportedOperationException", http.StatusUnsupportedMediaType: illegalArgument,
			http.StatusInternalServerError: illegalState, http.StatusServiceUnavailable: illegalState}}
	for _, o := range opts {
		o(&f)
	}
	return f
}

// Types are the store types of the face: add them to the store
// (cluster.WithTypes) of a server that serves the face.
func Types() []resource.Type {
	out := []resource.Type{{Name: "OharaNode", Collection: nodesType, Category: "node", Keys: []string{"node/hostname"},
		Properties: []resource.Property{{Path: "node/port", Kind: resource.Number}, {Path: "node/user", Kind: resource.String},
			{Path: "node/password", Kind: resource.String}, {Path: "node/tags", Kind: resource.Object},
			{Path: "node/lastModified", Kind: resource.Number}}}}
	for _, k := range kinds {
		out = append(out, resource.Type{Name: "Ohara" + k.display, Collection: k.coll, Category: k.category, Keys: []string{k.category + "/name"},
			Properties: []resource.Property{{Path: k.category + "/settings", Kind: resource.Object},
				{Path: k.category + "/lastModified", Kind: resource.Number}}})
	}
	return out
}

const nodesType = "ohara_nodes"

// face serves Ohara's API over a cluster manager.
type face struct {
	store *resource.Store
	mgr   *cluster.Manager
	exec  cluster.Execution
}

func mount(m *server.Mount) {
	f := &face{store: m.Store()}
	f.mgr, f.exec = m.Cluster()
	f.nodeRoutes(m)
	for _, k := range kinds {
		f.kindRoutes(m, k)
	}
	m.HandleGlobal(http.MethodGet, "/inspect/:what", f.inspect)
	describe(m)
}

// names are Ohara's: lower-case letters, digits and dots.
var names = regexp.MustCompile(`^[a-z0-9.]{1,64}$`)

func badArg(format string, args ...any) *apierr.Error {
	return apierr.BadRequest(format, args...).WithName(illegalArgument)
}

func notFound(format string, args ...any) *apierr.Error {
	return apierr.NotFound(format, args...).WithName(noSuchElement)
}

func badState(format string, args ...any) *apierr.Error {
	return apierr.Conflict(format, args...).WithName(illegalState)
}

// readBody reads a JSON object body: a body that is not JSON is a 400, a
// declared Content-Type that is not JSON a 415.
func readBody(r *http.Request) (map[string]any, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, apierr.New(http.StatusUnsupportedMediaType, "Unsupported Content-Type %q: Ohara reads application/json.", ct).WithName(illegalArgument)
		}
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, apierr.New(http.StatusRequestEntityTooLarge, "The request body is larger than the server's limit.").WithName(illegalArgument)
	}
	if strings.TrimSpace(string(b)) == "" {
		return map[string]any{}, nil
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil || body == nil {
		return nil, badArg("The request body is not a JSON object.")
	}
	return body, nil
}

// group is the group a call names (?group=, or the body's group on
// POST), checked against the caller's grants: a group not granted is not
// there (404), and is not the caller's to write (403).
func group(c *server.Call, body map[string]any, write bool) (string, error) {
	g := c.Request.URL.Query().Get("group")
	if v, ok := body["group"].(string); ok && g == "" {
		g = v
	}
	if g == "" {
		g = resource.Default
	}
	if !names.MatchString(g) {
		return "", badArg("The group %q is not legal: use lower-case letters, digits and dots.", g)
	}
	switch {
	case !c.User.Can(g) && write:
		return "", apierr.Forbidden("The user %s may not change the group %s.", c.User.Name, g).WithName("ForbiddenException")
	case !c.User.Can(g):
		return "", notFound("The group %s does not exist.", g)
	case write && c.User.Role == server.ReadOnly:
		return "", apierr.Forbidden("The user %s may not change objects.", c.User.Name).WithName("ForbiddenException")
	}
	return g, nil
}
