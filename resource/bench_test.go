package resource_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

const (
	benchTasks = 1_000_000
	benchHosts = 10_000
	startTime  = 1_700_000_000_000
)

// benchSchema has a cluster, its hosts, one request, and the request's
// tasks with about 15 properties each.
func benchSchema() []resource.Type {
	return []resource.Type{
		{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"}},
		{Name: "Host", Collection: "hosts", Parent: "clusters", Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []resource.Property{
				{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true},
				{Path: "Hosts/os_type", Kind: resource.String, Indexed: true},
				{Path: "Hosts/host_status", Kind: resource.String},
			}},
		{Name: "Request", Collection: "requests", Parent: "clusters",
			Keys: []string{"Requests/cluster_name", "Requests/id"},
			Properties: []resource.Property{
				{Path: "Requests/id", Kind: resource.Number},
				{Path: "Requests/request_context", Kind: resource.String},
			}},
		{Name: "Task", Collection: "tasks", Parent: "requests",
			Keys: []string{"Tasks/cluster_name", "Tasks/request_id", "Tasks/id"},
			Properties: []resource.Property{
				{Path: "Tasks/request_id", Kind: resource.Number},
				{Path: "Tasks/id", Kind: resource.Number},
				{Path: "Tasks/stage_id", Kind: resource.Number},
				{Path: "Tasks/host_name", Kind: resource.String},
				{Path: "Tasks/role", Kind: resource.String},
				{Path: "Tasks/command", Kind: resource.String},
				{Path: "Tasks/status", Kind: resource.String, Indexed: true},
				{Path: "Tasks/exit_code", Kind: resource.Number},
				{Path: "Tasks/start_time", Kind: resource.Number, Indexed: true},
				{Path: "Tasks/end_time", Kind: resource.Number},
				{Path: "Tasks/attempt_cnt", Kind: resource.Number},
				{Path: "Tasks/stdout", Kind: resource.String},
				{Path: "Tasks/stderr", Kind: resource.String},
			}},
	}
}

var roles = []string{"DATANODE", "NAMENODE", "ZOOKEEPER_SERVER", "KAFKA_BROKER", "HDFS_CLIENT"}

func task(i int) map[string]any {
	status, exit := "COMPLETED", 0.0
	if i%100 == 7 { // 1% failed
		status, exit = "FAILED", 1.0
	}
	return map[string]any{"Tasks": map[string]any{
		"cluster_name": "c1", "request_id": 1.0, "id": float64(i), "stage_id": float64(i / 1000),
		"host_name": fmt.Sprintf("h%05d", i%benchHosts), "role": roles[i%len(roles)], "command": "START",
		"status": status, "exit_code": exit, "start_time": float64(startTime + i*1000), "end_time": float64(startTime + i*1000 + 500),
		"attempt_cnt": 1.0, "stdout": "started " + roles[i%len(roles)], "stderr": "",
	}}
}

type built struct {
	store   *resource.Store
	elapsed time.Duration
	heap    uint64
}

// benchStore builds the store once for every benchmark of a run.
var benchStore = sync.OnceValue(func() built {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	s, err := resource.New(benchSchema()...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	must := func(_ []resource.Resource, err error) {
		if err != nil {
			panic(err)
		}
	}
	must(s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}))
	hosts := make([]map[string]any, benchHosts)
	for i := range hosts {
		hosts[i] = map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("h%05d", i), "cpu_count": float64(1 + i%16), "os_type": "rhel8"}}
	}
	must(s.Create(ctx, "hosts", "", hosts...))
	must(s.Create(ctx, "requests", "", map[string]any{"Requests": map[string]any{"cluster_name": "c1", "id": 1.0}}))
	const batch = 10_000
	for i := 0; i < benchTasks; i += batch {
		bodies := make([]map[string]any, batch)
		for j := range bodies {
			bodies[j] = task(i + j)
		}
		must(s.Create(ctx, "tasks", "", bodies...))
	}
	elapsed := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return built{s, elapsed, after.HeapAlloc - before.HeapAlloc}
})

// BenchmarkBuild reports the time and heap of building the store of a
// million tasks and ten thousand hosts (built once per run).
func BenchmarkBuild(b *testing.B) {
	bs := benchStore()
	for b.Loop() {
	}
	b.ReportMetric(bs.elapsed.Seconds(), "build-s")
	b.ReportMetric(float64(bs.heap)/benchTasks, "heap-B/task")
}

