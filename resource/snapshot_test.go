package resource_test

import (
	"fmt"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestTokenPagesReadOneSnapshot changes the store between the pages of a
// listing: the pages still come from the state of the first.
func TestTokenPagesReadOneSnapshot(t *testing.T) {
	s := fixture(t)
	cursors := &paging.Cursors{Secret: []byte("k")}
	q := resource.Query{Type: "hosts", Cursors: cursors, Page: paging.Request{Style: paging.Tokens, Size: 2}}
	first, err := s.List(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "hosts", "", host("h0", 1, "x", 1), host("h9", 1, "x", 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h3"}}); err != nil {
		t.Fatal(err)
	}
	q.Page.Token = first.NextToken
	second, err := s.List(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	got := append(hostNames(first.Items), hostNames(second.Items)...)
	if diff := cmp.Diff([]string{"h1", "h2", "h3"}, got); diff != "" {
		t.Errorf("pages (-want +got)\n%s", diff)
	}
	if second.NextToken != "" {
		t.Error("the snapshot's last page has a next token")
	}

	// A fresh listing sees the new state.
	q.Page.Token = ""
	q.Page.Size = 10
	now, _ := s.List(ctx, q)
	if diff := cmp.Diff([]string{"h0", "h1", "h2", "h9"}, hostNames(now.Items)); diff != "" {
		t.Errorf("new listing (-want +got)\n%s", diff)
	}
}

func TestEvictedSnapshotIsGone(t *testing.T) {
	s := fixture(t)
	cursors := &paging.Cursors{Secret: []byte("k")}
	q := resource.Query{Type: "hosts", Cursors: cursors, Page: paging.Request{Style: paging.Tokens, Size: 1}}
	first, err := s.List(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	// Enough newer listings, each at a new version, to evict the first.
	for i := 0; i < 70; i++ {
		if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", fmt.Sprint("x", i))); err != nil {
			t.Fatal(err)
		}
		if _, err := s.List(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	q.Page.Token = first.NextToken
	_, err = s.List(ctx, q)
	e := storeError(t, err, resource.Gone, "The listing this page token continues is no longer available: start the listing again.")
	if e.Name != "SNAPSHOT_EXPIRED" || e.Field != "page_token" {
		t.Errorf("name %s field %s", e.Name, e.Field)
	}
}
