package bolt_test

import (
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/bolt"
)

// BenchmarkCommit creates one task per write, each acknowledged once
// synced, by 1 and by 16 writers: writes/sync is how many writers a
// group commit serves with one sync.
func BenchmarkCommit(b *testing.B) {
	for _, writers := range []int{1, 16} {
		b.Run(map[int]string{1: "1 writer", 16: "16 writers"}[writers], func(b *testing.B) {
			db, s := open(b, filepath.Join(b.TempDir(), "ambit.db"), bolt.Options{})
			defer db.Close()
			if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
				b.Fatal(err)
			}
			before := db.Syncs()
			var next atomic.Int64
			b.ReportAllocs()
			write := func() bool {
				_, err := s.Create(ctx, "tasks", "", task(int(next.Add(1)), "COMPLETED"))
				if err != nil {
					b.Error(err)
				}
				return err == nil
			}
			if writers == 1 {
				for b.Loop() {
					if !write() {
						return
					}
				}
			} else {
				b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() && write() {
					}
				})
			}
			b.ReportMetric(float64(b.N)/float64(max(1, db.Syncs()-before)), "writes/sync")
		})
	}
}

// BenchmarkOpen opens a file of 100,000 tasks.
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "ambit.db")
	db, s := open(b, path, bolt.Options{})
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < 100000; start += 10000 {
		bodies := make([]map[string]any, 0, 10000)
		for i := start; i < start+10000; i++ {
			bodies = append(bodies, task(i, "COMPLETED"))
		}
		if _, err := s.Create(ctx, "tasks", "", bodies...); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	b.ReportAllocs()
	for b.Loop() {
		db, err := bolt.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := resource.Open(db, types()...); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
