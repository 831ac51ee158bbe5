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
	s := newStore(t)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	const pairs = 20
	for i := 0; i < pairs; i++ {
		if _, err := s.Create(ctx, "hosts", "",
			tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("a%02d", i), "host_status", "STARTED"),
			tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("b%02d", i), "host_status", "INSTALLED")); err != nil {
			t.Fatal(err)
		}
	}
	started, _ := query.Parse("Hosts/host_status=STARTED")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				i := (n*7 + w) % pairs
				if err := swap(s, fmt.Sprintf("a%02d", i), fmt.Sprintf("b%02d", i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
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
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for n := 0; n < 200; n++ {
		if _, err := s.List(ctx, resource.Query{Type: "hosts", Predicate: started}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	<-done
}

// swap exchanges the states of two hosts in one transaction.
func swap(s *resource.Store, a, b string) error {
	return s.Write(ctx, func(tx *resource.Tx) error {
		ra, err := tx.Get(resource.Ref{Type: "hosts", Keys: []string{"c1", a}})
		if err != nil {
			return err
		}
		rb, err := tx.Get(resource.Ref{Type: "hosts", Keys: []string{"c1", b}})
		if err != nil {
			return err
		}
		sa := ra.Tree()["Hosts"].(map[string]any)["host_status"]
		sb := rb.Tree()["Hosts"].(map[string]any)["host_status"]
		if _, err := tx.Update(resource.Ref{Type: "hosts", Keys: []string{"c1", a}}, tree("Hosts", "host_status", sb), 0); err != nil {
			return err
		}
		_, err = tx.Update(resource.Ref{Type: "hosts", Keys: []string{"c1", b}}, tree("Hosts", "host_status", sa), 0)
		return err
	})
}

// TestConcurrentIndexReads is the same through the property indexes:
// writers swap an indexed value between the hosts of each pair, and
// listers read a range and an equality of that index, each from one
// snapshot: always exactly one host of each pair.
func TestConcurrentIndexReads(t *testing.T) {
	s := newStore(t)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	const pairs = 20
	for i := 0; i < pairs; i++ {
		if _, err := s.Create(ctx, "hosts", "",
			tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("a%02d", i), "cpu_count", 8.0),
			tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("b%02d", i), "cpu_count", 2.0)); err != nil {
			t.Fatal(err)
		}
	}
	scope := map[string]string{"Hosts/cluster_name": "c1"}
	var preds []query.Expr
	for _, p := range []string{"Hosts/cpu_count>=8", "Hosts/cpu_count=8", "Hosts/cpu_count<8"} {
		e, err := query.Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		preds = append(preds, e)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				i := (n*7 + w) % pairs
				if err := swapCPUs(s, fmt.Sprintf("a%02d", i), fmt.Sprintf("b%02d", i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
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
	close(stop)
	wg.Wait()
}

// swapCPUs exchanges the cpu counts of two hosts in one transaction.
func swapCPUs(s *resource.Store, a, b string) error {
	return s.Write(ctx, func(tx *resource.Tx) error {
		ra, err := tx.Get(resource.Ref{Type: "hosts", Keys: []string{"c1", a}})
		if err != nil {
			return err
		}
		rb, err := tx.Get(resource.Ref{Type: "hosts", Keys: []string{"c1", b}})
		if err != nil {
			return err
		}
		if _, err := tx.Update(resource.Ref{Type: "hosts", Keys: []string{"c1", a}}, tree("Hosts", "cpu_count", rb.Value("Hosts/cpu_count")), 0); err != nil {
			return err
		}
		_, err = tx.Update(resource.Ref{Type: "hosts", Keys: []string{"c1", b}}, tree("Hosts", "cpu_count", ra.Value("Hosts/cpu_count")), 0)
		return err
	})
}
