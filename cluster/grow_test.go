package cluster_test

import (
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// provisioned is cluster c1 provisioned with ZooKeeper on h1, its request
// run, and h2 and h3 registered but in no cluster.
func provisioned(t *testing.T) *cluster.Manager {
	t.Helper()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	var hosts []map[string]any
	for _, h := range []string{"h1", "h2", "h3"} {
		hosts = append(hosts, map[string]any{"Hosts": map[string]any{"host_name": h}})
	}
	if err := m.RegisterHosts(ctx, hosts...); err != nil {
		t.Fatal(err)
	}
	id, err := m.Provision(ctx, "c1", "AMBIT-1.0", []cluster.Group{{Name: "zk", Components: []string{"ZOOKEEPER_SERVER"}, Hosts: []string{"h1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Execute(ctx, "c1", id, cluster.Execution{Driver: cluster.NewSim()}); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGrow(t *testing.T) {
	m := provisioned(t)
	id, err := m.Grow(ctx, "c1", []cluster.Group{{Name: "brokers", Components: []string{"KAFKA_BROKER"}, Hosts: []string{"h2", "h3"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0 h2 KAFKA_BROKER INSTALL PENDING", "0 h3 KAFKA_BROKER INSTALL PENDING",
		"1 h2 KAFKA_BROKER START PENDING", "1 h3 KAFKA_BROKER START PENDING"}
	if diff := cmp.Diff(sorted(want), sorted(tasks(t, m, text(float64(id))))); diff != "" {
		t.Errorf("grow tasks (-want +got)\n%s", diff)
	}
	// The new service came with its default configuration.
	c, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Clusters, Keys: []string{"c1"}})
	if err != nil {
		t.Fatal(err)
	}
	desired := c.Tree()["Clusters"].(map[string]any)["desired_configs"].(map[string]any)
	if kb, _ := desired["kafka-broker"].(map[string]any); kb["tag"] != "version1" {
		t.Errorf("desired configs %v", desired)
	}
	if err := m.Execute(ctx, "c1", id, cluster.Execution{Driver: cluster.NewSim()}); err != nil {
		t.Fatal(err)
	}
	hc, err := m.Store().Get(ctx, resource.Ref{Type: cluster.HostComponents, Keys: []string{"c1", "h3", "KAFKA_BROKER"}})
	if err != nil || hc.Value("HostRoles/state") != "STARTED" {
		t.Errorf("h3 KAFKA_BROKER = %v, %v", hc.Value("HostRoles/state"), err)
	}
}

func TestGrowErrors(t *testing.T) {
	tests := []struct {
		name   string
		groups []cluster.Group
		kind   resource.ErrorKind
		msg    string
	}{
		{"unregistered host", []cluster.Group{{Name: "g", Components: []string{"KAFKA_BROKER"}, Hosts: []string{"h2", "h9"}}}, resource.Invalid,
			"Attempted to add unknown hosts to a cluster. These hosts have not been registered with the server: h9"},
		{"host in the cluster", []cluster.Group{{Name: "g", Components: []string{"KAFKA_BROKER"}, Hosts: []string{"h1"}}}, resource.Exists,
			"Host already exists: Hosts/cluster_name=c1, Hosts/host_name=h1."},
		{"missing dependency", []cluster.Group{{Name: "g", Components: []string{"CONNECT_WORKER"}, Hosts: []string{"h2"}}}, resource.Invalid,
			"The component CONNECT_WORKER depends on KAFKA_BROKER, which no host group has."},
		{"unknown component", []cluster.Group{{Name: "g", Components: []string{"NOPE"}, Hosts: []string{"h2"}}}, resource.Invalid,
			"The components [NOPE] are not in the stack AMBIT-1.0."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := provisioned(t)
			before := m.Store().Version()
			_, err := m.Grow(ctx, "c1", tt.groups)
			if e := storeError(err); e.Kind != tt.kind || e.Msg != tt.msg {
				t.Errorf("Grow = %v", err)
			}
			if m.Store().Version() != before {
				t.Error("a refused Grow changed the store")
			}
		})
	}
	if _, err := provisioned(t).Grow(ctx, "c9", nil); storeError(err).Kind != resource.NotFound {
		t.Errorf("Grow(c9) = %v", err)
	}
}
