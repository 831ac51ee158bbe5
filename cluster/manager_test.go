package cluster_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

var ctx = context.Background()

// quiet discards what managers under test log.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// streaming builds cluster c1 on three hosts with ZooKeeper servers on all
// of them, brokers on h1 and h2 and a Connect worker on h3.
func streaming(t *testing.T, opts ...cluster.Option) *cluster.Manager {
	t.Helper()
	// Time is the time package's: fake under testing/synctest.
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, append([]cluster.Option{cluster.WithLogger(quiet), cluster.WithMaxRunning(1)}, opts...)...)
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
	must(m.AddHosts(ctx, "c1",
		map[string]any{"Hosts": map[string]any{"host_name": "h1", "cpu_count": 4, "os_type": "rhel8"}},
		map[string]any{"Hosts": map[string]any{"host_name": "h2", "cpu_count": 4, "os_type": "rhel8"}},
		map[string]any{"Hosts": map[string]any{"host_name": "h3", "cpu_count": 8, "os_type": "rhel8"}}))
	for _, svc := range []string{"ZOOKEEPER", "KAFKA", "KAFKA_CONNECT"} {
		must(m.AddService(ctx, "c1", svc, nil))
	}
	for _, hc := range [][2]string{{"h1", "ZOOKEEPER_SERVER"}, {"h2", "ZOOKEEPER_SERVER"}, {"h3", "ZOOKEEPER_SERVER"},
		{"h1", "KAFKA_BROKER"}, {"h2", "KAFKA_BROKER"}, {"h3", "CONNECT_WORKER"}} {
		must(m.AddHostComponent(ctx, "c1", hc[0], hc[1]))
	}
	return m
}

// tasks lists a request's tasks as "stage host role command status".
func tasks(t *testing.T, m *cluster.Manager, req string) []string {
	t.Helper()
	res, err := m.Store().List(ctx, resource.Query{Type: cluster.Tasks, Instance: true,
		Scope: map[string]string{"Tasks/cluster_name": "c1", "Tasks/request_id": req}, Page: paging.Request{Size: paging.All}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range res.Items {
		tk := it["Tasks"].(map[string]any)
		out = append(out, text(tk["stage_id"])+" "+tk["host_name"].(string)+" "+tk["role"].(string)+" "+tk["command"].(string)+" "+tk["status"].(string))
	}
	return out
}

func text(v any) string {
	f, _ := v.(float64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func TestDriveInstallThenStart(t *testing.T) {
	m := streaming(t)
	id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "Install everything")
	if err != nil || id != 1 {
		t.Fatalf("Drive(INSTALLED) = %d, %v", id, err)
	}
	want := []string{
		"0 h1 ZOOKEEPER_SERVER INSTALL PENDING", "0 h2 ZOOKEEPER_SERVER INSTALL PENDING", "0 h3 ZOOKEEPER_SERVER INSTALL PENDING",
		"1 h1 KAFKA_BROKER INSTALL PENDING", "1 h2 KAFKA_BROKER INSTALL PENDING", "2 h3 CONNECT_WORKER INSTALL PENDING",
	}
	if diff := cmp.Diff(sorted(want), sorted(tasks(t, m, "1"))); diff != "" {
		t.Errorf("install tasks (-want +got)\n%s", diff)
	}
	req, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Requests, Keys: []string{"c1", "1"}})
	if err != nil {
		t.Fatal(err)
	}
	r := req.Tree()["Requests"].(map[string]any)
	if r["request_context"] != "Install everything" || r["task_count"] != 6.0 || r["request_status"] != "PENDING" {
		t.Errorf("request %v", r)
	}

	// The desired state is set at once; the live state waits for the tasks.
	hc, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.HostComponents, Keys: []string{"c1", "h1", "KAFKA_BROKER"}})
	roles := hc.Tree()["HostRoles"].(map[string]any)
	if roles["desired_state"] != "INSTALLED" || roles["state"] != "INIT" {
		t.Errorf("host component %v", roles)
	}

	// INIT cannot go to STARTED: an error naming both, and nothing changes.
	before := m.Store().Version()
	_, err = m.Drive(ctx, "c1", cluster.Started, nil, "Start")
	if e := storeError(err); e.Kind != resource.Invalid || e.From != "INIT" || e.To != "STARTED" ||
		e.Msg != "Invalid transition for host component KAFKA_BROKER on host h1: cannot move from INIT to STARTED." {
		t.Errorf("Drive(STARTED) from INIT = %v", err)
	}
	if m.Store().Version() != before {
		t.Error("a refused Drive changed the store")
	}
}

