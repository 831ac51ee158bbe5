package resource_test

import (
	"testing"

	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestTreeCategories renders a type whose properties interleave two
// categories, a deeper path and a path of one segment: each value lands in
// its own place.
func TestTreeCategories(t *testing.T) {
	s, err := resource.New(resource.Type{Name: "Thing", Collection: "things", Keys: []string{"A/name"},
		Properties: []resource.Property{
			{Path: "B/x", Kind: resource.String},
			{Path: "A/y", Kind: resource.String},
			{Path: "B/deep/z", Kind: resource.String},
			{Path: "B/w", Kind: resource.String},
			{Path: "top", Kind: resource.String},
			{Path: "A/v", Kind: resource.String},
		}})
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{
		"A":   map[string]any{"name": "t1", "y": "y1", "v": "v1"},
		"B":   map[string]any{"x": "x1", "w": "w1", "deep": map[string]any{"z": "z1"}},
		"top": "top1",
	}
	if _, err := s.Create(ctx, "things", "", body); err != nil {
		t.Fatal(err)
	}
	r, err := s.Get(ctx, resource.Ref{Type: "things", Keys: []string{"t1"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(body, r.Tree()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
