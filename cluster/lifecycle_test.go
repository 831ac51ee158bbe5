package cluster_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
)

// TestGoAndClose runs requests on the manager's own goroutines, one at a
// time, and closes the manager while one runs and one waits: both end
// ABORTED, and no request starts after Close.
func TestGoAndClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t) // at most one request runs at once
		x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Component: "KAFKA_BROKER", Duration: time.Hour})}
		first, err := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Go("c1", first, x); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the brokers install for an hour
		second, err := m.Change(ctx, cluster.Change{Cluster: "c1", Target: cluster.Installed,
			Refs: []resource.Ref{{Type: cluster.HostComponents, Keys: []string{"c1", "h3", "CONNECT_WORKER"}}}, Context: "again"})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Go("c1", second, x); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := request(t, m, "1")["request_status"]; got != "IN_PROGRESS" {
			t.Errorf("first request %v", got)
		}
		if got := request(t, m, "2")["request_status"]; got != "PENDING" {
			t.Errorf("second request %v, want PENDING behind the first", got)
		}
		if err := m.Close(ctx); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"1", "2"} {
			if got := request(t, m, id)["request_status"]; got != "ABORTED" {
				t.Errorf("request %s after Close: %v", id, got)
			}
		}
		if err := m.Go("c1", second, x); !errors.Is(err, cluster.ErrClosed) {
			t.Errorf("Go after Close = %v", err)
		}
	})
}

// panicking is a driver with a bug.
type panicking struct{}

func (panicking) Run(_ context.Context, t cluster.TaskSpec, _ func(cluster.Progress)) (cluster.Result, error) {
	var hosts []string
	return cluster.Result{Stdout: hosts[t.TaskID]}, nil // an index out of range: the bug
}

// TestDriverPanic fails the tasks of a driver that panics, and the
// request, without ending the process.
func TestDriverPanic(t *testing.T) {
	m := streaming(t)
	id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Execute(ctx, "c1", id, cluster.Execution{Driver: panicking{}}); err != nil {
		t.Fatal(err)
	}
	if got := request(t, m, "1")["request_status"]; got != "FAILED" {
		t.Errorf("request %v, want FAILED", got)
	}
	if got := tasks(t, m, "1"); !strings.Contains(strings.Join(got, "\n"), "FAILED") {
		t.Errorf("tasks %v", got)
	}
}

// panickingSampler is a sampling driver with a bug.
type panickingSampler struct{ calls *int }

func (p panickingSampler) Sample(string, string, time.Time) map[string]float64 {
	*p.calls++
	panic("sampler bug")
}

// TestSampleEveryOutlivesPanics keeps sampling after a sample panics, and
// stops when its context ends.
func TestSampleEveryOutlivesPanics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		calls := 0
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { m.SampleEvery(ctx, panickingSampler{&calls}, time.Minute) })
		time.Sleep(150 * time.Second)
		synctest.Wait()
		cancel()
		wg.Wait()
		if calls != 3 { // at once, then at 1 and 2 minutes
			t.Errorf("%d samples, want 3", calls)
		}
	})
}

// TestCompletedMeansRecalculated reads, while requests run, a request's
// status and then its service's state: a COMPLETED request is never seen
// beside the state from before it (both change in one transaction).
func TestCompletedMeansRecalculated(t *testing.T) {
	m := streaming(t)
	x := cluster.Execution{Driver: cluster.NewSim()}
	drive(t, m, cluster.Installed, x)
	stop := make(chan struct{})
	var seen []string
	var wg sync.WaitGroup
	var id int64
	var target cluster.State
	var mu sync.Mutex
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			req, want := id, target
			mu.Unlock()
			r, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Requests, Keys: []string{"c1", itoa64(req)}})
			if err != nil || r.Value("Requests/request_status") != "COMPLETED" {
				continue
			}
			svc, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Services, Keys: []string{"c1", "ZOOKEEPER"}})
			mu.Lock()
			moved := id != req // the next request may have run meanwhile
			mu.Unlock()
			if got := svc.Value("ServiceInfo/state"); got != want.String() && !moved {
				seen = append(seen, "request "+itoa64(req)+" COMPLETED beside ZOOKEEPER "+fmt.Sprint(got))
			}
		}
	})
	for i := 0; i < 60; i++ {
		tg := []cluster.State{cluster.Started, cluster.Installed}[i%2]
		next, err := m.Change(ctx, cluster.Change{Cluster: "c1", Target: tg, Refs: []resource.Ref{{Type: cluster.Services, Keys: []string{"c1", "ZOOKEEPER"}}}, Context: "flip"})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		id, target = next, tg
		mu.Unlock()
		if err := m.Execute(ctx, "c1", next, x); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if len(seen) > 0 {
		t.Errorf("%d inconsistent reads, the first: %s", len(seen), seen[0])
	}
}

// TestNamespaces runs two clusters of one name in two namespaces of one
// manager: each view sees its own, and their requests do not mix.
func TestNamespaces(t *testing.T) {
	m := streaming(t) // c1 in the default namespace
	p := m.In("proj1")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(p.CreateCluster(ctx, "c1"))
	must(p.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": "h9"}}))
	must(p.AddService(ctx, "c1", "ZOOKEEPER", nil))
	must(p.AddHostComponent(ctx, "c1", "h9", "ZOOKEEPER_SERVER"))
	id, err := p.Drive(ctx, "c1", cluster.Installed, nil, "install proj1")
	must(err)
	must(p.Execute(ctx, "c1", id, cluster.Execution{Driver: cluster.NewSim()}))
	if id != 1 {
		t.Errorf("proj1's first request is %d", id)
	}
	got, err := m.Store().Get(ctx, resource.Ref{Type: cluster.HostComponents, Namespace: "proj1", Keys: []string{"c1", "h9", "ZOOKEEPER_SERVER"}})
	if err != nil || got.Value("HostRoles/state") != "INSTALLED" {
		t.Errorf("proj1's host component: %v %v", got.Value("HostRoles/state"), err)
	}
	if _, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Hosts, Keys: []string{"c1", "h9"}}); err == nil {
		t.Error("proj1's host shows in the default namespace")
	}
	if st := states(t, m); len(st) != 6 || st[0] != "h1 KAFKA_BROKER INIT" {
		t.Errorf("the default namespace's host components changed: %v", st)
	}
}
