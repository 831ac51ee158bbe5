package server

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/julienschmidt/httprouter"
)

// Prefix is where the API is served.
const Prefix = "/api/v1"

// Version is the server version clients read from
// /api/v1/services/AMBARI/components/AMBARI_SERVER.
const Version = "2.7.8"

// Server serves a resource store over HTTP in Ambari's API v1 style. It
// is an http.Handler.
type Server struct {
	store    *resource.Store
	cluster  *cluster.Manager
	exec     cluster.Execution
	router   *httprouter.Router
	preds    *query.Cache
	dialect  apierr.Dialect
	users    Users  // nil: no authentication
	dummy    []byte // the hash unknown users are checked against
	logins   *logins
	verified verified
	log      *slog.Logger
	maxBody  int64
	maxURL   int
	csrf     bool
	compact  bool
	limits   query.Limits
	maxPage  int       // 0: no limit
	maxBatch int       // elements of one body; 0: no limit
	external string    // the API's URL as clients see it, when set
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

// WithCluster serves a cluster manager's store with Ambari's cluster
// semantics: PUT of a state makes and runs a request (202), PUT of
// Requests/request_status=ABORTED aborts one, POST of a service or a host
// component goes through the manager. Requests run with x.
func WithCluster(m *cluster.Manager, x cluster.Execution) Option {
	return func(s *Server) { s.cluster, s.exec, s.store = m, x, m.Store() }
}

// WithUsers requires HTTP Basic authentication against users. A server
// without it authenticates nobody and lets every client in as an
// administrator: that is for tests and embedding. With it, even an empty
// Users, every request must authenticate.
func WithUsers(u Users) Option {
	return func(s *Server) {
		if u == nil {
			u = Users{}
		}
		s.users, s.dummy = u, dummyHash(u)
	}
}

// WithLoginLimit allows burst failed logins from one client address, and
// for one user name, then one every period (429 with Retry-After beyond).
// The default is 10, then one every 6 seconds; burst <= 0 lifts the limit.
func WithLoginLimit(burst int, period time.Duration) Option {
	return func(s *Server) {
		s.logins = nil
		if burst > 0 && period > 0 {
			s.logins = newLogins(burst, period)
		}
	}
}

// DefaultMaxWait bounds an X-Ambit-Wait long-poll unless WithMaxWait says
// otherwise. A server's write timeout must be longer (cmd/ambit's is).
const DefaultMaxWait = time.Minute

// WithMaxWait bounds how long an X-Ambit-Wait long-poll waits: a longer
// wait asked for answers after d with the current state. Keep d below the
// http.Server's WriteTimeout, or the answer never reaches the client.
func WithMaxWait(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.maxWait = d
		}
	}
}

// WithMaxWaiters bounds how many long-polls wait at once (default 1024):
// one more is a 503 with Retry-After.
func WithMaxWaiters(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.maxWaiters = int64(n)
		}
	}
}

// WithLogger sets the logger of the access log and of failures.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithMaxBody limits request bodies (413 beyond); the default is 8 MiB.
func WithMaxBody(n int64) Option { return func(s *Server) { s.maxBody = n } }

// WithMaxURL limits the length of request URLs (414 beyond); the default
// is 16 KiB.
func WithMaxURL(n int) Option { return func(s *Server) { s.maxURL = n } }

// WithLimits bounds predicates (length, bracket depth, terms); zero fields
// keep query.DefaultLimits.
func WithLimits(l query.Limits) Option { return func(s *Server) { s.limits = l } }

// DefaultMaxPageSize is the largest page_size or limit a server accepts
// unless WithMaxPageSize says otherwise. Ambari has no limit; a page of
// ten thousand resources is already megabytes of JSON.
const DefaultMaxPageSize = 10000

// DefaultMaxBatch is the most elements one request body may hold unless
// WithMaxBatch says otherwise.
const DefaultMaxBatch = 1000

// WithMaxPageSize refuses page_size or limit above n (400 naming the
// limit); n <= 0 sets no limit. The default is DefaultMaxPageSize.
func WithMaxPageSize(n int) Option { return func(s *Server) { s.maxPage = max(n, 0) } }

// WithMaxBatch refuses request bodies of more than n elements (400 naming
// the limit): batches, several resources in one POST, several property
// maps in one PUT. n <= 0 sets no limit. The default is DefaultMaxBatch.
func WithMaxBatch(n int) Option { return func(s *Server) { s.maxBatch = max(n, 0) } }

// WithoutCSRF stops requiring the X-Requested-By header on writes.
func WithoutCSRF() Option { return func(s *Server) { s.csrf = false } }

// WithExternalURL makes every href start with url (such as
// https://ambari.example.com), whatever the request's Host: for a server
// behind a proxy.
func WithExternalURL(url string) Option {
	return func(s *Server) { s.external = strings.TrimSuffix(url, "/") }
}

