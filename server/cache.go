package server

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// reads is the server's cache of answers to reads (WithReadCache). The
// store's snapshots are immutable and numbered: an answer computed from
// the snapshot of version v, for one request from one principal, is the
// answer to that request from that principal for as long as the store
// stays at v. Management planes are polled (a UI refreshing its pages, a
// CLI following a request), so most reads come between two writes.
//
// An answer is kept only when nothing moved while it was computed (the
// store's version and the accounts' generation are the same after as
// before), when it is a 200 written from a Result (not a stream), and
// when its handler did not mark it Cache-Control: no-store. The first
// write after it empties the cache.
type reads struct {
	mu      sync.Mutex
	version uint64 // the store's version the answers were computed at
	gen     uint64 // and the accounts' generation
	max     int    // bytes the answers may hold
	size    int
	answers map[string]*answer
	order   []string // oldest first, to evict when full
}

// answer is a kept answer: what respond wrote.
type answer struct {
	header http.Header
	body   []byte
}

func newReads(max int) *reads { return &reads{max: max, answers: map[string]*answer{}} }

// get returns the answer kept for key at version and gen.
func (c *reads) get(key string, version, gen uint64) (*answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.gen != gen {
		return nil, false
	}
	a, ok := c.answers[key]
	return a, ok
}

// put keeps an answer computed at version and gen, emptying the cache of
// answers of an older state first, and the oldest answers when it is full.
func (c *reads) put(key string, version, gen uint64, a *answer) {
	n := len(key) + len(a.body)
	if n > c.max/8 {
		return // one large answer would push out many small ones
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version < c.version || version == c.version && gen < c.gen:
		return // computed before a later answer's state: stale already
	case version != c.version || gen != c.gen:
		c.version, c.gen, c.size, c.answers, c.order = version, gen, 0, map[string]*answer{}, nil
	}
	if _, ok := c.answers[key]; ok {
		return
	}
	for c.size+n > c.max && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(old) + len(c.answers[old].body)
		delete(c.answers, old)
	}
	c.answers[key], c.size = a, c.size+n
	c.order = append(c.order, key)
}

// readKey is what an answer depends on besides the state: the route and
// its query, what was negotiated, the principal (its grants decide what it
// sees), and the origin hrefs are written with.
func (s *Server) readKey(c *Call) string {
	r, p := c.Request, c.User
	var b strings.Builder
	for _, part := range []string{r.URL.Path, r.URL.RawQuery, c.Namespace, c.Version, s.origin(r), p.Name, p.Namespace} {
		b.WriteString(part)
		b.WriteByte(0)
	}
	b.WriteString(strconv.FormatBool(c.XML) + strconv.FormatBool(c.NoLinks) + strconv.FormatBool(c.escaped) +
		strconv.FormatBool(p.All) + strconv.Itoa(int(p.Role)))
	for _, g := range p.Grants {
		b.WriteByte(0)
		b.WriteString(g)
	}
	return b.String()
}

// cacheable reports a read whose answer may come from the cache: a GET
// that asks for no long-poll and no conditional answer of its own.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet {
		return false
	}
	_, wait := r.Header["X-Ambit-Wait"]
	_, cond := r.Header["If-None-Match"]
	return !wait && !cond
}

// serveRead answers a cacheable read from the cache, or runs h and keeps
// its answer.
func (s *Server) serveRead(w http.ResponseWriter, c *Call, h Handler) {
	key, version, gen := s.readKey(c), s.store.Version(), s.accounts.generation()
	if a, ok := s.cache.get(key, version, gen); ok {
		for k, vs := range a.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(a.body) // a failed write is a client gone
		return
	}
	res, err := h(c)
	keep := err == nil && res.status() == http.StatusOK && res.Stream == nil && res.Header.Get("Cache-Control") != "no-store"
	if !keep {
		s.respond(w, c.Request, c, res, err)
		return
	}
	tee := &capture{ResponseWriter: w}
	s.respond(tee, c.Request, c, res, nil)
	if tee.status == http.StatusOK && s.store.Version() == version && s.accounts.generation() == gen {
		s.cache.put(key, version, gen, &answer{header: w.Header().Clone(), body: tee.body})
	}
}

// capture keeps a copy of what respond writes.
type capture struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (c *capture) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return c.ResponseWriter.Write(b)
}

func (c *capture) started() bool {
	st, ok := c.ResponseWriter.(interface{ started() bool })
	return c.status != 0 || ok && st.started()
}

// Unwrap is the writer beneath, for http.ResponseController.
func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }
