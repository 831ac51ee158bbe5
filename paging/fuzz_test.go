package paging_test

import (
	"net/url"
	"testing"

	"github.com/ambitkit/ambit/paging"
)

// FuzzParse checks that any query string parses or fails with a
// *ParamError, and that what parses is in range.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"page_size=10&from=start", "to=end", "to=-2", "limit=15&marker=x", "page_token=abc", "sortBy=a.desc,b",
		"sort_by=-a", "from=x", "limit=0", "marker=a&page_token=b", "sortBy=.", "page_size=99999999999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		r, err := paging.Parse(v, paging.Options{MaxSize: 1000})
		if err != nil {
			if _, ok := err.(*paging.ParamError); !ok {
				t.Fatalf("Parse(%q) error %T is not a *ParamError", q, err)
			}
			return
		}
		if r.Size != paging.All && (r.Size < 0 || r.Size > 1000) {
			t.Fatalf("Parse(%q) size %d out of range", q, r.Size)
		}
		if r.From < 0 {
			t.Fatalf("Parse(%q) from %d is negative", q, r.From)
		}
	})
}

// FuzzDecodeToken checks that no input crashes Decode, and that nothing but
// a token this server issued is accepted.
func FuzzDecodeToken(f *testing.F) {
	c := &paging.Cursors{Secret: []byte("fuzz")}
	good, _ := c.Encode("q", paging.Cursor{Key: paging.Key{"a", int64(1), nil, 2.5, true}, Snapshot: 3})
	for _, s := range []string{good, "", ".", "a.b", "eyJrIjpbXX0.AAAA", good + "x", good[:len(good)/2]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		cur, err := c.Decode(token, "q")
		if err != nil {
			if _, ok := err.(*paging.ParamError); !ok {
				t.Fatalf("Decode(%q) error %T is not a *ParamError", token, err)
			}
			return
		}
		again, err := c.Encode("q", cur)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Decode(again, "q"); err != nil {
			t.Fatalf("a decoded token does not encode back: %v", err)
		}
	})
}
