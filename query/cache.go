package query

import lru "github.com/hashicorp/golang-lru/v2"

// Cache is a bounded, concurrency-safe cache of parsed predicates keyed by
// their source text. Clients repeat the same few predicates, so a server
// parses each once. Syntax errors are cached too: a client that repeats a
// bad predicate costs no more than one that repeats a good one.
type Cache struct {
	parser *Parser
	lru    *lru.Cache[string, parsed]
}

type parsed struct {
	e   Expr
	err error
}

// NewCache returns a cache of at most size predicates, least recently used
// first out, parsed by p (nil for the zero Parser).
func NewCache(p *Parser, size int) *Cache {
	if p == nil {
		p = &Parser{}
	}
	c, err := lru.New[string, parsed](max(size, 1))
	if err != nil { // only for a size below 1, excluded above
		panic(err)
	}
	return &Cache{parser: p, lru: c}
}

// Parse returns the parsed predicate for s, parsing it on a miss. The
// returned Expr is shared: it must not be changed.
func (c *Cache) Parse(s string) (Expr, error) {
	if hit, ok := c.lru.Get(s); ok {
		return hit.e, hit.err
	}
	e, err := c.parser.Parse(s)
	c.lru.Add(s, parsed{e, err})
	return e, err
}

// Len returns the number of cached predicates.
func (c *Cache) Len() int { return c.lru.Len() }
