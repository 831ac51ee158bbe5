package paging_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/google/go-cmp/cmp"
)

// item is a test resource: an id, and values to sort by.
type item struct {
	ID   int64
	Name string
	CPU  any // a number, or nil when absent
}

func (it item) id() string { return fmt.Sprint(it.ID) }

// source returns a Slice of items sorted by o, whose keys end in the id.
func source(items []item, o paging.Order) *paging.Slice[item] {
	keyOf := func(it item) paging.Key {
		k := paging.Key{}
		for _, sk := range o {
			switch sk.Path[0] {
			case "name":
				k = append(k, it.Name)
			case "cpu":
				k = append(k, it.CPU)
			}
		}
		return append(k, it.ID)
	}
	sorted := append([]item(nil), items...)
	paging.Sort(sorted, paging.By(o, keyOf))
	return &paging.Slice[item]{Items: sorted, Order: o, KeyOf: keyOf, IDOf: item.id}
}

func seq(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{ID: int64(i), Name: fmt.Sprintf("n%02d", i)}
	}
	return out
}

func ids(items []item) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// uncounted hides a source's Count, so that Apply walks it to count.
type uncounted struct{ paging.Source[item] }

// reads wraps a source and counts the items Apply reads from it.
type reads struct {
	*paging.Slice[item]
	n int
}

func (r *reads) All() iter.Seq[item] {
	return func(yield func(item) bool) {
		for it := range r.Slice.All() {
			r.n++
			if !yield(it) {
				return
			}
		}
	}
}

func TestOffsets(t *testing.T) {
	for name, src := range map[string]paging.Source[item]{
		"counter": source(seq(10), nil),
		"walked":  uncounted{source(seq(10), nil)},
	} {
		t.Run(name, func(t *testing.T) { testOffsets(t, src) })
	}
}

