package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/julienschmidt/httprouter"
)

// Face is one API family's conventions, mounted under a prefix: its
// routes, its error envelope, the wording of the store's errors, and what
// it negotiates. The core does the rest for every face: authentication
// and tokens, tenancy, limits, negotiation, the access log, and writing
// results and errors.
type Face struct {
	// Name names the face in logs: ambari.
	Name string
	// Prefix is where the face is mounted: /api/v1. A segment :name is the
	// namespace of the request (/v1.1/:project_id); without one, the face
	// serves each user's home namespace (Principal.Home): resource.Default
	// for those granted it.
	Prefix string
	// Dialect is the error envelope.
	Dialect apierr.Dialect
	// Words words the store's typed errors; nil leaves their neutral
	// messages.
	Words Words
	// Challenge is the scheme a 401 names in WWW-Authenticate: Basic
	// (when empty) or Bearer.
	Challenge string
	// CSRF requires the X-Requested-By header on writes, as Ambari does
	// (WithoutCSRF lifts it on every face).
	CSRF bool
	// Indent is one level of JSON indentation ("" for compact).
	Indent string
	// XML, when set, writes a result's body as XML for clients that ask
	// for application/xml.
	XML func(body any) ([]byte, error)
	// Versions are the API versions the face speaks, oldest first; a
	// request may ask for one with a version= parameter of Accept or
	// Content-Type (406 for others), and gets the latest otherwise.
	Versions []string
	// JSONSuffix accepts a .json suffix on paths, as Sahara does.
	JSONSuffix bool
	// ErrorNames name the errors that have no name of their own, by
	// status (Sahara's VALIDATION_ERROR for a 400).
	ErrorNames map[int]string
	// Forbidden answers 403 to reads of a namespace the user is not
	// granted too, where the namespace is one the client names (Sahara's
	// project); otherwise such reads are 404, so that names do not leak.
	Forbidden bool
	// Anonymous, when set, names the user a request without credentials
	// is served as, for clients of a family that has no authentication
	// (Ohara's): anyone who reaches the server acts as that user.
	Anonymous string
	// Mount declares the face's routes.
	Mount func(m *Mount)
	// Title and Description head the face's OpenAPI document.
	Title, Description string
}

// Mount is what a face's Mount function gets: the server's environment and
// the means to declare routes.
type Mount struct {
	s      *Server
	face   *Face
	router *httprouter.Router
	doc    *openapi.Document
	routes []*Route
}

// Handler answers one call of a route with a result, or an error that the
// core writes in the face's envelope.
type Handler func(c *Call) (Result, error)

// Handle declares a route: path is relative to the face's prefix, in
// httprouter's syntax (/clusters/:cluster). The core applies tenancy and
// roles before h runs.
func (m *Mount) Handle(method, path string, h Handler) *Route {
	return m.handle(method, path, h, false)
}

// HandleGlobal declares a route outside every namespace (Ambari's
// /users): it needs no grant, and its handler decides what each role may
// do (a user may change its own password).
func (m *Mount) HandleGlobal(method, path string, h Handler) *Route {
	return m.handle(method, path, h, true)
}

// HandlePublic declares a global route that needs no credentials (the
// OpenShift broker's /api, which clients read before they log in): a
// request without any is served as an anonymous principal, one with
// credentials as usual.
func (m *Mount) HandlePublic(method, path string, h Handler) *Route {
	m.s.public[m.face] = append(m.s.public[m.face], m.face.Prefix+path)
	r := m.handle(method, path, h, true)
	r.public = true
	return r
}

func (m *Mount) handle(method, path string, h Handler, global bool) *Route {
	r := &Route{method: method, path: path}
	m.routes = append(m.routes, r)
	if global {
		m.s.globals[m.face] = append(m.s.globals[m.face], m.face.Prefix+path)
	}
	m.router.Handle(method, m.face.Prefix+path, func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		c := callOf(r)
		c.Params = ps
		for i, p := range ps {
			if c.escaped {
				v, err := url.PathUnescape(p.Value)
				if err != nil {
					m.s.fail(w, r, apierr.BadRequest("The path segment %q is not valid percent-encoding.", p.Value).WithField("path", -1))
					return
				}
				ps[i].Value = v
			}
			if !validUTF8(ps[i].Value) { // decoded: %FF is a byte
				m.s.fail(w, r, apierr.BadRequest("The path segment %q is not valid UTF-8.", ps[i].Value).WithField("path", -1))
				return
			}
		}
		if m.s.cache != nil && m.s.store != nil && cacheable(r) {
			m.s.serveRead(w, c, h)
			return
		}
		res, err := h(c)
		m.s.respond(w, r, c, res, err)
	})
	return r
}

// Store is the server's store.
func (m *Mount) Store() *resource.Store { return m.s.store }

// Cluster is the server's cluster manager (nil without one) and how its
// requests run.
func (m *Mount) Cluster() (*cluster.Manager, cluster.Execution) { return m.s.cluster, m.s.exec }

// Predicates is the server's cache of parsed predicates.
func (m *Mount) Predicates() *query.Cache { return m.s.preds }

// Limits are the server's limits on what one request may ask.
func (m *Mount) Limits() Limits { return m.s.limits }

// Accounts are the server's users, for a face that manages them.
func (m *Mount) Accounts() *Accounts { return &m.s.accounts }

