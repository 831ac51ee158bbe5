package sahara_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// groupsOf is a cluster's node groups as "name count instance...".
func groupsOf(cl map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, ng := range cl["node_groups"].([]any) {
		g := ng.(map[string]any)
		var names []string
		for _, in := range g["instances"].([]any) {
			names = append(names, in.(map[string]any)["instance_name"].(string))
		}
		out[g["name"].(string)] = names
	}
	return out
}

// progressOf sums a cluster's provision_progress: steps, tasks, tasks done,
// and whether every step succeeded.
func progressOf(t *testing.T, cl map[string]any) (steps, total, done int, ok bool) {
	t.Helper()
	ok = true
	for _, s := range cl["provision_progress"].([]any) {
		step := s.(map[string]any)
		steps++
		total += int(step["total"].(float64))
		done += int(step["completed"].(float64))
		ok = ok && step["successful"] == true
	}
	return
}

const kafka = `{"name": "kafka", "plugin_name": "ambit", "hadoop_version": "1.0", "default_image_id": "img-1",
  "node_groups": [
    {"name": "master", "count": 1, "node_processes": ["ZOOKEEPER_SERVER", "KAFKA_BROKER"], "flavor_id": "2"},
    {"name": "workers", "count": 2, "node_processes": ["CONNECT_WORKER"], "flavor_id": "3"}]}`

// TestClusterLifecycle creates, reads, scales and deletes a cluster as
// python-saharaclient does.
func TestClusterLifecycle(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	r := call(t, srv, a, "POST", "/v1.1/proj1/clusters", kafka)
	if r.status != 202 {
		t.Fatalf("POST /clusters = %d %s", r.status, r.raw)
	}
	cl := r.body["cluster"].(map[string]any)
	id := cl["id"].(string)
	if !uuidRE.MatchString(id) || cl["status"] != "Active" || cl["tenant_id"] != "proj1" || cl["default_image_id"] != "img-1" {
		t.Errorf("created %v", cl)
	}
	if _, ok := cl["request_id"]; ok {
		t.Error("the domain's request id shows")
	}
	want := map[string][]string{"master": {"kafka-master-001"}, "workers": {"kafka-workers-001", "kafka-workers-002"}}
	if diff := cmp.Diff(want, groupsOf(cl)); diff != "" {
		t.Errorf("node groups (-want +got)\n%s", diff)
	}

	// The client polls GET with show_progress until Active.
	r = call(t, srv, a, "GET", "/v1.1/proj1/clusters/"+id+"?show_progress=True", "")
	cl = r.body["cluster"].(map[string]any)
	// Install and start ZooKeeper, the broker, then the two workers.
	if steps, total, done, ok := progressOf(t, cl); cl["status"] != "Active" || steps != 6 || total != 8 || done != 8 || !ok {
		t.Errorf("progress: %d steps %d/%d ok=%v status=%v: %s", steps, done, total, ok, cl["status"], r.raw)
	}
	var names, times []string
	for _, s := range cl["provision_progress"].([]any) {
		step := s.(map[string]any)
		names, times = append(names, step["step_name"].(string)), append(times, step["created_at"].(string))
	}
	wantSteps := []string{"Install ZOOKEEPER_SERVER", "Install KAFKA_BROKER", "Install CONNECT_WORKER",
		"Start ZOOKEEPER_SERVER", "Start KAFKA_BROKER", "Start CONNECT_WORKER"}
	if diff := cmp.Diff(wantSteps, names); diff != "" || !slices.IsSorted(times) {
		t.Errorf("steps (-want +got)\n%s; created_at %v (the CLI sorts on it)", diff, times)
	}
	if r := call(t, srv, a, "GET", "/v1.1/proj1/clusters?status=Active", ""); len(r.body["clusters"].([]any)) != 1 ||
		r.body["clusters"].([]any)[0].(map[string]any)["status"] != "Active" {
		t.Errorf("list: %s", r.raw)
	}

	// Scale: a third worker and a new group of ZooKeeper clients.
	r = call(t, srv, a, "PUT", "/v1.1/proj1/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 3}],
	  "add_node_groups": [{"name": "clients", "count": 1, "node_processes": ["ZOOKEEPER_CLIENT"], "flavor_id": "1"}]}`)
	if r.status != 202 {
		t.Fatalf("scale up = %d %s", r.status, r.raw)
	}
	want = map[string][]string{"master": {"kafka-master-001"}, "workers": {"kafka-workers-001", "kafka-workers-002", "kafka-workers-003"},
		"clients": {"kafka-clients-001"}}
	if diff := cmp.Diff(want, groupsOf(r.body["cluster"].(map[string]any))); diff != "" {
		t.Errorf("scaled up (-want +got)\n%s", diff)
	}
	r = call(t, srv, a, "GET", "/v1.1/proj1/clusters/"+id+"?show_progress=true", "")
	// The scaling request: the worker installs and starts, the client installs.
	if _, total, done, ok := progressOf(t, r.body["cluster"].(map[string]any)); total != 3 || done != 3 || !ok {
		t.Errorf("scale progress %d/%d ok=%v: %s", done, total, ok, r.raw)
	}

	// Shrink, then grow again: the removed instance's name comes back.
	for _, count := range []string{"1", "2"} {
		r = call(t, srv, a, "PUT", "/v1.1/proj1/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": `+count+`}]}`)
		if got := groupsOf(r.body["cluster"].(map[string]any))["workers"]; r.status != 202 || len(got) != int(count[0]-'0') {
			t.Errorf("resize to %s = %d %v", count, r.status, got)
		}
	}

	if r := call(t, srv, a, "DELETE", "/v1.1/proj1/clusters/"+id, ""); r.status != 204 {
		t.Errorf("DELETE = %d %s", r.status, r.raw)
	}
	fault(t, call(t, srv, a, "GET", "/v1.1/proj1/clusters/"+id, ""), 404, "NOT_FOUND")
	// Everything went with it: the same cluster can be made again.
	if r := call(t, srv, a, "POST", "/v1.1/proj1/clusters", kafka); r.status != 202 || r.body["cluster"].(map[string]any)["status"] != "Active" {
		t.Errorf("POST again = %d %s", r.status, r.raw)
	}
}

