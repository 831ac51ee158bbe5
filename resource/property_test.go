package resource_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestListAgreesWithBruteForce checks the planner and the indexes against
// evaluating every predicate on every resource's tree: for random data,
// predicates, orders and pages, List returns exactly what brute force does.
func TestListAgreesWithBruteForce(t *testing.T) {
	items := resource.Type{Name: "Item", Collection: "items", Keys: []string{"Items/id"},
		Properties: []resource.Property{
			{Path: "Items/id", Kind: resource.Number},
			{Path: "Items/n", Kind: resource.Number, Indexed: true},
			{Path: "Items/s", Kind: resource.String, Indexed: true},
			{Path: "Items/b", Kind: resource.Bool, Indexed: true},
			{Path: "Items/u", Kind: resource.Number},
			{Path: "Items/t", Kind: resource.String},
		}}
	s, err := resource.New(items)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	nums := []any{-2.0, 0.0, 1.5, 3.0, 10.0, nil}
	strs := []any{"a", "b", "10", "abc", "", nil}
	bools := []any{true, false, nil}
	var trees []query.Tree
	for i := 0; i < 80; i++ {
		m := map[string]any{"id": float64(i)}
		for k, dom := range map[string][]any{"n": nums, "s": strs, "b": bools, "u": nums, "t": strs} {
			if v := dom[rng.IntN(len(dom))]; v != nil {
				m[k] = v
			}
		}
		if _, err := s.Create(ctx, "items", "", map[string]any{"Items": m}); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, query.Tree{"Items": m})
	}

	lits := []string{"-2", "0", "1.5", "3", "10", "a", "b", "abc", "true", "false", "-1", "z"}
	props := []string{"n", "s", "b", "u", "t", "id"}
	leaf := func() string {
		p := "Items/" + props[rng.IntN(len(props))]
		switch rng.IntN(6) {
		case 0:
			return fmt.Sprintf("%s.in(%s,%s)", p, lits[rng.IntN(len(lits))], lits[rng.IntN(len(lits))])
		case 1:
			return p + "="
		default:
			ops := []string{"=", "!=", "<", "<=", ">", ">="}
			return p + ops[rng.IntN(len(ops))] + lits[rng.IntN(len(lits))]
		}
	}
	var expr func(depth int) string
	expr = func(depth int) string {
		if depth == 0 || rng.IntN(3) == 0 {
			return leaf()
		}
		switch rng.IntN(3) {
		case 0:
			return expr(depth-1) + "&" + expr(depth-1)
		case 1:
			return "(" + expr(depth-1) + "|" + expr(depth-1) + ")"
		}
		return "!(" + expr(depth-1) + ")"
	}

	plans := map[string]int{}
	for trial := 0; trial < 400; trial++ {
		pred := expr(2)
		e, err := query.Parse(pred)
		if err != nil {
			t.Fatalf("Parse(%q): %v", pred, err)
		}
		var order paging.Order
		if rng.IntN(2) == 0 {
			order = paging.Order{{Path: []string{"Items", props[rng.IntN(len(props))]}, Desc: rng.IntN(2) == 0}}
		}
		var want []float64
		var matched []query.Tree
		for _, tr := range trees {
			if e.Match(tr) {
				matched = append(matched, tr)
			}
		}
		slices.SortStableFunc(matched, func(a, b query.Tree) int {
			for _, k := range order {
				va, _ := a.Get(k.Path)
				vb, _ := b.Get(k.Path)
				c := paging.CompareValues(va, vb)
				if k.Desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			ia, _ := a.Get([]string{"Items", "id"})
			ib, _ := b.Get([]string{"Items", "id"})
			return paging.CompareValues(ia, ib)
		})
		for _, tr := range matched {
			id, _ := tr.Get([]string{"Items", "id"})
			want = append(want, id.(float64))
		}
		from, size := rng.IntN(10), 1+rng.IntN(20)
		res, err := s.List(ctx, resource.Query{Type: "items", Predicate: e, Page: paging.Request{Style: paging.Offsets, Size: size, From: from, Order: order}})
		if err != nil {
			t.Fatalf("%q: %v", pred, err)
		}
		plans[res.Plan.Access]++
		var got []float64
		for _, it := range res.Items {
			got = append(got, it["Items"].(map[string]any)["id"].(float64))
		}
		page := want[min(from, len(want)):min(from+size, len(want))]
		if diff := cmp.Diff(page, got, cmpFloats); diff != "" || res.Total != len(want) {
			t.Fatalf("%q order %v from %d size %d, plan %+v: total %d want %d (-want +got)\n%s",
				pred, order, from, size, res.Plan, res.Total, len(want), diff)
		}
	}
	for _, access := range []string{"equal", "in", "range", "scan"} {
		if plans[access] == 0 {
			t.Errorf("no trial used a %s access path: %v", access, plans)
		}
	}
}

var cmpFloats = cmp.Comparer(func(a, b []float64) bool { return slices.Equal(a, b) })
