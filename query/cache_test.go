package query_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ambitkit/ambit/query"
)

func TestCache(t *testing.T) {
	c := query.NewCache(&query.Parser{Normalize: query.LowerHostNames}, 2, 0)
	a, err := c.Parse("Hosts/host_name=H1")
	if err != nil {
		t.Fatal(err)
	}
	if a.String() != "Hosts/host_name=h1" {
		t.Errorf("the cache's parser options were not used: %s", a)
	}
	again, _ := c.Parse("Hosts/host_name=H1")
	if again != a {
		t.Error("a hit returned a different tree")
	}
	_, err1 := c.Parse("a=1&")
	_, err2 := c.Parse("a=1&")
	if err1 == nil || err1 != err2 {
		t.Errorf("errors are not cached: %v, %v", err1, err2)
	}
	if _, err := c.Parse("b=2"); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 {
		t.Errorf("Len() = %d, want the bound 2", c.Len())
	}
	// The least recently used entry (the first predicate) was evicted.
	if evicted, _ := c.Parse("Hosts/host_name=H1"); evicted == a {
		t.Error("the oldest entry was not evicted")
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := query.NewCache(nil, 16, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				pred := fmt.Sprintf("Hosts/cpu_count>=%d", (g+i)%32)
				e, err := c.Parse(pred)
				if err != nil || e.String() != pred {
					t.Errorf("Parse(%q) = %v, %v", pred, e, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if c.Len() > 16 {
		t.Errorf("Len() = %d exceeds the bound", c.Len())
	}
}

func TestNewCacheDefaults(t *testing.T) {
	c := query.NewCache(nil, 0, 0)
	if _, err := c.Parse("a=1"); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 {
		t.Errorf("Len() = %d", c.Len())
	}
}

// TestCacheBytes checks that the cache is bounded in bytes as well as in
// entries: distinct long predicates evict each other long before the count
// bound, and one larger than the whole budget is parsed but not kept.
func TestCacheBytes(t *testing.T) {
	long := func(i int) string {
		var b strings.Builder
		for b.Len() < 15000 {
			fmt.Fprintf(&b, "Hosts/host_name=h%d|", b.Len())
		}
		fmt.Fprintf(&b, "Hosts/host_name=x%d", i)
		return b.String()
	}
	limits := query.Limits{MaxLength: 1 << 20, MaxTerms: 1 << 20, MaxDepth: 32}
	c := query.NewCache(&query.Parser{Limits: limits}, 4096, 1<<20)
	for i := 0; i < 100; i++ {
		if _, err := c.Parse(long(i)); err != nil {
			t.Fatal(err)
		}
	}
	if c.Bytes() > 1<<20 || c.Len() > 9 || c.Len() == 0 {
		t.Errorf("%d entries of %d bytes in a cache of 1 MiB", c.Len(), c.Bytes())
	}
	small := query.NewCache(&query.Parser{Limits: limits}, 10, 1000)
	if _, err := small.Parse(long(0)); err != nil || small.Len() != 0 {
		t.Errorf("a predicate larger than the budget: err %v, %d entries", err, small.Len())
	}
	if _, err := small.Parse("a=1"); err != nil || small.Len() != 1 {
		t.Errorf("a small predicate: err %v, %d entries", err, small.Len())
	}
}
