package cluster_test

import (
	"testing"
	"testing/synctest"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

func TestCustomCommandsAndMaintenance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		sim := cluster.NewSim()
		x := cluster.Execution{Driver: sim}
		drive(t, m, cluster.Installed, x)
		drive(t, m, cluster.Started, x)

		// Restart the brokers on h2 only.
		id, err := m.RunCommand(ctx, "c1", cluster.Restart, []cluster.Filter{{Service: "KAFKA", Component: "KAFKA_BROKER", Hosts: []string{"h2"}}}, "restart h2")
		if err != nil || id != 3 {
			t.Fatalf("RunCommand = %d, %v", id, err)
		}
		if err := m.Execute(ctx, "c1", id, x); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"0 h2 KAFKA_BROKER RESTART COMPLETED"}, tasks(t, m, "3")); diff != "" {
			t.Errorf("restart tasks (-want +got)\n%s", diff)
		}
		r := request(t, m, "3")
		if diff := cmp.Diff([]any{map[string]any{"service_name": "KAFKA", "component_name": "KAFKA_BROKER", "hosts": []any{"h2"}}}, r["resource_filters"]); diff != "" {
			t.Errorf("resource filters (-want +got)\n%s", diff)
		}
		if diff := cmp.Diff(allIn("STARTED"), states(t, m)); diff != "" {
			t.Errorf("a restart left (-want +got)\n%s", diff)
		}

		// One service check per service.
		id, err = m.RunCommand(ctx, "c1", cluster.ServiceCheck, []cluster.Filter{{Service: "ZOOKEEPER"}, {Service: "KAFKA"}}, "check")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Execute(ctx, "c1", id, x); err != nil {
			t.Fatal(err)
		}
		want := []string{"0 h1 KAFKA_SERVICE_CHECK SERVICE_CHECK COMPLETED", "0 h1 ZOOKEEPER_SERVICE_CHECK SERVICE_CHECK COMPLETED"}
		if diff := cmp.Diff(want, sorted(tasks(t, m, text(float64(id))))); diff != "" {
			t.Errorf("service checks (-want +got)\n%s", diff)
		}

		// A host and a service in maintenance are left out of bulk changes.
		if _, err := m.Store().Update(ctx, resource.Ref{Type: cluster.Hosts, Keys: []string{"c1", "h1"}}, map[string]any{"Hosts": map[string]any{"maintenance_state": "ON"}}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Store().Update(ctx, resource.Ref{Type: cluster.Services, Keys: []string{"c1", "KAFKA_CONNECT"}}, map[string]any{"ServiceInfo": map[string]any{"maintenance_state": "ON"}}, 0); err != nil {
			t.Fatal(err)
		}
		id, err = m.Drive(ctx, "c1", cluster.Installed, nil, "stop")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Execute(ctx, "c1", id, x); err != nil {
			t.Fatal(err)
		}
		want = []string{"h1 KAFKA_BROKER STARTED", "h1 ZOOKEEPER_SERVER STARTED", "h2 KAFKA_BROKER INSTALLED",
			"h2 ZOOKEEPER_SERVER INSTALLED", "h3 CONNECT_WORKER STARTED", "h3 ZOOKEEPER_SERVER INSTALLED"}
		if diff := cmp.Diff(want, states(t, m)); diff != "" {
			t.Errorf("maintenance (-want +got)\n%s", diff)
		}

		for _, bad := range []struct {
			cmd     cluster.Command
			filters []cluster.Filter
			msg     string
		}{
			{cluster.Start, []cluster.Filter{{Service: "KAFKA"}}, "Unsupported command START: want RESTART or SERVICE_CHECK."},
			{cluster.Restart, nil, "A RESTART request needs resource filters."},
			{cluster.Restart, []cluster.Filter{{Service: "SPARK"}}, "Unknown service SPARK in the resource filters."},
			{cluster.Restart, []cluster.Filter{{Service: "ZOOKEEPER", Hosts: []string{"h2"}}}, ""},
		} {
			_, err := m.RunCommand(ctx, "c1", bad.cmd, bad.filters, "")
			got := ""
			if err != nil {
				got = storeError(err).Msg
			}
			if got != bad.msg {
				t.Errorf("RunCommand(%s, %v) error %q, want %q", bad.cmd, bad.filters, got, bad.msg)
			}
		}
	})
}

func TestProbeSeesACrash(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := streaming(t)
		sim := cluster.NewSim()
		x := cluster.Execution{Driver: sim}
		drive(t, m, cluster.Installed, x)
		drive(t, m, cluster.Started, x)
		if n, err := m.Probe(ctx, "c1", sim); err != nil || n != 0 {
			t.Fatalf("Probe of a healthy cluster = %d, %v", n, err)
		}
		sim.Kill("h2", "KAFKA_BROKER")
		if n, err := m.Probe(ctx, "c1", sim); err != nil || n != 1 {
			t.Fatalf("Probe after a crash = %d, %v", n, err)
		}
		want := allIn("STARTED")
		want[2] = "h2 KAFKA_BROKER INSTALLED"
		if diff := cmp.Diff(want, states(t, m)); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
		kafka, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Components, Keys: []string{"c1", "KAFKA", "KAFKA_BROKER"}})
		if st := kafka.Tree()["ServiceComponentInfo"].(map[string]any)["state"]; st != "STARTED" {
			t.Errorf("the component's desired state is %v, want STARTED", st)
		}
	})
}
