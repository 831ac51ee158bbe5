package resource_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// TestConcurrentWritersAndListers runs writers and listers in parallel.
// Each writer moves hosts between two states in one transaction, always
// keeping exactly one host of its pair STARTED, so every consistent listing
// sees exactly half the hosts STARTED.
func TestConcurrentWritersAndListers(t *testing.T) {
	const pairs = 20
	s := hostPairs(t, pairs, "host_status", "STARTED", "INSTALLED")
	started, _ := query.Parse("Hosts/host_status=STARTED")
	stopWriters := swapping(t, s, pairs, "Hosts/host_status")
	var wg sync.WaitGroup
	for r := 0; r < 2; r++ {
		wg.Go(func() {
			for n := 0; n < 200; n++ {
				res, err := s.List(ctx, resource.Query{Type: "hosts", Predicate: started, Page: paging.Request{Size: paging.All}})
				if err != nil {
					t.Error(err)
					return
				}
				if len(res.Items) != pairs {
					t.Errorf("a listing saw %d STARTED hosts, want %d: it mixed two states", len(res.Items), pairs)
					return
				}
			}
		})
	}
	// The listers run a fixed number of times; then the writers stop.
	for n := 0; n < 200; n++ {
		if _, err := s.List(ctx, resource.Query{Type: "hosts", Predicate: started}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	stopWriters()
}

// TestConcurrentIndexReads is the same through the property indexes:
// writers swap an indexed value between the hosts of each pair, and
// listers read a range and an equality of that index, each from one
// snapshot: always exactly one host of each pair.
func TestConcurrentIndexReads(t *testing.T) {
	const pairs = 20
	s := hostPairs(t, pairs, "cpu_count", 8.0, 2.0)
	scope := map[string]string{"Hosts/cluster_name": "c1"}
	var preds []query.Expr
	for _, p := range []string{"Hosts/cpu_count>=8", "Hosts/cpu_count=8", "Hosts/cpu_count<8"} {
		e, err := query.Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		preds = append(preds, e)
	}
	stopWriters := swapping(t, s, pairs, "Hosts/cpu_count")
	var readers sync.WaitGroup
	for r := range preds {
		readers.Go(func() {
			for n := 0; n < 200; n++ {
				res, err := s.List(ctx, resource.Query{Type: "hosts", Scope: scope, Predicate: preds[r], Page: paging.Request{Size: paging.All}})
				if err != nil {
					t.Error(err)
					return
				}
				if len(res.Items) != pairs || res.Plan.Index != "Hosts/cpu_count" {
					t.Errorf("%s saw %d hosts through %+v, want %d through the index", preds[r], len(res.Items), res.Plan, pairs)
					return
				}
			}
		})
	}
	readers.Wait()
	stopWriters()
}

// hostPairs is a store with cluster c1 and pairs of its hosts, aNN with
// the Hosts property name at a, bNN at b.
func hostPairs(t *testing.T, pairs int, name string, a, b any) *resource.Store {
	t.Helper()
	s := newStore(t)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < pairs; i++ {
		if _, err := s.Create(ctx, "hosts", "",
			tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("a%02d", i), name, a),
			tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("b%02d", i), name, b)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// swapping starts two writers that exchange a property between the hosts
// of each pair (aNN and bNN), in one transaction each time, until the
// function it returns is called.
func swapping(t *testing.T, s *resource.Store, pairs int, path string) (stop func()) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-done:
					return
				default:
				}
				i := (n*7 + w) % pairs
				if err := swap(s, fmt.Sprintf("a%02d", i), fmt.Sprintf("b%02d", i), path); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	return func() { close(done); wg.Wait() }
}

// swap exchanges a property of two hosts in one transaction.
func swap(s *resource.Store, a, b, path string) error {
	return s.Write(ctx, func(tx *resource.Tx) error {
		ra, err := tx.Get(resource.Ref{Type: "hosts", Keys: []string{"c1", a}})
		if err != nil {
			return err
		}
		rb, err := tx.Get(resource.Ref{Type: "hosts", Keys: []string{"c1", b}})
		if err != nil {
			return err
		}
		for _, x := range []struct {
			host string
			v    any
		}{{a, rb.Value(path)}, {b, ra.Value(path)}} {
			body := map[string]any{}
			resource.Set(body, path, x.v)
			if _, err := tx.Update(resource.Ref{Type: "hosts", Keys: []string{"c1", x.host}}, body, 0); err != nil {
				return err
			}
		}
		return nil
	})
}
