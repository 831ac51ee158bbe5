package etcd_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/bolt"
)

const benchHosts = 10_000

// replica is a store on an etcd of the benchmark's own.
func replica(b *testing.B) *resource.Store {
	cli, prefix := startEtcd(b)
	return servers(b, cli, prefix, 1)[0]
}

// seed creates a cluster and its hosts, a hundred to a write (etcd takes
// at most MaxOps changes in one).
func seed(b *testing.B, s *resource.Store) {
	b.Helper()
	ctx := context.Background()
	withCluster(b, s)
	for i := 0; i < benchHosts; i += 100 {
		bodies := make([]map[string]any, 100)
		for j := range bodies {
			bodies[j] = map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("h%05d", i+j), "cpu_count": float64(1 + (i+j)%16)}}
		}
		if _, err := s.Create(ctx, "hosts", "", bodies...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList is a page of hosts by an indexed range, from a replica on
// etcd and from a store of its own: both answer from memory, so they
// should cost the same.
func BenchmarkList(b *testing.B) {
	pred, err := query.Parse("Hosts/cpu_count>=8")
	if err != nil {
		b.Fatal(err)
	}
	q := resource.Query{Type: "hosts", Scope: map[string]string{"Hosts/cluster_name": "c1"}, Predicate: pred,
		Page: paging.Request{Style: paging.Markers, Size: 100}}
	stores := map[string]func(b *testing.B) *resource.Store{
		"replica": replica,
		"single": func(b *testing.B) *resource.Store {
			s, err := resource.New(hostTypes()...)
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"single", "replica"} {
		b.Run(name, func(b *testing.B) {
			s := stores[name](b)
			seed(b, s)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.List(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWrites is acknowledged creates per second with 1 and 16
// writers, each a write of its own: through etcd (an embedded member, its
// disk syncs on), and on the bbolt backend syncing every commit.
func BenchmarkWrites(b *testing.B) {
	backends := map[string]func(b *testing.B) *resource.Store{
		"etcd": replica,
		"bolt": func(b *testing.B) *resource.Store {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "ambit.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			s, err := resource.Open(db, hostTypes()...)
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, backend := range []string{"etcd", "bolt"} {
		for _, writers := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/%d", backend, writers), func(b *testing.B) {
				s := backends[backend](b)
				ctx := context.Background()
				withCluster(b, s)
				var next atomic.Int64
				b.ReportAllocs()
				b.ResetTimer()
				var wg sync.WaitGroup
				for range writers {
					wg.Go(func() {
						for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
							body := map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("h%d", n)}}
							if _, err := s.Create(ctx, "hosts", "", body); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
			})
		}
	}
}
