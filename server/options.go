package server

import (
	"io"
	"log/slog"
	"maps"
	"strings"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/query"
)

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
		s.auth, s.accounts.users, s.dummy = true, maps.Clone(u), dummyHash(u)
	}
}

// WithUsersSaved keeps the users that clients create, change and delete
// through an API (Ambari's /users and privileges): save is called with
// every user after each change, before the change is seen, and a failure
// fails the change. Without it, changes last as long as the server.
func WithUsersSaved(save func(Users) error) Option {
	return func(s *Server) { s.accounts.save = save }
}

// Snapshotter writes a consistent copy of a server's data while it runs
// (resource/bolt's DB does).
type Snapshotter interface {
	WriteTo(w io.Writer) (int64, error)
}

// WithSnapshot lets administrators download a copy of the server's data
// (Ambari's face serves it at /api/v1/operator/snapshot).
func WithSnapshot(s Snapshotter) Option { return func(srv *Server) { srv.snapshot = s } }

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

// WithReadCache keeps answers to reads, up to max bytes of them, and
// serves a read again from them while the store has not changed since
// (reads). Every face's handler must then answer a GET from the store,
// the accounts and the request alone, or mark its result Cache-Control:
// no-store: the faces of this module do. max <= 0 keeps none.
func WithReadCache(max int) Option {
	return func(s *Server) {
		s.cache = nil
		if max > 0 {
			s.cache = newReads(max)
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
func WithLimits(l query.Limits) Option { return func(s *Server) { s.limits.Predicates = l } }

// DefaultMaxPageSize is the largest page_size or limit a server accepts
// unless WithMaxPageSize says otherwise. Ambari has no limit; a page of
// ten thousand resources is already megabytes of JSON.
const DefaultMaxPageSize = 10000

// DefaultMaxBatch is the most elements one request body may hold unless
// WithMaxBatch says otherwise.
const DefaultMaxBatch = 1000

// WithMaxPageSize refuses page_size or limit above n (400 naming the
// limit); n <= 0 sets no limit. The default is DefaultMaxPageSize.
func WithMaxPageSize(n int) Option { return func(s *Server) { s.limits.MaxPage = max(n, 0) } }

// WithMaxBatch refuses request bodies of more than n elements (400 naming
// the limit): batches, several resources in one POST, several property
// maps in one PUT. n <= 0 sets no limit. The default is DefaultMaxBatch.
func WithMaxBatch(n int) Option { return func(s *Server) { s.limits.MaxBatch = max(n, 0) } }

// WithoutCSRF stops requiring the X-Requested-By header on writes, on
// the faces that require it (Ambari's).
func WithoutCSRF() Option { return func(s *Server) { s.csrf = false } }

// WithExternalURL makes every link start with url (such as
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

// WithFaces mounts faces, each under its prefix.
func WithFaces(faces ...Face) Option { return func(s *Server) { s.faces = append(s.faces, faces...) } }

// WithTokenKey signs and verifies the bearer tokens /token issues with key
// (at least 32 bytes). Without it a server makes a random key when it
// starts, so that its tokens end with it.
func WithTokenKey(key []byte) Option { return func(s *Server) { s.tokens.key = key } }

// WithTokenTTL sets how long a token lasts (default an hour).
func WithTokenTTL(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.tokens.ttl = d
		}
	}
}
