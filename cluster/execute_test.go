package cluster_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// The tests below run under testing/synctest: time is fake, so timeouts
// and durations take no real time, and synctest.Wait lets a test look at a
// request while its tasks are running.

// states lists every host component as "host component STATE".
func states(t *testing.T, m *cluster.Manager) []string {
	t.Helper()
	res, err := m.Store().List(ctx, resource.Query{Type: cluster.HostComponents, Instance: true, Page: paging.Request{Size: paging.All}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range res.Items {
		hr := it["HostRoles"].(map[string]any)
		out = append(out, hr["host_name"].(string)+" "+hr["component_name"].(string)+" "+hr["state"].(string))
	}
	return out
}

func allIn(state string) []string {
	return []string{
		"h1 KAFKA_BROKER " + state, "h1 ZOOKEEPER_SERVER " + state, "h2 KAFKA_BROKER " + state,
		"h2 ZOOKEEPER_SERVER " + state, "h3 CONNECT_WORKER " + state, "h3 ZOOKEEPER_SERVER " + state,
	}
}

// request reads a request's status, progress and counts.
func request(t *testing.T, m *cluster.Manager, id string) map[string]any {
	t.Helper()
	r, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Requests, Keys: []string{"c1", id}})
	if err != nil {
		t.Fatal(err)
	}
	return r.Tree()["Requests"].(map[string]any)
}

func drive(t *testing.T, m *cluster.Manager, target cluster.State, x cluster.Execution) int64 {
	t.Helper()
	id, err := m.Drive(ctx, "c1", target, nil, "to "+target.String())
	if err != nil {
		t.Fatal(err)
	}
	if id != 0 {
		if err := m.Execute(ctx, "c1", id, x); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func TestInstallStartStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Duration: 5 * time.Second})}
		if diff := cmp.Diff(allIn("INIT"), states(t, m)); diff != "" {
			t.Fatalf("(-want +got)\n%s", diff)
		}
		for i, step := range []struct {
			target cluster.State
			want   string
		}{{cluster.Installed, "INSTALLED"}, {cluster.Started, "STARTED"}, {cluster.Installed, "INSTALLED"}} {
			id := drive(t, m, step.target, x)
			if diff := cmp.Diff(allIn(step.want), states(t, m)); diff != "" {
				t.Errorf("step %d (-want +got)\n%s", i, diff)
			}
			r := request(t, m, text(float64(id)))
			if r["request_status"] != "COMPLETED" || r["progress_percent"] != 100.0 || r["completed_task_count"] != 6.0 {
				t.Errorf("step %d: request %v", i, r)
			}
			for _, svc := range []string{"ZOOKEEPER", "KAFKA", "KAFKA_CONNECT"} {
				s, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Services, Keys: []string{"c1", svc}})
				if got := s.Tree()["ServiceInfo"].(map[string]any)["state"]; got != step.want {
					t.Errorf("step %d: service %s is %v, want %s", i, svc, got, step.want)
				}
			}
			zk, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Components, Keys: []string{"c1", "ZOOKEEPER", "ZOOKEEPER_SERVER"}})
			info := zk.Tree()["ServiceComponentInfo"].(map[string]any)
			if info["total_count"] != 3.0 || (step.want == "STARTED") != (info["started_count"] == 3.0) {
				t.Errorf("step %d: component counts %v", i, info)
			}
		}
		// Starting what is started is no request at all.
		if id := drive(t, m, cluster.Installed, x); id != 0 {
			t.Errorf("an idempotent change made request %d", id)
		}
	})
}

func TestInstallFailureAbortsLaterStages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Component: "ZOOKEEPER_SERVER", Host: "h2", ExitCode: 3, Stderr: "disk full"})}
		id := drive(t, m, cluster.Installed, x)
		want := []string{
			"h1 KAFKA_BROKER INIT", "h1 ZOOKEEPER_SERVER INSTALLED", "h2 KAFKA_BROKER INIT",
			"h2 ZOOKEEPER_SERVER INSTALL_FAILED", "h3 CONNECT_WORKER INIT", "h3 ZOOKEEPER_SERVER INSTALLED",
		}
		if diff := cmp.Diff(want, states(t, m)); diff != "" {
			t.Errorf("host components (-want +got)\n%s", diff)
		}
		wantTasks := []string{
			"0 h1 ZOOKEEPER_SERVER INSTALL COMPLETED", "0 h2 ZOOKEEPER_SERVER INSTALL FAILED", "0 h3 ZOOKEEPER_SERVER INSTALL COMPLETED",
			"1 h1 KAFKA_BROKER INSTALL ABORTED", "1 h2 KAFKA_BROKER INSTALL ABORTED", "2 h3 CONNECT_WORKER INSTALL ABORTED",
		}
		if diff := cmp.Diff(sorted(wantTasks), sorted(tasks(t, m, text(float64(id))))); diff != "" {
			t.Errorf("tasks (-want +got)\n%s", diff)
		}
		r := request(t, m, "1")
		if r["request_status"] != "FAILED" || r["failed_task_count"] != 1.0 || r["aborted_task_count"] != 3.0 || r["progress_percent"] != 100.0 {
			t.Errorf("request %v", r)
		}
		failed, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Tasks, Keys: []string{"c1", "1", "2"}})
		tk := failed.Tree()["Tasks"].(map[string]any)
		if tk["exit_code"] != 3.0 || tk["stderr"] != "disk full" || tk["end_time"] == -1.0 {
			t.Errorf("failed task %v", tk)
		}
	})
}

func TestHangRetriesThenTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		start := time.Now()
		x := cluster.Execution{Timeout: time.Minute, Driver: cluster.NewSim(cluster.Rule{Component: "CONNECT_WORKER", Hang: true})}
		drive(t, m, cluster.Installed, x)
		if elapsed := time.Since(start); elapsed != 2*time.Minute {
			t.Errorf("two attempts of a minute took %v of fake time", elapsed)
		}
		task, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Tasks, Keys: []string{"c1", "1", "6"}})
		tk := task.Tree()["Tasks"].(map[string]any)
		if tk["status"] != "TIMEDOUT" || tk["attempt_cnt"] != 2.0 || tk["role"] != "CONNECT_WORKER" {
			t.Errorf("task %v", tk)
		}
		if r := request(t, m, "1"); r["request_status"] != "TIMEDOUT" {
			t.Errorf("request %v", r)
		}
		hc, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.HostComponents, Keys: []string{"c1", "h3", "CONNECT_WORKER"}})
		if st := hc.Tree()["HostRoles"].(map[string]any)["state"]; st != "INSTALL_FAILED" {
			t.Errorf("host component %v", st)
		}
	})
}

func TestFailedAttemptsAreRetriedOnlyOnTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		// A task that fails is not retried: only timeouts are (Ambari).
		x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Component: "ZOOKEEPER_SERVER", FailAttempts: 1})}
		drive(t, m, cluster.Installed, x)
		if r := request(t, m, "1"); r["request_status"] != "FAILED" {
			t.Errorf("request %v", r)
		}
	})
}

func TestAbortMidRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Component: "KAFKA_BROKER", Duration: time.Hour})}
		id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() { done <- m.Execute(context.Background(), "c1", id, x) }()
		synctest.Wait() // the brokers are installing, for an hour
		r := request(t, m, "1")
		// 3 completed, 2 in progress, 1 pending of 6: (3 + 0.35·2) / 6.
		if r["request_status"] != "IN_PROGRESS" || r["progress_percent"] != 61.6 {
			t.Errorf("mid-request %v", r)
		}
		if err := m.Abort(ctx, "c1", id, ""); err == nil {
			t.Error("an abort without a reason was accepted")
		}
		if err := m.Abort(ctx, "c1", id, "operator says stop"); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		r = request(t, m, "1")
		if r["request_status"] != "ABORTED" || r["abort_reason"] != "operator says stop" || r["aborted_task_count"] != 3.0 {
			t.Errorf("aborted request %v", r)
		}
		want := []string{
			"h1 KAFKA_BROKER INSTALL_FAILED", "h1 ZOOKEEPER_SERVER INSTALLED", "h2 KAFKA_BROKER INSTALL_FAILED",
			"h2 ZOOKEEPER_SERVER INSTALLED", "h3 CONNECT_WORKER INIT", "h3 ZOOKEEPER_SERVER INSTALLED",
		}
		if diff := cmp.Diff(want, states(t, m)); diff != "" {
			t.Errorf("host components after the abort (-want +got)\n%s", diff)
		}
		// Aborting an ended request is not an error, and changes nothing.
		before := m.Store().Version()
		if err := m.Abort(ctx, "c1", id, "again"); err != nil || m.Store().Version() != before {
			t.Errorf("abort of an ended request: %v", err)
		}
		if err := m.Abort(ctx, "c1", 99, "x"); err == nil {
			t.Error("abort of an unknown request")
		}
	})
}

func TestAbortBeforeExecution(t *testing.T) {
	m := streaming(t)
	id, _ := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
	if err := m.Abort(ctx, "c1", id, "changed my mind"); err != nil {
		t.Fatal(err)
	}
	if r := request(t, m, "1"); r["request_status"] != "ABORTED" || r["aborted_task_count"] != 6.0 {
		t.Errorf("request %v", r)
	}
	if diff := cmp.Diff(allIn("INIT"), states(t, m)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
