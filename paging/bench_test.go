package paging_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ambitkit/ambit/paging"
)

const million = 1_000_000

// bigSource is a sorted slice of a million items with an id index.
func bigSource(b *testing.B) *paging.Slice[item] {
	b.Helper()
	items := seq(million)
	src := &paging.Slice[item]{Items: items, KeyOf: func(it item) paging.Key { return paging.Key{it.ID} }, IDOf: item.id}
	src.Index = func(id string) (item, bool) {
		n, err := strconv.Atoi(id)
		if err != nil || n < 0 || n >= len(items) {
			return item{}, false
		}
		return items[n], true
	}
	return src
}

func benchPage(b *testing.B, src *paging.Slice[item], r paging.Request, l paging.Listing, first int64) {
	b.ReportAllocs()
	for b.Loop() {
		p, err := paging.Apply(r, src, l)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Items) != 100 || p.Items[0].ID != first {
			b.Fatalf("page starts at %d with %d items", p.Items[0].ID, len(p.Items))
		}
	}
}

// BenchmarkOffsetDeep is Ambari's from=500000: linear in the offset, and it
// counts the total.
func BenchmarkOffsetDeep(b *testing.B) {
	benchPage(b, bigSource(b), paging.Request{Style: paging.Offsets, Size: 100, From: 500_000}, paging.Listing{}, 500_000)
}

func BenchmarkMarkerFirst(b *testing.B) {
	benchPage(b, bigSource(b), paging.Request{Style: paging.Markers, Size: 100}, paging.Listing{}, 0)
}

// BenchmarkMarkerDeep resumes after the item at 500,000: it seeks.
func BenchmarkMarkerDeep(b *testing.B) {
	benchPage(b, bigSource(b), paging.Request{Style: paging.Markers, Size: 100, Marker: "499999"}, paging.Listing{}, 500_000)
}

func BenchmarkTokenDeep(b *testing.B) {
	src := bigSource(b)
	l := paging.Listing{Cursors: &paging.Cursors{Secret: []byte("bench")}, Binding: "q"}
	tok, err := l.Cursors.Encode("q", paging.Cursor{Key: paging.Key{int64(499_999)}})
	if err != nil {
		b.Fatal(err)
	}
	benchPage(b, src, paging.Request{Style: paging.Tokens, Size: 100, Token: tok}, l, 500_000)
}

func shuffled() []item {
	items := seq(million)
	rng := rand.New(rand.NewPCG(5, 6))
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items
}

func byID(a, b item) int { return cmp.Compare(a.ID, b.ID) }

// BenchmarkTopK and BenchmarkSortFull take the first 100 of a million
// unsorted items, the bounded way and the full-sort way.
func BenchmarkTopK(b *testing.B) {
	items := shuffled()
	b.ReportAllocs()
	for b.Loop() {
		if top := paging.TopK(slices.Values(items), 100, byID); top[0].ID != 0 {
			b.Fatal(top[0])
		}
	}
}

// BenchmarkTopKReversed takes the first 100 of a million items that
// arrive largest first: every item is smaller than the page so far.
func BenchmarkTopKReversed(b *testing.B) {
	items := seq(million)
	slices.Reverse(items)
	b.ReportAllocs()
	for b.Loop() {
		if top := paging.TopK(slices.Values(items), 100, byID); top[0].ID != 0 {
			b.Fatal(top[0])
		}
	}
}

func BenchmarkSortFull(b *testing.B) {
	items := shuffled()
	work := make([]item, len(items))
	b.ReportAllocs()
	for b.Loop() {
		copy(work, items)
		slices.SortFunc(work, byID)
		if work[0].ID != 0 {
			b.Fatal(work[0])
		}
	}
}