// TrustForwarded builds hrefs from X-Forwarded-Proto and X-Forwarded-Host
// when a request has them. Only for servers that a trusted proxy fronts:
// clients could otherwise put any host in the hrefs.
func TrustForwarded() Option { return func(s *Server) { s.proxied = true } }

// Compact writes JSON without indentation.
func Compact() Option { return func(s *Server) { s.compact = true } }

// New returns a server of store (nil when WithCluster gives it).
func New(store *resource.Store, opts ...Option) *Server {
	s := &Server{store: store, dialect: apierr.Ambari{},
		log: slog.Default(), maxBody: 8 << 20, maxURL: 16 << 10, csrf: true,
		maxPage: DefaultMaxPageSize, maxBatch: DefaultMaxBatch, logins: newLogins(10, 6*time.Second),
		maxWait: DefaultMaxWait, maxWaiters: 1024, verified: verified{sums: map[string][32]byte{}},
		buffers: sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}}
	for _, o := range opts {
		o(s)
	}
	s.waits, s.endWaits = context.WithCancel(context.Background())
	parser := &query.Parser{Limits: s.limits}
	if s.cluster != nil {
		parser.Normalize = query.LowerHostNames
	}
	s.preds = query.NewCache(parser, 4096, 0)
	s.router = httprouter.New()
	s.router.NotFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apierr.NotFound("The requested resource doesn't exist: %s", r.URL.Path))
	})
	s.router.HandleMethodNotAllowed = true
	s.router.MethodNotAllowed = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apierr.MethodNotAllowed("Method %s is not allowed on %s.", r.Method, r.URL.Path))
	})
	s.router.PanicHandler = func(w http.ResponseWriter, r *http.Request, v any) {
		s.log.Error("ambit: handler panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
		s.fail(w, r, apierr.Internal("An internal error occurred."))
	}
	s.routes()
	return s
}

// ServeHTTP implements http.Handler: it authenticates, checks the CSRF
// header on writes, routes, and logs the access.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	user := s.serve(rec, r)
	s.log.Info("access", "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery, "status", rec.status,
		"duration", time.Since(start), "bytes", rec.bytes, "user", user)
}

// EndWaits answers every X-Ambit-Wait long-poll at once with the current
// state, and every later one without waiting: register it with
// http.Server.RegisterOnShutdown, so that a shutdown does not wait for
// long-polls to time out.
func (s *Server) EndWaits() { s.endWaits() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) string {
	if r.URL.Path == "/healthz" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
		return ""
	}
	if len(r.URL.RawQuery)+len(r.URL.Path) > s.maxURL {
		s.fail(w, r, apierr.New(http.StatusRequestURITooLong, "The request URL is longer than the limit of %d bytes.", s.maxURL))
		return ""
	}
	user, role, err := s.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="ambit"`)
		s.fail(w, r, err)
		return user
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if role == ReadOnly {
			s.fail(w, r, apierr.Forbidden("The user %s may not change resources.", user))
			return user
		}
		if s.csrf && r.Header.Get("X-Requested-By") == "" {
			s.fail(w, r, apierr.BadRequest("CSRF protection is on: the X-Requested-By header is required.").WithField("X-Requested-By", -1))
			return user
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if r.Method == http.MethodHead {
		// HEAD is GET without the body: the headers, Content-Length
		// included, are GET's.
		r = r.Clone(r.Context())
		r.Method = http.MethodGet
		w = headWriter{w}
	}
	s.router.ServeHTTP(w, r)
	return user
}

// headWriter drops a response's body, for HEAD.
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(b []byte) (int, error) { return len(b), nil }

func (h headWriter) started() bool {
	st, ok := h.ResponseWriter.(interface{ started() bool })
	return ok && st.started()
}

// fail answers with an API error in the server's dialect, unless the
// response has started: then the error (most often a client that went away
// while its answer was written) can only be logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if st, ok := w.(interface{ started() bool }); ok && st.started() {
		s.log.Debug("ambit: error after the response started", "path", r.URL.Path, "err", err)
		return
	}
	e := apiError(err, ambariWords)
	if e.Status >= 500 {
		s.log.Error("ambit: request failed", "path", r.URL.Path, "err", err)
	}
	retryAfter(w, err)
	apierr.Write(w, r, s.dialect, e)
}

// base is the absolute URL of the API for this request.
func (s *Server) base(r *http.Request) string {
	if s.external != "" {
		return s.external + Prefix
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
	return scheme + "://" + host + Prefix
}

// self is the absolute URL of the request.
func (s *Server) self(r *http.Request) string {
	u := s.base(r) + strings.TrimPrefix(r.URL.Path, Prefix)
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// recorder remembers the status and size of a response, for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	sent   bool // the status line has gone out
}

func (r *recorder) WriteHeader(code int) {
	r.status, r.sent = code, true
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.sent = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) started() bool { return r.sent }
