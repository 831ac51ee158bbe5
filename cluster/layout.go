package cluster

import (
	"strconv"
	"strings"
)

// Layout places every component of a stack's services on hosts as its
// cardinality asks, the way an operator lays out a small cluster: "1+"
// (and "2+", ...) on every host; "a-b" and "a" on a hosts; "0+" and none
// on one host. A component not on every host goes where the previous one
// ended, in turn, so that masters spread. It returns, for each host, the
// components placed there, in stack order.
func Layout(s *Stack, hosts []string) map[string][]string {
	out := map[string][]string{}
	if len(hosts) == 0 {
		return out
	}
	next := 0 // the host the next single component goes on
	for _, svc := range s.Services {
		for _, c := range svc.Components {
			n := count(c.Cardinality, len(hosts))
			if n == len(hosts) {
				for _, h := range hosts {
					out[h] = append(out[h], c.Name)
				}
				continue
			}
			for i := 0; i < n; i++ {
				h := hosts[(next+i)%len(hosts)]
				out[h] = append(out[h], c.Name)
			}
			next = (next + 1) % len(hosts)
		}
	}
	return out
}

// count is how many of n hosts a cardinality asks for.
func count(cardinality string, n int) int {
	low := cardinality
	if i := strings.IndexAny(cardinality, "+-"); i >= 0 {
		low = cardinality[:i]
	}
	v, err := strconv.Atoi(low)
	switch {
	case err != nil || v < 1:
		return 1
	case strings.HasSuffix(cardinality, "+"):
		return n
	}
	return min(v, n)
}

// Stack returns the stack the manager runs.
func (m *Manager) Stack() *Stack { return m.stack }
