package resource_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// A write makes its changes to memdb and the property indexes in id
// order, when something reads them (writes.go). These tests change
// records in no order, many times each, across parts, and read in the
// middle, and check every index and the change list against a model.

var items = resource.Type{Name: "Item", Collection: "items", Keys: []string{"Items/id"},
	Properties: []resource.Property{
		{Path: "Items/id", Kind: resource.Number},
		{Path: "Items/n", Kind: resource.Number, Indexed: true},
		{Path: "Items/s", Kind: resource.String, Indexed: true},
	}}

type item struct {
	n float64
	s string
}

func itemRef(id int) resource.Ref {
	return resource.Ref{Type: "items", Keys: []string{strconv.Itoa(id)}}
}

// itemsWhere lists, as readers or tx see them, the ids of the items that
// match pred.
func itemsWhere(t *testing.T, list func() ([]map[string]any, error)) []int {
	t.Helper()
	found, err := list()
	if err != nil {
		t.Fatal(err)
	}
	out := []int{}
	for _, it := range found {
		out = append(out, int(it["Items"].(map[string]any)["id"].(float64)))
	}
	slices.Sort(out)
	return out
}

// modelWhere is the ids of the model's items that match keep.
func modelWhere(model map[int]item, keep func(item) bool) []int {
	out := []int{}
	for id, it := range model {
		if keep(it) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func TestWriteInNoOrder(t *testing.T) {
	for _, steps := range []int{1, 40, 2500} { // 2,500 is three parts (spillAfter)
		t.Run(fmt.Sprintf("%d steps", steps), func(t *testing.T) {
			s, err := resource.New(items)
			if err != nil {
				t.Fatal(err)
			}
			model := map[int]item{}
			for id := 0; id < 100; id += 2 {
				model[id] = item{float64(id % 5), "s" + strconv.Itoa(id%3)}
				if _, err := s.Create(ctx, "items", "", tree("Items", "id", float64(id), "n", model[id].n, "s", model[id].s)); err != nil {
					t.Fatal(err)
				}
			}
			rng := rand.New(rand.NewPCG(uint64(steps), 9))
			for round := range 3 { // each write after the first reuses the lists the last let go
				writeInNoOrder(t, s, model, rng, steps)
				if t.Failed() {
					t.Fatalf("round %d", round)
				}
			}
		})
	}
}

// writeInNoOrder makes one write of steps random creates, updates and
// deletes of s's items, as it does to model, and checks the store against
// the model: in the write, after it, and the write's changes.
func writeInNoOrder(t *testing.T, s *resource.Store, model map[int]item, rng *rand.Rand, steps int) {
	t.Helper()
	before := maps.Clone(model)
	from := s.Version()
	var first []int // ids in the order of their first change
	err := s.Write(ctx, func(tx *resource.Tx) error {
		var err error
		for i := 0; i < steps; i++ {
			id := rng.IntN(100)
			if !slices.Contains(first, id) {
				first = append(first, id)
			}
			it, ok := model[id]
			switch next := (item{float64(rng.IntN(5)), "s" + strconv.Itoa(rng.IntN(3))}); {
			case !ok:
				model[id] = next
				_, err = tx.Create("items", "", tree("Items", "id", float64(id), "n", next.n, "s", next.s))
			case rng.IntN(4) == 0:
				delete(model, id)
				err = tx.Delete(itemRef(id))
			default:
				it.n = next.n
				model[id] = it
				_, err = tx.Update(itemRef(id), tree("Items", "n", next.n), 0)
			}
			if err != nil {
				return fmt.Errorf("step %d: %w", i, err)
			}
			if i%97 == 0 { // the write reads its own changes through an index
				got := itemsWhere(t, func() ([]map[string]any, error) {
					found, err := tx.Find("items", "", nil, mustParse(t, "Items/n>=3"))
					return trees(found), err
				})
				want := modelWhere(model, func(it item) bool { return it.n >= 3 })
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("step %d: Find Items/n>=3 (-want +got)\n%s", i, diff)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pred string
		keep func(item) bool
	}{
		{"", func(item) bool { return true }},
		{"Items/n=3", func(it item) bool { return it.n == 3 }},
		{"Items/n<2", func(it item) bool { return it.n < 2 }},
		{"Items/s=s1", func(it item) bool { return it.s == "s1" }},
		{"Items/s.in(s0,s2)&Items/n>=1", func(it item) bool { return it.s != "s1" && it.n >= 1 }},
	} {
		got := itemsWhere(t, func() ([]map[string]any, error) {
			q := resource.Query{Type: "items", Instance: true, Page: paging.Request{Size: paging.All}}
			if c.pred != "" {
				q.Predicate = mustParse(t, c.pred)
			}
			res, err := s.List(ctx, q)
			return res.Items, err
		})
		if diff := cmp.Diff(modelWhere(model, c.keep), got); diff != "" {
			t.Errorf("List %q (-want +got)\n%s", c.pred, diff)
		}
	}
	changes, _, err := s.Changes(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, id := range first {
		_, was := before[id]
		_, is := model[id]
		switch {
		case is:
			want = append(want, strconv.Itoa(id))
		case was:
			want = append(want, strconv.Itoa(id)+" deleted")
		}
	}
	for _, c := range changes {
		if c.Deleted {
			got = append(got, c.Ref.Keys[0]+" deleted")
		} else {
			got = append(got, c.Ref.Keys[0])
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes: each record once, in the order of its first change (-want +got)\n%s", diff)
	}
}

func trees(rs []resource.Resource) []map[string]any {
	out := make([]map[string]any, len(rs))
	for i, r := range rs {
		out[i] = r.Tree()
	}
	return out
}
