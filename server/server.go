package server

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/julienschmidt/httprouter"
)

// Server serves one store, and a cluster manager's domain, through faces
// mounted under their prefixes. It is an http.Handler.
type Server struct {
	store     *resource.Store
	cluster   *cluster.Manager
	exec      cluster.Execution
	faces     []Face
	routers   []*httprouter.Router // one a face, in the order of faces
	globals   map[*Face][]string   // the route patterns outside namespaces, by face
	public    map[*Face][]string   // the global route patterns that need no credentials
	documents map[string][]byte    // the faces' OpenAPI documents, by face name
	preds     *query.Cache
	cache     *reads // nil: every read is computed
	limits    Limits

	auth     bool // WithUsers was given: every request authenticates
	accounts Accounts
	snapshot Snapshotter // nil: the server keeps no data
	dummy    []byte      // the hash unknown users are checked against
	logins   *logins
	verified verified
	tokens   tokens

	log      *slog.Logger
	maxBody  int64
	maxURL   int
	csrf     bool
	compact  bool
	external string    // the server's origin as clients see it, when set
	proxied  bool      // trust X-Forwarded-Proto and X-Forwarded-Host
	buffers  sync.Pool // *[]byte for writing responses

	// Long-polls: how long one may wait, how many may wait at once, how
	// many do, and what ends them all (EndWaits).
	maxWait    time.Duration
	maxWaiters int64
	waiters    atomic.Int64
	waits      context.Context
	endWaits   context.CancelFunc
}

// Option configures a Server.
type Option func(*Server)

// New returns a server of store (nil when WithCluster gives it) with the
// faces WithFaces mounts.
func New(store *resource.Store, opts ...Option) *Server {
	s := &Server{store: store, log: slog.Default(), maxBody: 8 << 20, maxURL: 16 << 10, csrf: true,
		verified: verified{sums: map[string][32]byte{}},
		limits:   Limits{MaxPage: DefaultMaxPageSize, MaxBatch: DefaultMaxBatch},
		logins:   newLogins(10, 6*time.Second), tokens: tokens{ttl: time.Hour, now: time.Now},
		maxWait: DefaultMaxWait, maxWaiters: 1024,
		buffers: sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}}
	s.accounts.forget = s.verified.forget
	s.globals, s.public, s.documents = map[*Face][]string{}, map[*Face][]string{}, map[string][]byte{}
	for _, o := range opts {
		o(s)
	}
	if len(s.tokens.key) == 0 {
		s.tokens.key = make([]byte, 32)
		_, _ = rand.Read(s.tokens.key) // never fails (crypto/rand)
	}
	s.waits, s.endWaits = context.WithCancel(context.Background())
	parser := &query.Parser{Limits: s.limits.Predicates}
	if s.cluster != nil {
		parser.Normalize = query.LowerHostNames
	}
	s.preds = query.NewCache(parser, 4096, 0)
	docs := map[string]*openapi.Document{}
	var mounts []*Mount
	for i := range s.faces {
		rt, m := s.mount(&s.faces[i], docs)
		s.routers = append(s.routers, rt)
		if m != nil {
			mounts = append(mounts, m)
		}
	}
	s.serveDocuments(mounts)
	return s
}

// mount builds a face's router, whose own errors (404, 405, a panic)
// answer in the face's envelope, and returns its mount; its routes fill
// the OpenAPI document of the faces of its name, in docs.
func (s *Server) mount(f *Face, docs map[string]*openapi.Document) (*httprouter.Router, *Mount) {
	rt := httprouter.New()
	rt.NotFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apierr.NotFound("The requested resource doesn't exist: %s", r.URL.Path))
	})
	rt.HandleMethodNotAllowed = true
	rt.MethodNotAllowed = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apierr.MethodNotAllowed("Method %s is not allowed on %s.", r.Method, r.URL.Path))
	})
	rt.PanicHandler = func(w http.ResponseWriter, r *http.Request, v any) {
		s.log.Error("ambit: handler panic", "face", f.Name, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
		s.fail(w, r, apierr.Internal("An internal error occurred."))
	}
	if f.Mount == nil {
		return rt, nil
	}
	d := docs[f.Name]
	if d == nil {
		d = newDocument(f)
		docs[f.Name] = d
	}
	m := &Mount{s: s, face: f, router: rt, doc: d}
	f.Mount(m)
	return rt, m
}