func TestDriveStagesFollowRoleOrder(t *testing.T) {
	m := streaming(t)
	markAll(t, m, cluster.Installed)
	id, err := m.Drive(ctx, "c1", cluster.Started, nil, "Start everything")
	if err != nil || id != 1 {
		t.Fatalf("Drive(STARTED) = %d, %v", id, err)
	}
	want := []string{
		"0 h1 ZOOKEEPER_SERVER START PENDING", "0 h2 ZOOKEEPER_SERVER START PENDING", "0 h3 ZOOKEEPER_SERVER START PENDING",
		"1 h1 KAFKA_BROKER START PENDING", "1 h2 KAFKA_BROKER START PENDING",
		"2 h3 CONNECT_WORKER START PENDING",
	}
	if diff := cmp.Diff(want, sorted(tasks(t, m, "1"))); diff != "" {
		t.Errorf("stages (-want +got)\n%s", diff)
	}
}

func TestDriveNothingToDo(t *testing.T) {
	m := streaming(t)
	markAll(t, m, cluster.Installed)
	id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "again")
	if err != nil || id != 0 {
		t.Errorf("an idempotent Drive = %d, %v; want no request", id, err)
	}
	only, _ := query.Parse("HostRoles/service_name=KAFKA")
	if _, err := m.Store().Update(ctx, resource.Ref{Type: cluster.HostComponents, Keys: []string{"c1", "h1", "KAFKA_BROKER"}},
		map[string]any{"HostRoles": map[string]any{"maintenance_state": "ON"}}, 0); err != nil {
		t.Fatal(err)
	}
	id, err = m.Drive(ctx, "c1", cluster.Started, only, "start kafka")
	if err != nil || id != 1 {
		t.Fatalf("Drive = %d, %v", id, err)
	}
	if diff := cmp.Diff([]string{"0 h2 KAFKA_BROKER START PENDING"}, tasks(t, m, "1")); diff != "" {
		t.Errorf("a host component in maintenance got a task (-want +got)\n%s", diff)
	}
}

func TestAddErrors(t *testing.T) {
	m := streaming(t)
	tests := []struct {
		err  error
		want string
	}{
		{m.AddService(ctx, "c1", "SPARK", nil), "The service SPARK is not in the stack AMBIT-1.0."},
		{m.AddService(ctx, "c1", "HDFS", nil), ""},
		{m.AddHostComponent(ctx, "c1", "h1", "NOPE"), "The component NOPE is not in the stack AMBIT-1.0."},
		{m.AddHostComponent(ctx, "c1", "h9", "DATANODE"), "Host not found: Hosts/cluster_name=c1, Hosts/host_name=h9."},
		{m.AddHostComponent(ctx, "c1", "h1", "KAFKA_BROKER"), "HostComponent already exists: HostRoles/cluster_name=c1, HostRoles/host_name=h1, HostRoles/component_name=KAFKA_BROKER."},
	}
	for _, tt := range tests {
		got := ""
		if tt.err != nil {
			got = storeError(tt.err).Msg
		}
		if got != tt.want {
			t.Errorf("error %q, want %q", got, tt.want)
		}
	}
	m2, _ := cluster.NewManager(cluster.BuiltinStack(), nil)
	_ = m2.CreateCluster(ctx, "c1")
	if err := m2.AddService(ctx, "c1", "KAFKA", nil); err == nil || storeError(err).Msg != "The service KAFKA needs the service ZOOKEEPER in the cluster c1 first." {
		t.Errorf("KAFKA without ZOOKEEPER: %v", err)
	}
}

// markAll sets every host component's live state, as finished tasks would.
func markAll(t *testing.T, m *cluster.Manager, s cluster.State) {
	t.Helper()
	err := m.Store().Write(ctx, func(tx *resource.Tx) error {
		hcs, err := tx.Find(cluster.HostComponents, "", nil, nil)
		if err != nil {
			return err
		}
		for _, hc := range hcs {
			if _, err := tx.Put(hc.Ref(), map[string]any{"HostRoles": map[string]any{"state": s.String(), "desired_state": s.String()}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