// TestOffsetsStopAfterPage checks that a Counter is not walked to its end.
func TestOffsetsStopAfterPage(t *testing.T) {
	src := &reads{Slice: source(seq(1000), nil)}
	p, err := paging.Apply(paging.Request{Style: paging.Offsets, Size: 10, From: 20}, src, paging.Listing{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{20, 21, 22, 23, 24, 25, 26, 27, 28, 29}, ids(p.Items)); diff != "" || p.Total != 1000 {
		t.Errorf("Total %d, items (-want +got)\n%s", p.Total, diff)
	}
	if src.n > 31 {
		t.Errorf("read %d items for a page ending at 30", src.n)
	}
}

func testOffsets(t *testing.T, src paging.Source[item]) {
	tests := []struct {
		query string
		want  []int64
	}{
		{"page_size=3", []int64{0, 1, 2}},
		{"page_size=3&from=start", []int64{0, 1, 2}},
		{"page_size=3&from=4", []int64{4, 5, 6}},
		{"page_size=3&from=8", []int64{8, 9}},
		{"page_size=3&from=10", []int64{}},
		{"page_size=3&from=99", []int64{}},
		{"page_size=3&from=-5", []int64{0, 1, 2}},
		{"page_size=3&to=end", []int64{7, 8, 9}},
		{"page_size=3&to=-1", []int64{7, 8, 9}},
		{"page_size=3&to=4", []int64{2, 3, 4}},
		{"page_size=3&to=1", []int64{0, 1}},
		{"page_size=3&to=0", []int64{0}},
		{"page_size=3&to=9", []int64{7, 8, 9}},
		{"page_size=3&to=50", []int64{7, 8, 9}},
		{"page_size=3&to=-2", []int64{}},
		{"page_size=3&to=-9", []int64{}},
		{"page_size=0", []int64{}},
		{"to=end", []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, // default page size 20
		{"from=1", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"page_size=20&to=end", []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
	}
	for _, tt := range tests {
		r, err := paging.Parse(values(tt.query), paging.Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := paging.Apply(r, src, paging.Listing{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, ids(p.Items)); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.query, diff)
		}
		if p.Total != 10 {
			t.Errorf("%s: Total = %d, want 10 (before paging)", tt.query, p.Total)
		}
	}
}

func TestUnpaged(t *testing.T) {
	p, err := paging.Apply(paging.Request{Size: paging.All}, source(seq(4), nil), paging.Listing{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{0, 1, 2, 3}, ids(p.Items)); diff != "" || p.Total != 4 {
		t.Errorf("items (-want +got)\n%s, total %d", diff, p.Total)
	}
}

func TestMarkers(t *testing.T) {
	src := source(seq(10), nil)
	type page struct {
		IDs        []int64
		Next, Prev string
	}
	tests := []struct {
		query string
		want  page
	}{
		{"limit=3", page{[]int64{0, 1, 2}, "2", ""}},
		{"limit=3&marker=2", page{[]int64{3, 4, 5}, "5", ""}}, // the previous page is the first
		{"limit=3&marker=5", page{[]int64{6, 7, 8}, "8", "2"}},
		{"limit=3&marker=8", page{[]int64{9}, "", "5"}},
		{"limit=3&marker=6", page{[]int64{7, 8, 9}, "", "3"}}, // no next: nothing follows
		{"limit=3&marker=9", page{[]int64{}, "", "6"}},
		{"limit=10", page{[]int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "", ""}},
		{"limit=9", page{[]int64{0, 1, 2, 3, 4, 5, 6, 7, 8}, "8", ""}},
		{"marker=6", page{[]int64{7, 8, 9}, "", ""}},
	}
	for _, tt := range tests {
		r, err := paging.Parse(values(tt.query), paging.Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := paging.Apply(r, src, paging.Listing{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, page{ids(p.Items), p.Next, p.Prev}); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.query, diff)
		}
		if p.Total != -1 {
			t.Errorf("%s: Total = %d, want -1 (not counted)", tt.query, p.Total)
		}
	}

	// Walking back with prev markers gives the pages in reverse.
	r, _ := paging.Parse(values("limit=3&marker=8"), paging.Options{})
	var back [][]int64
	for {
		p, err := paging.Apply(r, src, paging.Listing{})
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, ids(p.Items))
		if p.Prev == "" && r.Marker == "" {
			break
		}
		r.Marker = p.Prev
	}
	if diff := cmp.Diff([][]int64{{9}, {6, 7, 8}, {3, 4, 5}, {0, 1, 2}}, back); diff != "" {
		t.Errorf("walking back (-want +got)\n%s", diff)
	}

	_, err := paging.Apply(paging.Request{Style: paging.Markers, Size: 3, Marker: "nope"}, src, paging.Listing{})
	if diff := cmp.Diff(&paging.ParamError{Param: "marker", Value: "nope", Reason: "no item has this id"}, err); diff != "" {
		t.Errorf("unknown marker (-want +got)\n%s", diff)
	}

	p, _ := paging.Apply(paging.Request{Style: paging.Markers, Size: 3, Marker: "5"}, src, paging.Listing{Count: true})
	if p.Total != 10 {
		t.Errorf("Count: Total = %d, want 10", p.Total)
	}
}

// clock is a fake time source.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func TestTokens(t *testing.T) {
	src := source(seq(7), nil)
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	cursors := &paging.Cursors{Secret: []byte("s3cret"), TTL: time.Minute, Now: clk.Now}
	listing := paging.Listing{Cursors: cursors, Binding: "Tasks/status=FAILED|sort:id|scope:c1", Snapshot: 42}

	var pages [][]int64
	r := paging.Request{Style: paging.Tokens, Size: 3}
	var third string
	for i := 0; ; i++ {
		p, err := paging.Apply(r, src, listing)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, ids(p.Items))
		if i == 1 {
			third = p.NextToken
		}
		if p.NextToken == "" {
			break
		}
		r.Token = p.NextToken
	}
	if diff := cmp.Diff([][]int64{{0, 1, 2}, {3, 4, 5}, {6}}, pages); diff != "" {
		t.Errorf("pages (-want +got)\n%s", diff)
	}

	cur, err := cursors.Decode(third, listing.Binding)
	if err != nil || cur.Snapshot != 42 || !cur.Expires.Equal(clk.now.Add(time.Minute)) {
		t.Errorf("Decode = %+v, %v", cur, err)
	}

	tampered := []byte(third)
	tampered[3] ^= 1
	other := &paging.Cursors{Secret: []byte("other"), Now: clk.Now}
	foreign, _ := other.Encode(listing.Binding, paging.Cursor{Key: paging.Key{int64(5)}, Snapshot: 42})
	tests := []struct {
		name    string
		token   string
		listing paging.Listing
		reason  string
		expired bool
	}{
		{"another query", third, paging.Listing{Cursors: cursors, Binding: "Tasks/status=COMPLETED|sort:id|scope:c1", Snapshot: 42},
			"issued for a different query: a token resumes only the listing that produced it", false},
		{"tampered", string(tampered), listing, "not a page token issued by this server", false},
		{"another secret", foreign, listing, "not a page token issued by this server", false},
		{"garbage", "not-a-token", listing, "not a page token", false},
		{"no cursors", third, paging.Listing{}, "page tokens are not enabled", false},
	}
	for _, tt := range tests {
		_, err := paging.Apply(paging.Request{Style: paging.Tokens, Size: 3, Token: tt.token}, src, tt.listing)
		want := &paging.ParamError{Param: "page_token", Value: tt.token, Reason: tt.reason, Expired: tt.expired}
		if diff := cmp.Diff(want, err); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.name, diff)
		}
	}

	// A token for another snapshot is the caller's mistake, not the client's.
	if _, err := paging.Apply(paging.Request{Style: paging.Tokens, Size: 3, Token: third}, src,
		paging.Listing{Cursors: cursors, Binding: listing.Binding, Snapshot: 7}); err == nil {
		t.Error("a token for snapshot 42 served from snapshot 7")
	}

	clk.now = clk.now.Add(time.Minute)
	_, err = paging.Apply(paging.Request{Style: paging.Tokens, Size: 3, Token: third}, src, listing)
	want := &paging.ParamError{Param: "page_token", Value: third, Reason: "has expired: start the listing again", Expired: true}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("expired (-want +got)\n%s", diff)
	}
}

