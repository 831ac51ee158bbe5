package resource

import "sync"

// counts remembers how many resources the listings of the store's current
// version matched, so that clients polling the same paged listing (Ambari
// writes itemTotal on every page) pay the walk to the end once per change
// of the store rather than once per request. Any write makes every count
// stale, which keeps the memo trivially correct.
type counts struct {
	mu      sync.Mutex
	version uint64
	n       map[string]int
}

// maxCounts bounds the memo; when full, it starts over.
const maxCounts = 1024

func (c *counts) get(version uint64, key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return 0, false
	}
	n, ok := c.n[key]
	return n, ok
}

func (c *counts) put(version uint64, key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version < c.version:
		return // a snapshot older than what the memo holds
	case version > c.version || len(c.n) >= maxCounts || c.n == nil:
		c.version, c.n = version, map[string]int{}
	}
	c.n[key] = n
}