var taskScope = map[string]string{"Tasks/cluster_name": "c1", "Tasks/request_id": "1"}

func benchList(b *testing.B, pred string, page paging.Request, cursors *paging.Cursors, wantPlan string) {
	benchListing(b, pred, page, cursors, wantPlan, false)
}

// benchListing runs a listing; fresh writes before each one.
func benchListing(b *testing.B, pred string, page paging.Request, cursors *paging.Cursors, wantPlan string, fresh bool) {
	s := benchStore().store
	var e query.Expr
	if pred != "" {
		var err error
		if e, err = query.Parse(pred); err != nil {
			b.Fatal(err)
		}
	}
	l, _ := fields.Parse("Tasks/status,Tasks/host_name,Tasks/role,Tasks/start_time")
	q := resource.Query{Type: "tasks", Scope: taskScope, Predicate: e, Fields: l, Page: page, Cursors: cursors, Base: "http://a/api/v1"}
	res, err := s.List(context.Background(), q)
	if err != nil {
		b.Fatal(err)
	}
	if res.Plan.Access != wantPlan || len(res.Items) != 100 {
		b.Fatalf("plan %+v, %d items", res.Plan, len(res.Items))
	}
	b.ReportAllocs()
	b.ResetTimer()
	stale := 0
	for b.Loop() {
		if fresh {
			// A write makes the store's memo of totals stale, so that
			// every listing counts its total again.
			b.StopTimer()
			stale++
			if _, err := s.Update(context.Background(), resource.Ref{Type: "tasks", Keys: []string{"c1", "1", "3"}},
				map[string]any{"Tasks": map[string]any{"attempt_cnt": float64(stale)}}, 0); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, err := s.List(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

var first100 = paging.Request{Style: paging.Offsets, Size: 100}

func BenchmarkListIndexedEqual(b *testing.B) {
	benchList(b, "Tasks/status=FAILED", paging.Request{Style: paging.Markers, Size: 100}, nil, "equal")
}

func BenchmarkListIndexedEqualTotal(b *testing.B) {
	benchList(b, "Tasks/status=FAILED", first100, nil, "equal")
}

// BenchmarkListIndexedRange takes the first page of the latest 1% of
// tasks by start time: the range streams in the index's order.
func BenchmarkListIndexedRange(b *testing.B) {
	o, _ := paging.ParseSortBy("Tasks/start_time")
	benchList(b, fmt.Sprintf("Tasks/start_time>=%d", startTime+990_000*1000), paging.Request{Style: paging.Markers, Size: 100, Order: o}, nil, "range")
}

// BenchmarkListIndexedRangeKeyOrder is the same range in key order, which
// the index cannot give: every match is read and the page picked with a
// bounded heap.
func BenchmarkListIndexedRangeKeyOrder(b *testing.B) {
	benchList(b, fmt.Sprintf("Tasks/start_time>=%d", startTime+990_000*1000), first100, nil, "range")
}

// BenchmarkListFullScan evaluates an unindexed predicate (1% match) on
// every task, counting the total as Ambari's itemTotal needs.
func BenchmarkListFullScan(b *testing.B) {
	benchListing(b, "Tasks/exit_code=1", first100, nil, "prefix", true)
}

// BenchmarkListFullScanRemembered is the same listing repeated with no
// write in between: its total comes from the store's memo.
func BenchmarkListFullScanRemembered(b *testing.B) {
	benchList(b, "Tasks/exit_code=1", first100, nil, "prefix")
}

// BenchmarkListSortUnindexed sorts every task by an unindexed property and
// takes the first page.
func BenchmarkListSortUnindexed(b *testing.B) {
	o, _ := paging.ParseSortBy("Tasks/end_time.desc")
	benchList(b, "", paging.Request{Style: paging.Markers, Size: 100, Order: o}, nil, "prefix")
}

func BenchmarkListFirstPage(b *testing.B) {
	benchList(b, "", paging.Request{Style: paging.Markers, Size: 100}, nil, "prefix")
}

func BenchmarkListMarkerDeep(b *testing.B) {
	benchList(b, "", paging.Request{Style: paging.Markers, Size: 100, Marker: "900000"}, nil, "prefix")
}

func BenchmarkListTokenDeep(b *testing.B) {
	cursors := &paging.Cursors{Secret: []byte("bench")}
	s := benchStore().store
	// Walk to depth 900,000 with one big page, then page from its token.
	res, err := s.List(context.Background(), resource.Query{Type: "tasks", Scope: taskScope, Cursors: cursors,
		Page: paging.Request{Style: paging.Tokens, Size: 900_000}})
	if err != nil {
		b.Fatal(err)
	}
	benchList(b, "", paging.Request{Style: paging.Tokens, Size: 100, Token: res.NextToken}, cursors, "prefix")
}

func BenchmarkCreateTask(b *testing.B) {
	s := benchStore().store
	i := benchTasks + int(s.Version()) // ids no earlier run of the benchmark took
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Create(context.Background(), "tasks", "", task(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkUpdateTask(b *testing.B) {
	s := benchStore().store
	body := map[string]any{"Tasks": map[string]any{"status": "IN_PROGRESS", "exit_code": 777}}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		ref := resource.Ref{Type: "tasks", Keys: []string{"c1", "1", fmt.Sprint(i % benchTasks)}}
		if _, err := s.Update(context.Background(), ref, body, 0); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}

// BenchmarkCreateTaskSmallStore and BenchmarkUpdateTaskSmallStore are the
// same writes on a store without the million tasks: the difference is what
// the size of the store (radix depth, and GC over its heap) costs a write.
func BenchmarkCreateTaskSmallStore(b *testing.B) {
	s := smallStore(b)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Create(context.Background(), "tasks", "", task(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// smallStore is the benchmark schema with a cluster and a request only.
func smallStore(b *testing.B) *resource.Store {
	s, err := resource.New(benchSchema()...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Create(ctx, "requests", "", map[string]any{"Requests": map[string]any{"cluster_name": "c1", "id": 1.0}}); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkUpdateTaskSmallStore(b *testing.B) {
	s := smallStore(b)
	bodies := make([]map[string]any, 1000)
	for i := range bodies {
		bodies[i] = task(i)
	}
	if _, err := s.Create(context.Background(), "tasks", "", bodies...); err != nil {
		b.Fatal(err)
	}
	body := map[string]any{"Tasks": map[string]any{"status": "IN_PROGRESS", "exit_code": 777}}
	refs := make([]resource.Ref, 1000)
	for i := range refs {
		refs[i] = resource.Ref{Type: "tasks", Keys: []string{"c1", "1", fmt.Sprint(i)}}
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Update(context.Background(), refs[i%len(refs)], body, 0); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkUpdateTasksBatched updates tasks a thousand to a transaction in
// the store of a million, as orchestration reports progress: the figure
// is records/s.
func BenchmarkUpdateTasksBatched(b *testing.B) { updateBatches(b, 1000) }

// BenchmarkUpdateTasksBatched10k is the same with ten thousand to a
// transaction, more than one memdb transaction holds well: the write is
// committed in parts (commit.go), and records/s should not fall.
func BenchmarkUpdateTasksBatched10k(b *testing.B) { updateBatches(b, 10_000) }

// BenchmarkUpdateStageTasks updates the thousand tasks of one stage to a
// transaction, in no order, as orchestration's flush of a stage's
// progress does (its changed tasks are a map); each write is another
// stage, far from the last. The figure is records/s.
func BenchmarkUpdateStageTasks(b *testing.B) {
	const stage, stages = 1000, benchTasks / 1000 // task(i) is in stage i/1000
	order := rand.New(rand.NewPCG(1, 2)).Perm(stage)
	next := 0
	updateEach(b, stage, func(refs []resource.Ref) {
		first := (next * 397 % stages) * stage
		for i, j := range order {
			refs[i] = taskRef(first + j)
		}
		next++
	})
}

func updateBatches(b *testing.B, batch int) {
	next := 0
	updateEach(b, batch, func(refs []resource.Ref) {
		for i := range refs {
			refs[i] = taskRef(next % benchTasks)
			next += 7919
		}
	})
}

func taskRef(i int) resource.Ref {
	return resource.Ref{Type: "tasks", Keys: []string{"c1", "1", fmt.Sprint(i)}}
}

// updateEach updates batch tasks of the 1M store to a transaction, those
// pick names, and reports records/s.
func updateEach(b *testing.B, batch int, pick func(refs []resource.Ref)) {
	s := benchStore().store
	body := map[string]any{"Tasks": map[string]any{"status": "IN_PROGRESS", "exit_code": 777.0}}
	refs := make([]resource.Ref, batch)
	b.ReportAllocs()
	for b.Loop() {
		pick(refs)
		err := s.Write(context.Background(), func(tx *resource.Tx) error {
			for _, ref := range refs {
				if _, err := tx.Update(ref, body, 0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "records/s")
}