// Snapshot returns what copies the server's data, or nil when it keeps
// none (WithSnapshot).
func (m *Mount) Snapshot() Snapshotter { return m.s.snapshot }

// Logger is the server's logger.
func (m *Mount) Logger() *slog.Logger { return m.s.log }

// Limits bound what one request may ask of a face.
type Limits struct {
	// MaxPage is the largest page size (0: none).
	MaxPage int
	// MaxBatch is the most elements of one request body (0: none).
	MaxBatch int
	// Predicates bound predicates' length, depth and terms.
	Predicates query.Limits
}

// Call is one request to a route of a face, as the core has understood
// it: who asks, in which namespace, for which media and version.
type Call struct {
	// Request is the HTTP request (GET for a HEAD).
	Request *http.Request
	// Params are the route's parameters.
	Params httprouter.Params
	// User is who is calling, with their grants.
	User Principal
	// Namespace is the store namespace the URL names.
	Namespace string
	// Version is the API version negotiated ("" when the face has none).
	Version string
	// XML says the client asked for XML (and the face writes it).
	XML bool
	// NoLinks says the client asked for no links (nolinks=true).
	NoLinks bool

	s       *Server
	face    *Face
	escaped bool // routed on the escaped path: parameters are decoded here
}

type callKey struct{}

func callOf(r *http.Request) *Call { return r.Context().Value(callKey{}).(*Call) }

// Context is the request's context.
func (c *Call) Context() context.Context { return c.Request.Context() }

// Param returns a route parameter by name.
func (c *Call) Param(name string) string { return c.Params.ByName(name) }

// Base is the absolute URL of the face's prefix for this request, as
// clients see it (WithExternalURL, or trusted X-Forwarded-* headers).
func (c *Call) Base() string {
	prefix := c.Request.URL.Path[:prefixLen(c.face.Prefix, c.Request.URL.Path)]
	return c.s.origin(c.Request) + prefix
}

// Self is the absolute URL of the request.
func (c *Call) Self() string {
	u := c.s.origin(c.Request) + c.Request.URL.Path
	if c.Request.URL.RawQuery != "" {
		u += "?" + c.Request.URL.RawQuery
	}
	return u
}

// Sub returns a call of the same route for another request: an element
// of a batch.
func (c *Call) Sub(r *http.Request) *Call {
	sub := *c
	sub.Request = r.WithContext(context.WithValue(r.Context(), callKey{}, &sub))
	return &sub
}

// Outcome is the status and body the core would write for a result or
// an error: a batch reports each element's this way.
func (c *Call) Outcome(res Result, err error) (int, any) {
	if err != nil {
		e := apiError(err, c.face.Words)
		if name, ok := c.face.errorName(e.Status); ok && e.Name == "" {
			e = e.WithName(name)
		}
		return e.Status, envelope(c.face.Dialect, e)
	}
	if res.Release != nil {
		defer res.Release()
	}
	return res.status(), res.Body
}

// Indent is one level of the JSON indentation answers are written with.
func (c *Call) Indent() string { return c.s.indent(c.face) }

// Buffer returns a buffer from the server's pool; put it in a Result's
// Release (with Release) so that it goes back once the answer is written.
func (c *Call) Buffer() *[]byte { return c.s.buffers.Get().(*[]byte) }

// Release returns a buffer from Buffer to the pool.
func (c *Call) Release(bp *[]byte) { c.s.release(bp) }

// Wait gives a long-poll its context: it ends after d (at most the
// server's WithMaxWait), with the request, or when the server ends its
// waits (EndWaits). Beyond WithMaxWaiters waiting calls it is a 503 with
// Retry-After. done must be called when the wait is over.
func (c *Call) Wait(d time.Duration) (ctx context.Context, done func(), err error) {
	s := c.s
	if n := s.waiters.Add(1); n > s.maxWaiters {
		s.waiters.Add(-1)
		return nil, nil, retryLater{after: time.Second, error: apierr.Unavailable("Too many clients are waiting for changes (the limit is %d): try again shortly.", s.maxWaiters).
			WithName("TOO_MANY_WAITERS")}
	}
	ctx, cancel := context.WithTimeout(c.Context(), min(d, s.maxWait))
	stop := context.AfterFunc(s.waits, cancel)
	return ctx, func() { stop(); cancel(); s.waiters.Add(-1) }, nil
}

// Ending reports whether the server is ending its waits (EndWaits): a
// wait cut short then answers with the current state.
func (c *Call) Ending() bool { return c.s.waits.Err() != nil }

// matches reports whether a path matches a route pattern, segment by
// segment (:name matches any one).
func matches(pattern, path string) bool {
	for { // segment by segment, without splitting: this runs on every request
		p, prest, pmore := strings.Cut(pattern, "/")
		s, srest, smore := strings.Cut(path, "/")
		if pmore != smore || !strings.HasPrefix(p, ":") && p != s {
			return false
		}
		if !pmore {
			return true
		}
		pattern, path = prest, srest
	}
}

// prefixLen is how much of path a face's prefix takes, its parameters
// matched: 0 when path is not under the prefix.
func prefixLen(prefix, path string) int {
	n := 0
	for rest, more := strings.TrimPrefix(prefix, "/"), true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		if !strings.HasPrefix(path[n:], "/") {
			return 0
		}
		rest := path[n+1:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		if !strings.HasPrefix(seg, ":") && rest[:end] != seg || rest[:end] == "" {
			return 0
		}
		n += 1 + end
	}
	return n
}
