package ambari_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBlueprints posts a blueprint, creates a cluster from it on
// registered hosts, watches the request install and start everything,
// exports the cluster as a blueprint and posts that back.
func TestBlueprints(t *testing.T) {
	srv, _ := fixture(t)
	register(t, srv, "n1", "n2", "n3")
	blueprint := `{
	  "Blueprints": {"stack_name": "AMBIT", "stack_version": "1.0"},
	  "host_groups": [
	    {"name": "master", "cardinality": "1", "components": [{"name": "NAMENODE"}, {"name": "ZOOKEEPER_SERVER"}, {"name": "HDFS_CLIENT"}]},
	    {"name": "workers", "cardinality": "1+", "components": [{"name": "DATANODE"}, {"name": "ZOOKEEPER_SERVER"}]}
	  ],
	  "configurations": [{"hdfs-site": {"properties": {"dfs.replication": "2"}}}]
	}`
	for _, tt := range []badRequest{
		{"an unknown component", "POST", "/api/v1/blueprints/bad", strings.Replace(blueprint, `"NAMENODE"`, `"NOPE"`, 1), nil, 400, "The components [NOPE] are not in the stack", "host_groups"},
		{"an unmet dependency", "POST", "/api/v1/blueprints/bad", strings.Replace(blueprint, `{"name": "NAMENODE"}, `, "", 1), nil, 400, "The component DATANODE depends on NAMENODE", "host_groups"},
		{"a stack not loaded", "POST", "/api/v1/blueprints/bad", strings.Replace(blueprint, `"1.0"`, `"2.6"`, 1), nil, 400, "The blueprint's stack AMBIT-2.6 is not loaded", "Blueprints/stack_name"},
		{"no host groups", "POST", "/api/v1/blueprints/bad", `{"Blueprints": {"stack_name": "AMBIT", "stack_version": "1.0"}}`, nil, 400, "host_groups", ""},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, srv) })
	}
	if r := do(t, srv, "POST", "/api/v1/blueprints/hdfs", blueprint); r.status != 201 {
		t.Fatalf("POST blueprint = %d %s", r.status, r.raw)
	}
	r := do(t, srv, "GET", "/api/v1/blueprints/hdfs", "")
	if r.status != 200 || r.body["Blueprints"].(map[string]any)["stack_name"] != "AMBIT" || len(r.body["host_groups"].([]any)) != 2 {
		t.Errorf("GET blueprint = %d %s", r.status, r.raw)
	}
	for _, tt := range []badRequest{
		{"a group without hosts", "POST", "/api/v1/clusters/c2", `{"blueprint": "hdfs", "host_groups": [{"name": "master", "hosts": [{"fqdn": "n1"}]}]}`, nil, 400, "The host group workers of the blueprint has no hosts", "host_groups"},
		{"two hosts for a group of one", "POST", "/api/v1/clusters/c2", `{"blueprint": "hdfs", "host_groups": [{"name": "master", "hosts": [{"fqdn": "n1"}, {"fqdn": "n2"}]}, {"name": "workers", "hosts": [{"fqdn": "n3"}]}]}`, nil, 400, "takes 1 hosts, not 2", "host_groups"},
		{"an unregistered host", "POST", "/api/v1/clusters/c2", `{"blueprint": "hdfs", "host_groups": [{"name": "master", "hosts": [{"fqdn": "n1"}]}, {"name": "workers", "hosts": [{"fqdn": "n9"}]}]}`, nil, 400, "have not been registered with the server: n9", "Hosts/host_name"},
		{"no such blueprint", "POST", "/api/v1/clusters/c2", `{"blueprint": "nope", "host_groups": []}`, nil, 400, `The blueprint "nope" does not exist`, "blueprint"},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, srv) })
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c2", ""); r.status != 404 {
		t.Fatalf("a refused template left a cluster: %d", r.status)
	}
	r = do(t, srv, "POST", "/api/v1/clusters/c2", `{"blueprint": "hdfs", "default_password": "secret",
	  "host_groups": [{"name": "master", "hosts": [{"fqdn": "n1"}]}, {"name": "workers", "hosts": [{"fqdn": "n2"}, {"fqdn": "n3"}]}],
	  "configurations": [{"core-site": {"properties": {"fs.defaultFS": "hdfs://n1:8020"}}}]}`)
	if r.status != 202 {
		t.Fatalf("POST a cluster creation template = %d %s", r.status, r.raw)
	}
	waitRequest(t, srv, r.body["href"].(string))
	states := map[string]string{}
	for _, it := range do(t, srv, "GET", "/api/v1/clusters/c2/host_components?fields=HostRoles/state", "").body["items"].([]any) {
		hr := it.(map[string]any)["HostRoles"].(map[string]any)
		states[hr["host_name"].(string)+" "+hr["component_name"].(string)] = hr["state"].(string)
	}
	want := map[string]string{
		"n1 NAMENODE": "STARTED", "n1 ZOOKEEPER_SERVER": "STARTED", "n1 HDFS_CLIENT": "INSTALLED",
		"n2 DATANODE": "STARTED", "n2 ZOOKEEPER_SERVER": "STARTED", "n3 DATANODE": "STARTED", "n3 ZOOKEEPER_SERVER": "STARTED",
	}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("host components of c2 (-want +got)\n%s", diff)
	}
	comps := map[string]any{}
	for _, it := range do(t, srv, "GET", "/api/v1/clusters/c2/components?fields=ServiceComponentInfo/state", "").body["items"].([]any) {
		ci := it.(map[string]any)["ServiceComponentInfo"].(map[string]any)
		comps[ci["component_name"].(string)] = ci["state"]
	}
	if diff := cmp.Diff(map[string]any{"NAMENODE": "STARTED", "DATANODE": "STARTED", "ZOOKEEPER_SERVER": "STARTED", "HDFS_CLIENT": "INSTALLED"}, comps); diff != "" {
		t.Errorf("components of c2 (-want +got)\n%s", diff)
	}
	cfg := do(t, srv, "GET", "/api/v1/clusters/c2/configurations?type=hdfs-site&tag=version1", "").body["items"].([]any)[0].(map[string]any)["properties"].(map[string]any)
	if cfg["dfs.replication"] != "2" || cfg["dfs.namenode.name.dir"] == nil {
		t.Errorf("hdfs-site: the blueprint's value over the stack's defaults, got %v", cfg)
	}
	// Export, and post the export back as another blueprint.
	r = do(t, srv, "GET", "/api/v1/clusters/c2?format=blueprint", "")
	if r.status != 200 || len(r.body["host_groups"].([]any)) != 2 {
		t.Fatalf("export = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "POST", "/api/v1/blueprints/exported", r.raw); r.status != 201 {
		t.Errorf("posting the export back = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "DELETE", "/api/v1/blueprints/exported", ""); r.status != 200 {
		t.Errorf("DELETE blueprint = %d", r.status)
	}
}
