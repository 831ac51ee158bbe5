package cluster_test

import (
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestRecover crashes a server while a request runs (its backend stops
// taking writes, and its manager is never closed), opens a new one on what
// was written, and recovers: an interrupted INSTALL, which the stack
// declares idempotent, runs again to the end; an interrupted START fails
// with the Restarted message, the request's later tasks are ABORTED, and
// the host components' states follow.
func TestRecover(t *testing.T) {
	tests := []struct {
		name    string
		target  cluster.State
		status  string         // the request's after recovery
		tasks   []string       // "host role command status stderr"
		states  map[string]any // host component states, by host/component
		install bool           // install first, without a crash
	}{
		{name: "idempotent", target: cluster.Installed, status: "COMPLETED",
			tasks: []string{
				"h1 KAFKA_BROKER INSTALL COMPLETED ", "h1 ZOOKEEPER_SERVER INSTALL COMPLETED ",
				"h2 KAFKA_BROKER INSTALL COMPLETED ", "h2 ZOOKEEPER_SERVER INSTALL COMPLETED ",
				"h3 CONNECT_WORKER INSTALL COMPLETED ", "h3 ZOOKEEPER_SERVER INSTALL COMPLETED ",
			},
			states: map[string]any{"h1/KAFKA_BROKER": "INSTALLED", "h3/CONNECT_WORKER": "INSTALLED"}},
		{name: "not idempotent", target: cluster.Started, install: true, status: "FAILED",
			tasks: []string{
				"h1 KAFKA_BROKER START FAILED " + cluster.Restarted, "h1 ZOOKEEPER_SERVER START COMPLETED ",
				"h2 KAFKA_BROKER START FAILED " + cluster.Restarted, "h2 ZOOKEEPER_SERVER START COMPLETED ",
				"h3 CONNECT_WORKER START ABORTED ", "h3 ZOOKEEPER_SERVER START COMPLETED ",
			},
			states: map[string]any{"h1/KAFKA_BROKER": "INSTALLED", "h3/CONNECT_WORKER": "INSTALLED", "h1/ZOOKEEPER_SERVER": "STARTED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				disk := &resource.Memory{}
				m := streaming(t, cluster.WithBackend(disk))
				if tt.install {
					drive(t, m, cluster.Installed, cluster.Execution{Driver: cluster.NewSim()})
				}
				// The brokers hang: the crash comes while they run.
				hang := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Component: "KAFKA_BROKER", Hang: true})}
				id, err := m.Drive(ctx, "c1", tt.target, nil, "to "+tt.target.String())
				if err != nil {
					t.Fatal(err)
				}
				if err := m.Go("c1", id, hang); err != nil {
					t.Fatal(err)
				}
				synctest.Wait()
				disk.Freeze()
				defer m.Close(ctx) // its writes go nowhere now

				disk.Thaw()
				again := streaming2(t, disk)
				n, err := again.Recover(ctx, cluster.Execution{Driver: cluster.NewSim()})
				if err != nil || n != 1 {
					t.Fatalf("Recover = %d, %v; want 1 request", n, err)
				}
				synctest.Wait()
				req := strconv.FormatInt(id, 10)
				if got := request(t, again, req)["request_status"]; got != tt.status {
					t.Errorf("request %s after recovery: %v, want %s", req, got, tt.status)
				}
				if diff := cmp.Diff(tt.tasks, taskLines(t, again, req)); diff != "" {
					t.Errorf("tasks (-want +got)\n%s", diff)
				}
				for key, want := range tt.states {
					hc, err := again.Store().Get(ctx, resource.Ref{Type: cluster.HostComponents, Keys: append([]string{"c1"}, split(key)...)})
					if err != nil {
						t.Fatal(err)
					}
					if got := hc.Value("HostRoles/state"); got != want {
						t.Errorf("%s: %v, want %v", key, got, want)
					}
				}
				// The ids go on from the last request's.
				next, err := again.Drive(ctx, "c1", cluster.Installed, nil, "after")
				if err != nil {
					t.Fatal(err)
				}
				if next != 0 && next != id+1 {
					t.Errorf("the next request is %d, want %d", next, id+1)
				}
				_ = again.Close(ctx)
				time.Sleep(time.Second)
			})
		})
	}
}

// streaming2 opens a manager on a backend written by streaming, as a
// restarted server does.
func streaming2(t *testing.T, b resource.Backend) *cluster.Manager {
	t.Helper()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithBackend(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func split(key string) []string {
	for i := range key {
		if key[i] == '/' {
			return []string{key[:i], key[i+1:]}
		}
	}
	return []string{key}
}

// taskLines lists a request's tasks as "host role command status stderr",
// sorted.
func taskLines(t *testing.T, m *cluster.Manager, req string) []string {
	t.Helper()
	res, err := m.Store().List(ctx, resource.Query{Type: cluster.Tasks, Instance: true, Page: paging.Request{Size: paging.All},
		Scope: map[string]string{"Tasks/cluster_name": "c1", "Tasks/request_id": req}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, item := range res.Items {
		tk := item["Tasks"].(map[string]any)
		stderr, _ := tk["stderr"].(string)
		out = append(out, tk["host_name"].(string)+" "+tk["role"].(string)+" "+tk["command"].(string)+" "+tk["status"].(string)+" "+stderr)
	}
	return sorted(out)
}

// TestAbortUnfinished aborts every request of a namespace that has not
// ended, as a face does before the namespace goes; ended ones stay.
func TestAbortUnfinished(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		done := drive(t, m, cluster.Installed, cluster.Execution{Driver: cluster.NewSim()})
		id, err := m.Drive(ctx, "c1", cluster.Started, nil, "start")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Go("c1", id, cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Component: "KAFKA_BROKER", Hang: true})}); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if err := m.AbortUnfinished(ctx, "", "The namespace was deleted."); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		for req, want := range map[int64]string{done: "COMPLETED", id: "ABORTED"} {
			if got := request(t, m, strconv.FormatInt(req, 10))["request_status"]; got != want {
				t.Errorf("request %d: %v, want %s", req, got, want)
			}
		}
		_ = m.Close(ctx)
	})
}
