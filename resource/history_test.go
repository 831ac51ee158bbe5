package resource_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"testing/synctest"

	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

func TestChanges(t *testing.T) {
	s := fixture(t)
	start := s.Version()
	h1 := resource.Ref{Type: "hosts", Namespace: "default", Keys: []string{"c1", "h1"}}
	h2 := resource.Ref{Type: "hosts", Namespace: "default", Keys: []string{"c1", "h2"}}
	if _, err := s.Update(ctx, h1, tree("Hosts", "rack_info", "/r1"), 0); err != nil {
		t.Fatal(err)
	}
	updated := s.Version()
	if err := s.Write(ctx, func(tx *resource.Tx) error {
		_, err := tx.Measure(h2, map[string]any{"metrics": map[string]any{"disk": map[string]any{"disk_free": 1.0}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	measured := s.Version()
	if err := s.Delete(ctx, h2); err != nil {
		t.Fatal(err)
	}
	hc := func(host, comp string) resource.Ref {
		return resource.Ref{Type: "host_components", Namespace: "default", Keys: []string{"c1", host, comp}}
	}
	now := context.Background()
	tests := []struct {
		name    string
		after   uint64
		want    []resource.Changed
		version uint64
	}{
		{"since the start", start, []resource.Changed{
			{Ref: h1, Version: updated},
			{Ref: hc("h2", "DATANODE"), Version: measured + 1, Deleted: true},
			{Ref: h2, Version: measured + 1, Deleted: true},
		}, measured + 1},
		{"a measurement is no change", updated, []resource.Changed{
			{Ref: hc("h2", "DATANODE"), Version: measured + 1, Deleted: true},
			{Ref: h2, Version: measured + 1, Deleted: true},
		}, measured + 1},
		{"nothing since", measured + 1, nil, measured + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cctx, cancel := context.WithCancel(now)
			cancel() // do not wait
			got, v, err := s.Changes(cctx, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if v != tt.version {
				t.Errorf("version %d, want %d", v, tt.version)
			}
		})
	}
	_, _, err := s.Changes(now, measured+5)
	storeError(t, err, resource.Invalid, fmt.Sprintf("Version %d is in the future: the store is at version %d.", measured+5, measured+1))
}

func TestChangesForgotten(t *testing.T) {
	s := fixture(t)
	s.KeepChanges(2, 100)
	start := s.Version()
	h1 := resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}
	for _, rack := range []string{"/r1", "/r2", "/r3"} {
		if _, err := s.Update(ctx, h1, tree("Hosts", "rack_info", rack), 0); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := s.Changes(ctx, start)
	e := storeError(t, err, resource.Gone, "The changes after version 5 are no longer kept: list again, and ask for the changes after the listing's version.")
	if e.Field != "since" {
		t.Errorf("field %q, want since", e.Field)
	}
	if got, _, err := s.Changes(ctx, start+1); err != nil || len(got) != 1 {
		t.Errorf("Changes after the oldest kept = %v, %v; want h1", got, err)
	}
}

// TestChangesWait: a client that is up to date waits for the next change.
func TestChangesWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := fixture(t)
		v := s.Version()
		got := make(chan []resource.Changed, 1)
		go func() {
			out, _, err := s.Changes(ctx, v)
			if err != nil {
				t.Error(err)
			}
			got <- out
		}()
		synctest.Wait()
		select {
		case out := <-got:
			t.Fatalf("returned %v before any change", out)
		default:
		}
		if _, err := s.Update(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}, tree("Hosts", "rack_info", "/r9"), 0); err != nil {
			t.Fatal(err)
		}
		if out := <-got; len(out) != 1 || out[0].Ref.Keys[1] != "h1" {
			t.Errorf("woke with %v, want h1", out)
		}
	})
}

func TestNamespacesOfType(t *testing.T) {
	s := newStore(t)
	for _, ns := range []string{"proj2", "", "proj1", "proj1"} {
		name := "c" + strconv.Itoa(len(ns))
		if ns == "proj1" {
			name += "x"
		}
		if _, err := s.Create(ctx, "clusters", ns, tree("Clusters", "cluster_name", name)); err != nil && ns != "proj1" {
			t.Fatal(err)
		}
	}
	got, err := s.Namespaces("clusters")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"default", "proj1", "proj2"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got, _ := s.Namespaces("hosts"); len(got) != 0 {
		t.Errorf("namespaces of no hosts: %v", got)
	}
	// Of every type: each namespace once, however many types it holds.
	for _, ns := range []string{"proj3", "proj1"} {
		if _, err := s.Create(ctx, "clusters", ns, tree("Clusters", "cluster_name", "ch")); err != nil {
			t.Fatal(err)
		}
		host := map[string]any{"Hosts": map[string]any{"cluster_name": "ch", "host_name": "h1"}}
		if _, err := s.Create(ctx, "hosts", ns, host); err != nil {
			t.Fatal(err)
		}
	}
	got, err = s.Namespaces("")
	if diff := cmp.Diff([]string{"default", "proj1", "proj2", "proj3"}, got); diff != "" || err != nil {
		t.Errorf("of every type (-want +got)\n%s%v", diff, err)
	}
}

func TestDeleteNamespace(t *testing.T) {
	s := fixture(t)
	if _, err := s.Create(ctx, "clusters", "proj1", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.Write(ctx, func(tx *resource.Tx) (err error) { n, err = tx.DeleteNamespace("default"); return err }); err != nil {
		t.Fatal(err)
	}
	if n != 11 {
		t.Errorf("removed %d resources, want the fixture's 11", n)
	}
	if got, _ := s.Namespaces("clusters"); !cmp.Equal(got, []string{"proj1"}) {
		t.Errorf("namespaces left: %v, want proj1", got)
	}
	if s.Holds("default") || !s.Holds("proj1") || s.Holds("proj") {
		t.Errorf("Holds: default %v, proj1 %v, proj %v; want false, true, false", s.Holds("default"), s.Holds("proj1"), s.Holds("proj"))
	}
}
