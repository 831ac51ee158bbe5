package server

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadsBounds checks what the read cache keeps: answers of the latest
// state only, within its bytes, the oldest evicted first.
func TestReadsBounds(t *testing.T) {
	body := func(n int) *answer { return &answer{body: []byte(strings.Repeat("x", n))} }
	tests := []struct {
		name string
		puts func(c *reads)
		want []string // kept at version 2, generation 0
	}{
		{"kept", func(c *reads) { c.put("a", 2, 0, body(10)) }, []string{"a"}},
		{"an older state is not kept", func(c *reads) { c.put("a", 2, 0, body(10)); c.put("b", 1, 0, body(10)) }, []string{"a"}},
		{"a newer state empties it", func(c *reads) { c.put("a", 1, 0, body(10)); c.put("b", 2, 0, body(10)) }, []string{"b"}},
		{"the oldest goes when full", func(c *reads) {
			for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
				c.put(k, 2, 0, body(11))
			}
		}, []string{"c", "d", "e", "f", "g", "h", "i", "j"}},
		{"too large for it", func(c *reads) { c.put("a", 2, 0, body(20)) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newReads(100)
			tt.puts(c)
			var got []string
			for k := range c.answers {
				if _, ok := c.get(k, 2, 0); ok {
					got = append(got, k)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if c.size > c.max {
				t.Errorf("%d bytes kept, limit %d", c.size, c.max)
			}
		})
	}
}