func TestCursorsNeedASecret(t *testing.T) {
	var c paging.Cursors
	if _, err := c.Encode("b", paging.Cursor{}); err == nil {
		t.Error("Encode without a secret")
	}
	if _, err := c.Decode("x.y", "b"); err == nil {
		t.Error("Decode without a secret")
	}
}

func TestCursorKeyValues(t *testing.T) {
	c := &paging.Cursors{Secret: []byte("k")}
	key := paging.Key{nil, true, false, "s/with.dots", int64(1<<62 + 1), 2.5, -0.125, ""}
	tok, err := c.Encode("b", paging.Cursor{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := c.Decode(tok, "b")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(key, cur.Key); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := c.Encode("b", paging.Cursor{Key: paging.Key{[]int{1}}}); err == nil {
		t.Error("a slice went into a token")
	}
}

// TestWalkAllPages is the property test: for random data, orders and page
// sizes, walking every page of each style yields every item exactly once,
// in order.
func TestWalkAllPages(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"a", "b", "c"}
	orders := []string{"", "name", "-name", "cpu", "-cpu", "name,-cpu", "-cpu,name"}
	for trial := 0; trial < 300; trial++ {
		items := make([]item, rng.IntN(40))
		for i := range items {
			items[i] = item{ID: int64(rng.IntN(1000000)*100 + i), Name: names[rng.IntN(len(names))]}
			switch rng.IntN(3) {
			case 0: // absent
			case 1:
				items[i].CPU = float64(rng.IntN(4))
			default:
				items[i].CPU = int64(rng.IntN(4))
			}
		}
		o, _ := paging.ParseSortFlag(orders[rng.IntN(len(orders))])
		src := source(items, o)
		want := ids(src.Items)
		size := 1 + rng.IntN(7)
		name := fmt.Sprintf("trial %d (order %v, size %d, %d items)", trial, o, size, len(items))

		var offsets, markers, tokens []int64
		for from := 0; from < len(items)+size; from += size {
			p, err := paging.Apply(paging.Request{Style: paging.Offsets, Size: size, From: from}, src, paging.Listing{})
			if err != nil {
				t.Fatal(err)
			}
			offsets = append(offsets, ids(p.Items)...)
		}
		for r := (paging.Request{Style: paging.Markers, Size: size}); ; {
			p, err := paging.Apply(r, src, paging.Listing{})
			if err != nil {
				t.Fatal(err)
			}
			markers = append(markers, ids(p.Items)...)
			if p.Next == "" {
				break
			}
			r.Marker = p.Next
		}
		l := paging.Listing{Cursors: &paging.Cursors{Secret: []byte("x")}, Binding: o.String()}
		for r := (paging.Request{Style: paging.Tokens, Size: size}); ; {
			p, err := paging.Apply(r, src, l)
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, ids(p.Items)...)
			if p.NextToken == "" {
				break
			}
			r.Token = p.NextToken
		}
		var backwards []int64
		for to := len(items) - 1; to >= 0; to -= size {
			p, err := paging.Apply(paging.Request{Style: paging.Offsets, Size: size, Backward: true, To: to}, src, paging.Listing{})
			if err != nil {
				t.Fatal(err)
			}
			backwards = append(ids(p.Items), backwards...)
		}
		for style, got := range map[string][]int64{"offsets": offsets, "markers": markers, "tokens": tokens, "to": backwards} {
			if diff := cmp.Diff(want, got, cmpEmpty); diff != "" {
				t.Fatalf("%s, %s (-want +got)\n%s", name, style, diff)
			}
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
})

// TestApplyHugeNumbers checks that the client's numbers cost nothing in
// themselves: a page of 2^62 items ending at the end holds what the data
// holds (it used to allocate the whole page up front and run out of
// memory), and offsets near the largest int do not overflow.
func TestApplyHugeNumbers(t *testing.T) {
	const huge = 1 << 62
	src := source(seq(5), nil)
	for _, tt := range []struct {
		name string
		r    paging.Request
		want []int64
	}{
		{"to=end", paging.Request{Style: paging.Offsets, Size: huge, Backward: true, To: -1}, []int64{0, 1, 2, 3, 4}},
		{"to=3", paging.Request{Style: paging.Offsets, Size: huge, Backward: true, To: 3}, []int64{0, 1, 2, 3}},
		{"from, counted", paging.Request{Style: paging.Offsets, Size: huge, From: huge}, []int64{}},
		{"from at MaxInt", paging.Request{Style: paging.Offsets, Size: huge, From: 1<<63 - 1}, []int64{}},
		{"from 2, counted", paging.Request{Style: paging.Offsets, Size: 1<<63 - 1, From: 2}, []int64{2, 3, 4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range []paging.Source[item]{src, uncounted{src}} {
				p, err := paging.Apply(tt.r, s, paging.Listing{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, ids(p.Items)); diff != "" || p.Total != 5 {
					t.Errorf("total %d (-want +got)\n%s", p.Total, diff)
				}
			}
		})
	}
	if got := paging.Reach(1<<63-1, 10); got != 1<<63-1 {
		t.Errorf("Reach saturates at MaxInt, got %d", got)
	}
}