// ServeHTTP implements http.Handler: it serves the request and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	if s.store != nil {
		rec.version = s.store.Version
	}
	user := s.serve(rec, r)
	s.log.Info("access", "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery, "status", rec.status,
		"duration", time.Since(start), "bytes", rec.bytes, "user", user)
}

// EndWaits answers every X-Ambit-Wait long-poll at once with the current
// state, and every later one without waiting: register it with
// http.Server.RegisterOnShutdown, so that a shutdown does not wait for
// long-polls to time out.
func (s *Server) EndWaits() { s.endWaits() }

// serve runs what every face shares, in order: health, the URL's length,
// tokens, finding the face, authentication, negotiation, tenancy, roles,
// CSRF, the body's limit; then the face's router. It returns the user,
// for the log.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) string {
	if r.Method == http.MethodHead {
		// HEAD is GET without the body: the headers, Content-Length
		// included, are GET's.
		r = r.Clone(r.Context())
		r.Method = http.MethodGet
		w = headWriter{w}
	}
	escaped := r.URL.RawPath != ""
	if escaped {
		// An encoded slash (%2F) is part of its segment (RFC 3986), but
		// net/http decodes it into Path: route on the escaped path, and
		// decode the parameters one by one (Mount.handle).
		r = r.Clone(r.Context())
		r.URL.Path, r.URL.RawPath = r.URL.RawPath, ""
	}
	switch {
	case r.URL.Path == "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
		return ""
	case len(r.URL.RawQuery)+len(r.URL.Path) > s.maxURL:
		s.fail(w, r, apierr.New(http.StatusRequestURITooLong, "The request URL is longer than the limit of %d bytes.", s.maxURL))
		return ""
	case r.URL.Path == "/token":
		return s.issueToken(w, r)
	}
	i := s.faceIndex(r.URL.Path)
	if i < 0 {
		s.fail(w, r, apierr.NotFound("No API is served at %s.", r.URL.Path))
		return ""
	}
	f := &s.faces[i]
	p, err := s.authenticate(r)
	if anonymous := r.Header.Get("Authorization") == "" && r.Header.Get("X-Auth-Token") == ""; err != nil && anonymous {
		if u, ok := s.accounts.Get(f.Anonymous); ok && f.Anonymous != "" && !u.Disabled {
			p, err = u.principal(f.Anonymous), nil
		} else if s.isPublic(f, r.URL.Path) {
			p, err = Principal{Role: ReadOnly, Grants: []string{}}, nil // anonymous: no namespace, no writes
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return p.Name
	}
	n, err := negotiate(r, f)
	if err != nil {
		s.fail(w, r, err)
		return p.Name
	}
	ns, named := namespaceOf(f.Prefix, r.URL.Path)
	if !named {
		ns = p.Home()
	} else if escaped {
		if ns, err = url.PathUnescape(ns); err != nil || !validUTF8(ns) {
			s.fail(w, r, apierr.BadRequest("The namespace in the path is not a valid percent-encoded name.").WithField("path", -1))
			return p.Name
		}
	}
	if err := s.allowed(r, f, p, ns, s.global(f, r.URL.Path)); err != nil {
		s.fail(w, r, err)
		return p.Name
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if p := routed(f, r.URL.Path); p != r.URL.Path {
		r = r.Clone(r.Context())
		r.URL.Path = p
	}
	if err := s.atLeast(r); err != nil {
		s.fail(w, r, err)
		return p.Name
	}
	c := &Call{User: p, Namespace: ns, Version: n.version, XML: n.xml, NoLinks: n.noLinks, s: s, face: f, escaped: escaped}
	c.Request = r.WithContext(context.WithValue(r.Context(), callKey{}, c))
	s.routers[i].ServeHTTP(w, c.Request)
	return p.Name
}

// allowed applies tenancy and roles before a route's handler runs: a
// namespace the principal is not granted is not there for it (404: its
// names do not leak), and writes there are 403; read-only users may not
// write; writes on faces that ask for it need the X-Requested-By header.
// A global route (Mount.HandleGlobal) needs no grant and leaves roles to
// its handler.
func (s *Server) allowed(r *http.Request, f *Face, p Principal, ns string, global bool) error {
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	switch {
	case write && f.CSRF && s.csrf && r.Header.Get("X-Requested-By") == "":
		return apierr.BadRequest("CSRF protection is on: the X-Requested-By header is required.").WithField("X-Requested-By", -1)
	case global:
		return nil
	case !p.Can(ns) && (write || f.Forbidden):
		return apierr.Forbidden("The user %s may not change resources of the namespace %s.", p.Name, ns)
	case !p.Can(ns):
		return apierr.NotFound("The requested resource doesn't exist: %s", r.URL.Path)
	case write && p.Role == ReadOnly:
		return apierr.Forbidden("The user %s may not change resources.", p.Name)
	}
	return nil
}

// isPublic reports a path of a face's public routes (Mount.HandlePublic).
func (s *Server) isPublic(f *Face, path string) bool {
	path = routed(f, path)
	for _, pattern := range s.public[f] {
		if matches(pattern, path) {
			return true
		}
	}
	return false
}

// global reports a path of a face's global routes (Mount.HandleGlobal).
func (s *Server) global(f *Face, path string) bool {
	path = routed(f, path)
	for _, pattern := range s.globals[f] {
		if matches(pattern, path) {
			return true
		}
	}
	return false
}

// routed is the path a face's router sees: without the .json suffix of a
// face that takes one.
func routed(f *Face, path string) string {
	if f.JSONSuffix {
		return strings.TrimSuffix(path, ".json")
	}
	return path
}

// faceIndex finds the face a path belongs to: the longest prefix.
func (s *Server) faceIndex(path string) int {
	best, bestLen := -1, 0
	for i, f := range s.faces {
		if n := prefixLen(f.Prefix, path); n > bestLen && (n == len(path) || path[n] == '/' || f.JSONSuffix && path[n:] == ".json") {
			best, bestLen = i, n
		}
	}
	return best
}

// faceOf is the face a path belongs to, nil for none.
func (s *Server) faceOf(path string) *Face {
	if i := s.faceIndex(path); i >= 0 {
		return &s.faces[i]
	}
	return nil
}

// namespaceOf reads the namespace a path names under a prefix, and
// whether it names one.
func namespaceOf(prefix, path string) (string, bool) {
	for pmore, smore := true, true; pmore && smore; {
		var p, s string
		p, prefix, pmore = strings.Cut(prefix, "/")
		s, path, smore = strings.Cut(path, "/")
		if strings.HasPrefix(p, ":") && s != "" {
			return s, true
		}
	}
	return resource.Default, false
}

// origin is the scheme and host clients reach the server at.
func (s *Server) origin(r *http.Request) string {
	if s.external != "" {
		return s.external
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.proxied {
		if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			scheme = p
		}
		if h := r.Header.Get("X-Forwarded-Host"); h != "" {
			host = h
		}
	}
	return scheme + "://" + host
}

func validUTF8(s string) bool { return utf8.ValidString(s) }

// headWriter drops a response's body, for HEAD.
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(b []byte) (int, error) { return len(b), nil }

func (h headWriter) started() bool {
	st, ok := h.ResponseWriter.(interface{ started() bool })
	return ok && st.started()
}

// recorder remembers the status and size of a response, for the log.
type recorder struct {
	http.ResponseWriter
	status  int
	bytes   int
	sent    bool          // the status line has gone out
	version func() uint64 // the store's, for VersionHeader; nil without a store
}

func (r *recorder) WriteHeader(code int) {
	r.versioned()
	r.status, r.sent = code, true
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.versioned()
	r.sent = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) started() bool { return r.sent }

// Accounts are the server's users, for a program that shares them among
// servers (Accounts.Replace).
func (s *Server) Accounts() *Accounts { return &s.accounts }
