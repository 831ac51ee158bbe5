package query

import (
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache is a bounded, concurrency-safe cache of parsed predicates keyed by
// their source text. Clients repeat the same few predicates, so a server
// parses each once. Syntax errors are cached too: a client that repeats a
// bad predicate costs no more than one that repeats a good one.
//
// The cache is bounded in entries and in bytes: a parsed predicate takes
// about seven times its text in memory, so a client sending thousands of
// distinct long predicates must not fill the heap.
type Cache struct {
	parser *Parser
	lru    *lru.Cache[string, parsed]

	mu       sync.Mutex // orders adds with the byte count
	bytes    int        // estimated, of the entries held
	maxBytes int
}

type parsed struct {
	e   Expr
	err error
}

// DefaultCacheBytes is a Cache's byte budget when NewCache is given none.
const DefaultCacheBytes = 16 << 20

// cost estimates what an entry holds: the tree, about seven bytes per byte
// of text (measured on long disjunctions), and the key and bookkeeping.
func cost(s string) int { return 8*len(s) + 256 }

// NewCache returns a cache of at most size predicates taking at most about
// maxBytes (DefaultCacheBytes when 0 or less), least recently used first
// out, parsed by p (nil for the zero Parser). A predicate too large for the
// budget on its own is parsed but not kept.
func NewCache(p *Parser, size, maxBytes int) *Cache {
	if p == nil {
		p = &Parser{}
	}
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	c := &Cache{parser: p, maxBytes: maxBytes}
	l, err := lru.NewWithEvict[string, parsed](max(size, 1), func(k string, _ parsed) { c.bytes -= cost(k) })
	if err != nil { // only for a size below 1, excluded above
		panic(err)
	}
	c.lru = l
	return c
}

// Parse returns the parsed predicate for s, parsing it on a miss. The
// returned Expr is shared: it must not be changed.
func (c *Cache) Parse(s string) (Expr, error) {
	if hit, ok := c.lru.Get(s); ok {
		return hit.e, hit.err
	}
	e, err := c.parser.Parse(s)
	if cost(s) > c.maxBytes {
		return e, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru.Contains(s) { // another goroutine parsed it meanwhile
		return e, err
	}
	// The eviction callback runs inside the lru's calls made here, under
	// c.mu, so c.bytes is only ever changed with c.mu held.
	c.lru.Add(s, parsed{e, err})
	c.bytes += cost(s)
	for c.bytes > c.maxBytes {
		if _, _, ok := c.lru.RemoveOldest(); !ok {
			break
		}
	}
	return e, err
}

// Len returns the number of cached predicates.
func (c *Cache) Len() int { return c.lru.Len() }

// Bytes returns the estimated memory the cached predicates take.
func (c *Cache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