// TestClusterFromTemplate builds a cluster from a cluster template whose
// node groups name node group templates.
func TestClusterFromTemplate(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	ngt := call(t, srv, a, "POST", "/v1.1/proj1/node-group-templates", `{"name": "zk", "plugin_name": "ambit", "hadoop_version": "1.0",
	  "node_processes": ["ZOOKEEPER_SERVER"], "flavor_id": "2"}`).body["node_group_template"].(map[string]any)["id"].(string)
	ct := call(t, srv, a, "POST", "/v1.1/proj1/cluster-templates", `{"name": "ensemble", "plugin_name": "ambit", "hadoop_version": "1.0",
	  "node_groups": [{"name": "zk", "count": 3, "node_group_template_id": "`+ngt+`"}]}`).body["cluster_template"].(map[string]any)["id"].(string)
	r := call(t, srv, a, "POST", "/v1.1/proj1/clusters", `{"name": "zk", "plugin_name": "ambit", "hadoop_version": "1.0",
	  "cluster_template_id": "`+ct+`"}`)
	cl, _ := r.body["cluster"].(map[string]any)
	if r.status != 202 || cl["status"] != "Active" || cl["cluster_template_id"] != ct {
		t.Fatalf("POST = %d %s", r.status, r.raw)
	}
	ng := cl["node_groups"].([]any)[0].(map[string]any)
	if ng["node_group_template_id"] != ngt || ng["flavor_id"] != "2" || len(ng["instances"].([]any)) != 3 {
		t.Errorf("node group %v", ng)
	}
}

// TestClustersPerProject: a project's clusters are its own, names and all.
func TestClustersPerProject(t *testing.T) {
	srv, tok := fixture(t)
	for user, project := range map[string]string{"alice": "proj1", "bob": "proj2"} {
		if r := call(t, srv, tok[user], "POST", "/v1.1/"+project+"/clusters", kafka); r.status != 202 {
			t.Errorf("%s: POST = %d %s", project, r.status, r.raw)
		}
	}
	r := call(t, srv, tok["bob"], "GET", "/v1.1/proj2/clusters", "")
	if list := r.body["clusters"].([]any); len(list) != 1 || list[0].(map[string]any)["tenant_id"] != "proj2" {
		t.Errorf("bob's clusters: %s", r.raw)
	}
	fault(t, call(t, srv, tok["bob"], "GET", "/v1.1/proj1/clusters", ""), 403, "FORBIDDEN")

	// The Ambari face serves each of them their project: the same
	// clusters, their hosts and host components.
	if r := call(t, srv, tok["bob"], "POST", "/v1.1/proj2/clusters", strings.Replace(kafka, `"kafka"`, `"streams"`, 1)); r.status != 202 {
		t.Fatalf("POST streams = %d %s", r.status, r.raw)
	}
	for user, want := range map[string][]string{"alice": {"kafka"}, "bob": {"kafka", "streams"}} {
		var names []string
		for _, it := range asItems(call(t, srv, tok[user], "GET", "/api/v1/clusters", "").body) {
			names = append(names, it["Clusters"].(map[string]any)["cluster_name"].(string))
		}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("%s's clusters through Ambari (-want +got)\n%s", user, diff)
		}
	}
	for user, project := range map[string]string{"alice": "proj1", "bob": "proj2"} {
		r := call(t, srv, tok[user], "GET", "/api/v1/clusters/kafka/hosts?fields=Hosts/host_name,host_components/HostRoles/state", "")
		var got []string
		for _, it := range asItems(r.body) {
			h := it["Hosts"].(map[string]any)["host_name"].(string)
			for _, hc := range it["host_components"].([]any) {
				got = append(got, h+" "+hc.(map[string]any)["HostRoles"].(map[string]any)["state"].(string))
			}
		}
		want := []string{"kafka-master-001 STARTED", "kafka-master-001 STARTED", "kafka-workers-001 STARTED", "kafka-workers-002 STARTED"}
		if diff := cmp.Diff(want, got); r.status != 200 || diff != "" {
			t.Errorf("%s (%s) through Ambari: %d (-want +got)\n%s", user, project, r.status, diff)
		}
	}
}

