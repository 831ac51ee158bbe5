//go:build unix

package cluster_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
)

// TestExecDriver starts and stops real processes with the local driver.
func TestExecDriver(t *testing.T) {
	// STUBBORN says when it ignores SIGTERM, so that the test does not stop
	// it before (on a loaded machine its shell may not have got there).
	ready := filepath.Join(t.TempDir(), "stubborn")
	stack := &cluster.Stack{Name: "LOCAL", Version: "1", Services: []cluster.Service{{Name: "LOCAL", Components: []cluster.Component{
		{Name: "DAEMON", Category: cluster.Master, Commands: map[string]string{"INSTALL": "echo installed", "START": "sleep 300"}},
		{Name: "STUBBORN", Category: cluster.Master, Commands: map[string]string{"START": "trap '' TERM; touch " + ready + "; while true; do sleep 0.05; done"}},
		{Name: "BROKEN", Category: cluster.Slave, Commands: map[string]string{"INSTALL": "echo boom >&2; exit 3"}},
	}}}}
	m, err := cluster.NewManager(stack, nil)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(m.CreateCluster(ctx, "c1"))
	must(m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": "h1"}}))
	must(m.AddService(ctx, "c1", "LOCAL", nil))
	must(m.AddHostComponent(ctx, "c1", "h1", "DAEMON"))
	must(m.AddHostComponent(ctx, "c1", "h1", "STUBBORN"))
	driver := cluster.NewExec()
	driver.Grace = 100 * time.Millisecond
	x := cluster.Execution{Driver: driver, Timeout: time.Minute}
	task := func(req, id string) map[string]any {
		t.Helper()
		r, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Tasks, Keys: []string{"c1", req, id}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Tree()["Tasks"].(map[string]any)
	}
	run := func(target cluster.State) string {
		t.Helper()
		id, err := m.Drive(ctx, "c1", target, nil, "")
		must(err)
		must(m.Execute(ctx, "c1", id, x))
		return text(float64(id))
	}

	req := run(cluster.Installed)
	if r := request(t, m, req); r["request_status"] != "COMPLETED" {
		t.Fatalf("install: %v", r)
	}
	if out := task(req, "1")["stdout"]; out != "installed\n" {
		t.Errorf("install output %q", out)
	}

	run(cluster.Started)
	if !driver.Running("h1", "DAEMON") || !driver.Running("h1", "STUBBORN") {
		t.Fatal("the started processes are not running")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("STUBBORN did not start")
		}
	}

	req = run(cluster.Installed)
	if driver.Running("h1", "DAEMON") || driver.Running("h1", "STUBBORN") {
		t.Error("a stopped process is still running")
	}
	for _, id := range []string{"5", "6"} {
		tk := task(req, id)
		want := "SIGTERM"
		if tk["role"] == "STUBBORN" {
			want = "SIGKILL" // it ignores SIGTERM
		}
		if !strings.HasSuffix(tk["stdout"].(string), want) || tk["status"] != "COMPLETED" {
			t.Errorf("stop of %s: %v", tk["role"], tk)
		}
	}

	must(m.AddHostComponent(ctx, "c1", "h1", "BROKEN"))
	req = run(cluster.Installed)
	tk := task(req, "7")
	if tk["status"] != "FAILED" || tk["exit_code"] != 3.0 || tk["stderr"] != "boom\n" {
		t.Errorf("a failing command: %v", tk)
	}
}
