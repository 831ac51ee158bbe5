package bench_test

import (
	"fmt"

	"github.com/ambitkit/ambit/bench"
)

// Example checks that every engine matches the same hosts for each
// predicate before anything is timed.
func Example() {
	hosts := make([]map[string]any, 100)
	for i := range hosts {
		hosts[i] = bench.Host(i)
	}
	engines := bench.Engines(hosts)
	for _, p := range bench.Predicates() {
		n, err := bench.Agree(engines, p, len(hosts))
		fmt.Println(p.Name, n, err)
	}
	// Output:
	// equality 20 <nil>
	// 3-term and/or 37 <nil>
	// range 49 <nil>
	// in-list 60 <nil>
}