func asItems(body map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestClusterErrors(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	if r := call(t, srv, a, "POST", "/v1.1/proj1/clusters", kafka); r.status != 202 {
		t.Fatalf("POST = %d %s", r.status, r.raw)
	}
	id := call(t, srv, a, "GET", "/v1.1/proj1/clusters", "").body["clusters"].([]any)[0].(map[string]any)["id"].(string)
	tests := []struct {
		name, method, path, body string
		status                   int
		errName                  string
	}{
		{"no name", "POST", "/clusters", `{"plugin_name": "ambit", "hadoop_version": "1.0"}`, 400, "VALIDATION_ERROR"},
		{"bad name", "POST", "/clusters", `{"name": "a_b", "plugin_name": "ambit", "hadoop_version": "1.0", "node_groups": []}`, 400, "VALIDATION_ERROR"},
		{"taken name", "POST", "/clusters", kafka, 400, "CLUSTER_NAME_ALREADY_EXISTS"},
		{"unknown plugin", "POST", "/clusters", `{"name": "x", "plugin_name": "vanilla", "hadoop_version": "2.7.1", "node_groups": []}`, 400, "VALIDATION_ERROR"},
		{"no node groups", "POST", "/clusters", `{"name": "x", "plugin_name": "ambit", "hadoop_version": "1.0"}`, 400, "VALIDATION_ERROR"},
		{"unknown template", "POST", "/clusters", `{"name": "x", "plugin_name": "ambit", "hadoop_version": "1.0", "cluster_template_id": "nope"}`, 404, "NOT_FOUND"},
		{"unknown process", "POST", "/clusters", `{"name": "x", "plugin_name": "ambit", "hadoop_version": "1.0",
		  "node_groups": [{"name": "g", "count": 1, "node_processes": ["NOPE"]}]}`, 400, "VALIDATION_ERROR"},
		{"missing dependency", "POST", "/clusters", `{"name": "x", "plugin_name": "ambit", "hadoop_version": "1.0",
		  "node_groups": [{"name": "g", "count": 1, "node_processes": ["KAFKA_BROKER"]}]}`, 400, "VALIDATION_ERROR"},
		{"resize unknown group", "PUT", "/clusters/" + id, `{"resize_node_groups": [{"name": "nope", "count": 1}]}`, 400, "VALIDATION_ERROR"},
		{"resize without count", "PUT", "/clusters/" + id, `{"resize_node_groups": [{"name": "workers"}]}`, 400, "VALIDATION_ERROR"},
		{"not JSON", "PUT", "/clusters/" + id, `{`, 400, "VALIDATION_ERROR"},
		{"update the status", "PATCH", "/clusters/" + id, `{"status": "Active"}`, 400, "VALIDATION_ERROR"},
		{"update the node groups", "PATCH", "/clusters/" + id, `{"description": "d", "node_groups": []}`, 400, "VALIDATION_ERROR"},
		{"update the hidden request", "PATCH", "/clusters/" + id, `{"request_id": 1}`, 400, "VALIDATION_ERROR"},
		{"scale unknown cluster", "PUT", "/clusters/nope", `{}`, 404, "NOT_FOUND"},
		{"delete unknown cluster", "DELETE", "/clusters/nope", ``, 404, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fault(t, call(t, srv, a, tt.method, "/v1.1/proj1"+tt.path, tt.body), tt.status, tt.errName)
		})
	}
	// Nothing of the refused ones stayed: no instance is registered (as
	// the Ambari face shows alice's project), and the same names still work.
	var hosts []string
	for _, it := range asItems(call(t, srv, a, "GET", "/api/v1/hosts", "").body) {
		hosts = append(hosts, it["Hosts"].(map[string]any)["host_name"].(string))
	}
	if diff := cmp.Diff([]string{"kafka-master-001", "kafka-workers-001", "kafka-workers-002"}, hosts); diff != "" {
		t.Errorf("registered hosts after the refusals (-want +got)\n%s", diff)
	}
	r := call(t, srv, a, "POST", "/v1.1/proj1/clusters", `{"name": "x", "plugin_name": "ambit", "hadoop_version": "1.0",
	  "node_groups": [{"name": "g", "count": 1, "node_processes": ["ZOOKEEPER_SERVER"]}]}`)
	if r.status != 202 {
		t.Errorf("POST x after refusals = %d %s", r.status, r.raw)
	}
	if got := groupsOf(call(t, srv, a, "GET", "/v1.1/proj1/clusters/"+id, "").body["cluster"].(map[string]any)); len(got) != 2 || len(got["workers"]) != 2 {
		t.Errorf("the refused scalings changed the cluster: %v", got)
	}
	r = call(t, srv, a, "PATCH", "/v1.1/proj1/clusters/"+id, `{"description": "streams", "is_public": true, "name": "streams"}`)
	if cl, _ := r.body["cluster"].(map[string]any); r.status != 202 || cl["description"] != "streams" || cl["is_public"] != true ||
		cl["status"] != "Active" || cl["name"] != "streams" {
		t.Errorf("PATCH = %d %s", r.status, r.raw)
	}
	// Renamed, it is the same domain cluster: it scales, its instances
	// keep their names, and the old name stays taken by the domain's.
	r = call(t, srv, a, "PUT", "/v1.1/proj1/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 3}]}`)
	if got := groupsOf(r.body["cluster"].(map[string]any))["workers"]; r.status != 202 || len(got) != 3 || got[2] != "kafka-workers-003" {
		t.Errorf("scale after rename = %d %v", r.status, got)
	}
	fault(t, call(t, srv, a, "POST", "/v1.1/proj1/clusters", kafka), 400, "CLUSTER_NAME_ALREADY_EXISTS")
	fault(t, call(t, srv, a, "PATCH", "/v1.1/proj1/clusters/"+id, `{"name": "x"}`), 400, "CLUSTER_NAME_ALREADY_EXISTS")
}

// TestMultipleClusters creates clusters as the client does with count > 1.
func TestMultipleClusters(t *testing.T) {
	srv, tok := fixture(t)
	a := tok["alice"]
	body := strings.Replace(kafka, `"name": "kafka",`, `"name": "kafka", "count": 2,`, 1)
	r := call(t, srv, a, "POST", "/v1.1/proj1/clusters/multiple", body)
	if ids, _ := r.body["clusters"].([]any); r.status != 202 || len(ids) != 2 || !uuidRE.MatchString(ids[0].(string)) {
		t.Fatalf("POST /clusters/multiple = %d %s", r.status, r.raw)
	}
	var names []string
	for _, cl := range call(t, srv, a, "GET", "/v1.1/proj1/clusters?sort_by=name", "").body["clusters"].([]any) {
		names = append(names, cl.(map[string]any)["name"].(string)+" "+cl.(map[string]any)["status"].(string))
	}
	if diff := cmp.Diff([]string{"kafka-1 Active", "kafka-2 Active"}, names); diff != "" {
		t.Errorf("clusters (-want +got)\n%s", diff)
	}
	for name, tt := range map[string]struct {
		body    string
		errName string
	}{
		"taken names": {body, "CLUSTER_NAME_ALREADY_EXISTS"},
		"no count":    {kafka, "VALIDATION_ERROR"},
		"zero":        {strings.Replace(body, `"count": 2`, `"count": 0`, 1), "VALIDATION_ERROR"},
		"fraction":    {strings.Replace(body, `"count": 2`, `"count": 1.5`, 1), "VALIDATION_ERROR"},
		"too many":    {strings.Replace(body, `"count": 2`, `"count": 100000`, 1), "VALIDATION_ERROR"},
	} {
		t.Run(name, func(t *testing.T) {
			fault(t, call(t, srv, a, "POST", "/v1.1/proj1/clusters/multiple", tt.body), 400, tt.errName)
		})
	}
}
