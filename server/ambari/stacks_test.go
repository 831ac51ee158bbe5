package ambari_test

import (
	"net/http/httptest"
	"os"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/google/go-cmp/cmp"
)

// TestSeveralStacks serves the built-in stack and the example stack: a
// cluster runs the stack its Clusters/version names.
func TestSeveralStacks(t *testing.T) {
	f, err := os.Open("../../examples/stacks/local.json")
	if err != nil {
		t.Fatal(err)
	}
	local, err := cluster.LoadStack(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithStacks(local), cluster.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}), server.WithLogger(quiet)))
	t.Cleanup(srv.Close)
	var stacks []string
	for _, it := range do(t, srv, "GET", "/api/v1/stacks", "").body["items"].([]any) {
		stacks = append(stacks, it.(map[string]any)["Stacks"].(map[string]any)["stack_name"].(string))
	}
	if diff := cmp.Diff([]string{"AMBIT", "LOCAL"}, stacks); diff != "" {
		t.Errorf("stacks (-want +got)\n%s", diff)
	}
	register(t, srv, "n1")
	for _, st := range []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/api/v1/clusters/local", `{"Clusters": {"version": "LOCAL-1.0"}}`, 201},
		{"POST", "/api/v1/clusters/default", "", 201},
		{"POST", "/api/v1/clusters/local/services/HEARTBEAT", "", 201},
		{"POST", "/api/v1/clusters/local/services/HDFS", "", 400}, // not LOCAL's
		{"POST", "/api/v1/clusters/default/services/HEARTBEAT", "", 400},
		{"POST", "/api/v1/clusters/local/hosts/n1", "", 201},
		{"POST", "/api/v1/clusters/local/hosts/n1/host_components/BEATER", "", 201},
		{"PUT", "/api/v1/clusters/local/services/HEARTBEAT", `{"ServiceInfo": {"state": "STARTED"}}`, 400}, // INIT cannot start
		{"PUT", "/api/v1/clusters/local/services/HEARTBEAT", `{"ServiceInfo": {"state": "INSTALLED"}}`, 202},
		{"POST", "/api/v1/clusters/other", `{"Clusters": {"version": "HDP-2.6"}}`, 400},
	} {
		if r := do(t, srv, st.method, st.path, st.body); r.status != st.want {
			t.Fatalf("%s %s = %d %s, want %d", st.method, st.path, r.status, r.raw, st.want)
		}
	}
	r := do(t, srv, "GET", "/api/v1/clusters/default?fields=Clusters/version", "")
	if got := r.body["Clusters"].(map[string]any)["version"]; got != "AMBIT-1.0" {
		t.Errorf("the default stack: %v", got)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/local/configurations?type=heartbeat-site", "")
	if items := r.body["items"].([]any); len(items) != 1 {
		t.Errorf("LOCAL's defaults after the install: %s", r.raw)
	}
}
