package paging_test

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ambitkit/ambit/paging"
	gocmp "github.com/google/go-cmp/cmp"
)

func TestCompareValues(t *testing.T) {
	// Each value is smaller than the next.
	ordered := []any{nil, false, true, -1.5, int64(0), json.Number("0.5"), 1, float32(2), int64(1 << 60), int64(1<<60 + 1), "", "A", "a", "ab", []int{1}}
	for i, a := range ordered {
		for j, b := range ordered {
			if got, want := paging.CompareValues(a, b), cmp.Compare(i, j); got != want {
				t.Errorf("CompareValues(%#v, %#v) = %d, want %d", a, b, got, want)
			}
		}
	}
	if paging.CompareValues(2, 2.0) != 0 || paging.CompareValues(int64(3), json.Number("3")) != 0 {
		t.Error("numbers of different types do not compare by value")
	}
}

func TestOrderCompare(t *testing.T) {
	o, _ := paging.ParseSortFlag("-cpu,name")
	tests := []struct {
		a, b paging.Key
		want int
	}{
		{paging.Key{4, "a", int64(1)}, paging.Key{2, "a", int64(1)}, -1},  // descending
		{paging.Key{nil, "a", int64(1)}, paging.Key{2, "a", int64(1)}, 1}, // nulls last descending
		{paging.Key{2, "a", int64(1)}, paging.Key{2, "b", int64(0)}, -1},
		{paging.Key{2, "a", int64(1)}, paging.Key{2, "a", int64(2)}, -1}, // identity ascending
		{paging.Key{2, "a", int64(2)}, paging.Key{2, "a", int64(2)}, 0},
		{paging.Key{2, "a"}, paging.Key{2, "a", int64(2)}, -1},
	}
	for _, tt := range tests {
		if got := o.Compare(tt.a, tt.b); got != tt.want {
			t.Errorf("Compare(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	asc, _ := paging.ParseSortBy("cpu")
	if asc.Compare(paging.Key{nil}, paging.Key{0}) != -1 {
		t.Error("nulls do not sort first ascending")
	}
	// Values are compared one by one, never concatenated: "ab"+"c" and
	// "a"+"bc" are different positions.
	if asc.Compare(paging.Key{"ab", "c"}, paging.Key{"a", "bc"}) != 1 {
		t.Error("keys compared as concatenated strings")
	}
}

func TestTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	orders := []struct {
		name  string
		order func([]int)
	}{
		{"shuffled", func([]int) {}},
		{"ascending", slices.Sort[[]int]},
		{"descending", func(s []int) { slices.Sort(s); slices.Reverse(s) }}, // every item beats the k-th
	}
	for _, o := range orders {
		t.Run(o.name, func(t *testing.T) {
			for trial := 0; trial < 200; trial++ {
				items := make([]int, rng.IntN(2000))
				for i := range items {
					items[i] = rng.IntN(50)*10000 + i // distinct, with ties in the first part
				}
				o.order(items)
				k := rng.IntN(40)
				got := paging.TopK(slices.Values(items), k, cmp.Compare[int])
				want := slices.Sorted(slices.Values(items))
				want = want[:min(k, len(want))]
				if diff := gocmp.Diff(want, got, cmpEmptyInts); diff != "" {
					t.Fatalf("trial %d, k=%d of %d (-want +got)\n%s", trial, k, len(items), diff)
				}
			}
		})
	}
}

var cmpEmptyInts = gocmp.Comparer(func(a, b []int) bool { return slices.Equal(a, b) })

func TestSortIsStable(t *testing.T) {
	items := []item{{ID: 3, Name: "b"}, {ID: 1, Name: "a"}, {ID: 2, Name: "b"}, {ID: 0, Name: "a"}}
	paging.Sort(items, func(a, b item) int { return cmp.Compare(a.Name, b.Name) })
	if diff := gocmp.Diff([]int64{1, 0, 3, 2}, ids(items)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
