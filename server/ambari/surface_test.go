package ambari_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/cluster"

	"github.com/google/go-cmp/cmp"
)

// TestClusterWideCollections reads every service's components and every
// host's host components of a cluster, as clients read states and metrics.
func TestClusterWideCollections(t *testing.T) {
	srv, _ := fixture(t)
	do(t, srv, "POST", "/api/v1/clusters/c1/services/HDFS", "")
	for _, c := range []string{"NAMENODE", "SECONDARY_NAMENODE", "DATANODE"} {
		do(t, srv, "POST", "/api/v1/clusters/c1/services/HDFS/components/"+c, "")
	}
	do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h1/host_components/DATANODE", "")
	names := func(r response, cat, key string) []string {
		t.Helper()
		if r.status != 200 {
			t.Fatalf("= %d %s", r.status, r.raw)
		}
		var out []string
		for _, it := range r.body["items"].([]any) {
			c := it.(map[string]any)[cat].(map[string]any)
			out = append(out, c[key].(string))
		}
		return out
	}
	r := do(t, srv, "GET", "/api/v1/clusters/c1/components?ServiceComponentInfo/category=MASTER&fields=ServiceComponentInfo/component_name", "")
	if diff := cmp.Diff([]string{"NAMENODE", "SECONDARY_NAMENODE", "ZOOKEEPER_SERVER"}, names(r, "ServiceComponentInfo", "component_name")); diff != "" {
		t.Errorf("masters (-want +got)\n%s", diff)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/components?fields=host_components/HostRoles/state&ServiceComponentInfo/component_name=ZOOKEEPER_SERVER", "")
	items := r.body["items"].([]any)
	if len(items) != 1 || len(items[0].(map[string]any)["host_components"].([]any)) != 3 {
		t.Errorf("ZOOKEEPER_SERVER's host components: %s", r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/host_components?HostRoles/host_name=h1&fields=HostRoles/state", "")
	if diff := cmp.Diff([]string{"h1", "h1"}, names(r, "HostRoles", "host_name")); diff != "" {
		t.Errorf("h1's host components (-want +got)\n%s", diff)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/components/DATANODE?fields=ServiceComponentInfo/total_count", "")
	if r.status != 200 || r.body["ServiceComponentInfo"].(map[string]any)["total_count"] != 1.0 {
		t.Errorf("one component through the cluster = %d %s", r.status, r.raw)
	}
}

// TestStateWithOtherProperties sends what a CLI's stop-service
// --enable-maintenance and start-service --disable-maintenance send: the
// state and the maintenance state in one PUT. Both apply, maintenance
// first; a bulk PUT still leaves what is in maintenance alone.
func TestStateWithOtherProperties(t *testing.T) {
	srv, _ := fixture(t)
	read := func() []any {
		r := do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER?fields=ServiceInfo/state,ServiceInfo/maintenance_state", "")
		info := r.body["ServiceInfo"].(map[string]any)
		return []any{info["state"], info["maintenance_state"]}
	}
	for _, step := range []struct {
		name, path, body string
		status           int
		want             []any
	}{
		{"start, maintenance off", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED","maintenance_state":"OFF"}}`, 202, []any{"STARTED", "OFF"}},
		{"stop, maintenance on", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"INSTALLED","maintenance_state":"ON"}}`, 202, []any{"INSTALLED", "ON"}},
		{"a bulk start skips it", "/api/v1/clusters/c1/services?ServiceInfo/service_name=ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED"}}`, 200, []any{"INSTALLED", "ON"}},
		{"start, maintenance off again", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED","maintenance_state":"OFF"}}`, 202, []any{"STARTED", "OFF"}},
	} {
		r := do(t, srv, "PUT", step.path, step.body)
		if r.status != step.status {
			t.Fatalf("%s: PUT = %d %s, want %d", step.name, r.status, r.raw, step.status)
		}
		if diff := cmp.Diff(step.want, read()); diff != "" {
			t.Errorf("%s: state, maintenance (-want +got)\n%s", step.name, diff)
		}
	}
}

// TestConfigurationsAsAmbariShowsThem lists configurations as Ambari's
// configuration document shows them, and applies several in one PUT.
func TestConfigurationsAsAmbariShowsThem(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "PUT", "/api/v1/clusters/c1", `{"Clusters":{"desired_config":[
	  {"type":"zoo.cfg","tag":"v2","properties":{"tickTime":"3000"}},
	  {"type":"zookeeper-env","tag":"v2","properties":{"zk_user":"zk"}}]}}`)
	if r.status != 200 {
		t.Fatalf("PUT of two desired configs = %d %s", r.status, r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1?fields=Clusters/desired_configs", "")
	dc := r.body["Clusters"].(map[string]any)["desired_configs"].(map[string]any)
	for _, typ := range []string{"zoo.cfg", "zookeeper-env"} {
		if dc[typ].(map[string]any)["tag"] != "v2" {
			t.Errorf("desired %s: %v", typ, dc[typ])
		}
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/configurations?type=zoo.cfg", "")
	want := []any{
		map[string]any{"href": srv.URL + "/api/v1/clusters/c1/configurations?type=zoo.cfg&tag=v2", "type": "zoo.cfg", "tag": "v2", "version": 2.0,
			"Config": map[string]any{"cluster_name": "c1", "id": "zoo.cfg:v2"}},
		map[string]any{"href": srv.URL + "/api/v1/clusters/c1/configurations?type=zoo.cfg&tag=version1", "type": "zoo.cfg", "tag": "version1", "version": 1.0,
			"Config": map[string]any{"cluster_name": "c1", "id": "zoo.cfg:version1"}},
	}
	if diff := cmp.Diff(want, r.body["items"]); diff != "" {
		t.Errorf("zoo.cfg configurations (-want +got)\n%s", diff)
	}
	// Each item's href is the query for it, with its properties.
	r = do(t, srv, "GET", "/api/v1/clusters/c1/configurations?type=zoo.cfg&tag=v2", "")
	items := r.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("type and tag: %s", r.raw)
	}
	if got := items[0].(map[string]any)["properties"]; !cmp.Equal(got, map[string]any{"tickTime": "3000"}) {
		t.Errorf("properties %v", got)
	}
}

// TestQueryCreateForms creates through the query-create forms that
// Ambari's UI, its Kerberos scripts and a Python client send.
func TestQueryCreateForms(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "POST", "/api/v1/clusters/c1/hosts?Hosts/host_name=h2", `{"host_components":[{"HostRoles":{"component_name":"ZOOKEEPER_CLIENT"}}]}`)
	if r.status != 201 {
		t.Fatalf("host_components under a host = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h2/host_components/ZOOKEEPER_CLIENT?fields=HostRoles/service_name", ""); r.status != 200 ||
		r.body["HostRoles"].(map[string]any)["service_name"] != "ZOOKEEPER" {
		t.Errorf("the created host component = %d %s", r.status, r.raw)
	}
	r = do(t, srv, "POST", "/api/v1/clusters?Clusters/cluster_name=c1", `{"services":[{"ServiceInfo":{"service_name":"HDFS"}},{"ServiceInfo":{"service_name":"KAFKA"}}]}`)
	if r.status != 201 {
		t.Fatalf("services under a cluster = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c1/services?fields=ServiceInfo/service_name", ""); len(r.body["items"].([]any)) != 3 {
		t.Errorf("services: %s", r.raw)
	}
	r = do(t, srv, "POST", "/api/v1/clusters?Clusters/cluster_name=c1", `{"services":[{"ServiceInfo":{"service_name":"NOPE"}}]}`)
	if r.status != 400 || !strings.Contains(r.raw, "NOPE") {
		t.Errorf("an unknown service by query-create = %d %s", r.status, r.raw)
	}
}

// TestPredicatesFilterEmbeddedSubResources checks that a predicate on a
// sub-resource's property also filters what is embedded of it, and that
// a minimal response has no href, its own included.
func TestPredicatesFilterEmbeddedSubResources(t *testing.T) {
	srv, _ := fixture(t)
	do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h1/host_components/ZOOKEEPER_CLIENT", "")
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?host_components/HostRoles/component_name=ZOOKEEPER_CLIENT&fields=host_components/HostRoles/component_name", "")
	items := r.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("hosts with a ZOOKEEPER_CLIENT: %s", r.raw)
	}
	var embedded []string
	for _, hc := range items[0].(map[string]any)["host_components"].([]any) {
		embedded = append(embedded, hc.(map[string]any)["HostRoles"].(map[string]any)["component_name"].(string))
	}
	if diff := cmp.Diff([]string{"ZOOKEEPER_CLIENT"}, embedded); diff != "" {
		t.Errorf("embedded host components of h1 (-want +got)\n%s", diff)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?minimal_response=true&fields=Hosts/cpu_count", "")
	if strings.Contains(r.raw, "href") {
		t.Errorf("a minimal response with an href: %s", r.raw)
	}
}

// TestServiceThenComponents adds a service as Ambari's clients do: the
// service alone, then each component, then host components; the
// configurations nobody set come from the stack when it is installed, and
// a client's own configuration is never overwritten or refused.
func TestServiceThenComponents(t *testing.T) {
	srv, _ := fixture(t)
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/api/v1/clusters/c1/services/HDFS", "", 201},
		{"POST", "/api/v1/clusters/c1/services/HDFS/components/NAMENODE", "", 201},
		{"POST", "/api/v1/clusters/c1/services/HDFS/components/DATANODE", `{"ServiceComponentInfo":{}}`, 201},
		{"POST", "/api/v1/clusters/c1/services/HDFS/components/NAMENODE", "", 409},
		{"POST", "/api/v1/clusters/c1/services/HDFS/components/ZOOKEEPER_SERVER", "", 400},
		{"POST", "/api/v1/clusters/c1/hosts/h1/host_components/NAMENODE", "", 201},
		{"POST", "/api/v1/clusters/c1/hosts/h2/host_components/DATANODE", "", 201},
		// The client's own hdfs-site, applied; a core-site tag taken but not applied.
		{"PUT", "/api/v1/clusters/c1", `{"Clusters":{"desired_config":{"type":"hdfs-site","tag":"version1","properties":{"dfs.replication":"1"}}}}`, 200},
		{"POST", "/api/v1/clusters/c1/configurations", `{"type":"core-site","tag":"version1","properties":{"fs.defaultFS":"hdfs://nn:8020"}}`, 201},
	}
	for _, st := range steps {
		if r := do(t, srv, st.method, st.path, st.body); r.status != st.want {
			t.Fatalf("%s %s = %d %s, want %d", st.method, st.path, r.status, r.raw, st.want)
		}
	}
	r := do(t, srv, "GET", "/api/v1/clusters/c1/services/HDFS?fields=components/ServiceComponentInfo/component_name", "")
	if n := len(r.body["components"].([]any)); n != 2 {
		t.Errorf("HDFS has %d components, want the 2 posted: %s", n, r.raw)
	}
	desired := func() map[string]any {
		r := do(t, srv, "GET", "/api/v1/clusters/c1?fields=Clusters/desired_configs", "")
		out := map[string]any{}
		for typ, v := range r.body["Clusters"].(map[string]any)["desired_configs"].(map[string]any) {
			out[typ] = v.(map[string]any)["tag"]
		}
		return out
	}
	before := desired()
	if _, ok := before["core-site"]; ok {
		t.Errorf("core-site desired before HDFS is installed: %v", before)
	}
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/services/HDFS", `{"ServiceInfo":{"state":"INSTALLED"}}`)
	if r.status != 202 {
		t.Fatalf("install HDFS = %d %s", r.status, r.raw)
	}
	got := desired()
	if got["hdfs-site"] != "version1" || got["core-site"] != "default-2" {
		t.Errorf("desired tags after the install: %v (want the client's hdfs-site, core-site's default as default-2)", got)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/configurations?type=hdfs-site&tag=version1", "")
	if props := r.body["items"].([]any)[0].(map[string]any)["properties"]; !cmp.Equal(props, map[string]any{"dfs.replication": "1"}) {
		t.Errorf("the client's hdfs-site was changed: %v", props)
	}
}

// TestHostRegistration follows hosts from registration to a cluster and
// back, as Ambari's agents and clients see them.
func TestHostRegistration(t *testing.T) {
	srv, _ := fixture(t)
	do(t, srv, "POST", "/api/v1/clusters/c2", "")
	steps := []struct {
		method, path, body string
		want               int
		message            string
	}{
		{"POST", "/api/v1/hosts/h9", `{"Hosts":{"cpu_count":16,"os_type":"rhel8","ip":"10.0.0.9"}}`, 201, ""},
		{"POST", "/api/v1/hosts/h9", "", 409, ""},
		{"POST", "/api/v1/clusters/c1/hosts/h10", "", 400, "Attempted to add unknown hosts to a cluster. These hosts have not been registered with the server: h10"},
		{"POST", "/api/v1/clusters/c1/hosts/h9", `{"Hosts":{"rack_info":"/rack-9"}}`, 201, ""},
		{"POST", "/api/v1/clusters/c2/hosts/h9", "", 409, "belongs to the cluster c1"},
		{"DELETE", "/api/v1/hosts/h9", "", 409, "remove it from the cluster first"},
		{"DELETE", "/api/v1/clusters/c1/hosts/h9", "", 200, ""},
		{"POST", "/api/v1/clusters/c2/hosts/h9", "", 201, ""},
		{"DELETE", "/api/v1/clusters/c2", "", 200, ""},
		{"DELETE", "/api/v1/hosts/h9", "", 200, ""},
		{"GET", "/api/v1/hosts/h9", "", 404, ""},
	}
	for i, st := range steps {
		r := do(t, srv, st.method, st.path, st.body)
		if r.status != st.want || !strings.Contains(r.raw, st.message) {
			t.Fatalf("step %d: %s %s = %d %s, want %d %q", i, st.method, st.path, r.status, r.raw, st.want, st.message)
		}
		if i == 3 { // in c1: the registered facts, and the rack the client gave
			h := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h9?fields=Hosts/cpu_count,Hosts/ip,Hosts/rack_info", "").body["Hosts"].(map[string]any)
			if h["cpu_count"] != 16.0 || h["ip"] != "10.0.0.9" || h["rack_info"] != "/rack-9" {
				t.Errorf("h9 in c1: %v", h)
			}
		}
	}
	r := do(t, srv, "GET", "/api/v1/hosts?fields=Hosts/cluster_name", "")
	want := []any{
		map[string]any{"href": srv.URL + "/api/v1/hosts/h1", "Hosts": map[string]any{"host_name": "h1", "cluster_name": "c1"}},
		map[string]any{"href": srv.URL + "/api/v1/hosts/h2", "Hosts": map[string]any{"host_name": "h2", "cluster_name": "c1"}},
		map[string]any{"href": srv.URL + "/api/v1/hosts/h3", "Hosts": map[string]any{"host_name": "h3", "cluster_name": "c1"}},
	}
	if diff := cmp.Diff(want, r.body["items"]); diff != "" {
		t.Errorf("registered hosts (-want +got)\n%s", diff)
	}
}

// TestStacks reads the loaded stack as Ambari's clients read stacks: its
// versions, services, components (category, cardinality, dependencies)
// and default configurations; writes are refused.
func TestStacks(t *testing.T) {
	srv, _ := fixture(t)
	ok := func(path string) map[string]any {
		t.Helper()
		r := do(t, srv, "GET", path, "")
		if r.status != 200 {
			t.Fatalf("GET %s = %d %s", path, r.status, r.raw)
		}
		return r.body
	}
	if items := ok("/api/v1/stacks")["items"].([]any); len(items) != 1 || items[0].(map[string]any)["href"] != srv.URL+"/api/v1/stacks/AMBIT" {
		t.Errorf("stacks: %v", items)
	}
	v := ok("/api/v1/stacks/AMBIT/versions/1.0?fields=services/StackServices/service_name")
	var services []string
	for _, s := range v["services"].([]any) {
		services = append(services, s.(map[string]any)["StackServices"].(map[string]any)["service_name"].(string))
	}
	if diff := cmp.Diff([]string{"HDFS", "KAFKA", "KAFKA_CONNECT", "ZOOKEEPER"}, services); diff != "" {
		t.Errorf("services of AMBIT-1.0 (-want +got)\n%s", diff)
	}
	svc := ok("/api/v1/stacks/AMBIT/versions/1.0/services/KAFKA")["StackServices"].(map[string]any)
	if diff := cmp.Diff([]any{"ZOOKEEPER"}, svc["required_services"]); diff != "" {
		t.Errorf("KAFKA requires (-want +got)\n%s", diff)
	}
	c := ok("/api/v1/stacks/AMBIT/versions/1.0/services/HDFS/components/DATANODE")["StackServiceComponents"].(map[string]any)
	if c["component_category"] != "SLAVE" || c["cardinality"] != "1+" || c["is_master"] != false {
		t.Errorf("DATANODE: %v", c)
	}
	cfg := ok("/api/v1/stacks/AMBIT/versions/1.0/services/ZOOKEEPER/configurations?StackConfigurations/type=zoo.cfg&fields=StackConfigurations/property_value")
	values := map[string]any{}
	for _, it := range cfg["items"].([]any) {
		sc := it.(map[string]any)["StackConfigurations"].(map[string]any)
		values[sc["property_name"].(string)] = sc["property_value"]
	}
	if diff := cmp.Diff(map[string]any{"clientPort": "2181", "dataDir": "/var/lib/zookeeper", "tickTime": "2000"}, values); diff != "" {
		t.Errorf("zoo.cfg defaults (-want +got)\n%s", diff)
	}
	for _, w := range []struct{ method, path string }{{"POST", "/api/v1/stacks/OTHER"}, {"PUT", "/api/v1/stacks/AMBIT/versions/1.0"}, {"DELETE", "/api/v1/stacks/AMBIT"}} {
		if r := do(t, srv, w.method, w.path, `{"Versions":{"active":false}}`); r.status != 400 || !strings.Contains(r.raw, "come from the stack definition") {
			t.Errorf("%s %s = %d %s", w.method, w.path, r.status, r.raw)
		}
	}
}

// TestWorkflows reads the workload history the simulated driver reports:
// workflows, their jobs and the jobs' task attempts, read-only.
func TestWorkflows(t *testing.T) {
	srv, m := fixture(t)
	if err := m.Sample(context.Background(), "c1", cluster.NewSim()); err != nil {
		t.Fatal(err)
	}
	r := do(t, srv, "GET", "/api/v1/clusters/c1/workflows?fields=Workflow/workflow_name,Workflow/num_jobs_total,jobs/Job/status,jobs/taskattempts/TaskAttempt/type", "")
	items, _ := r.body["items"].([]any)
	if r.status != 200 || len(items) != 1 {
		t.Fatalf("workflows = %d %s", r.status, r.raw)
	}
	wf := items[0].(map[string]any)
	if info := wf["Workflow"].(map[string]any); info["workflow_name"] != "wordcount" || info["num_jobs_total"] != 2.0 {
		t.Errorf("workflow %v", info)
	}
	jobs := wf["jobs"].([]any)
	var types []string
	for _, j := range jobs {
		if j.(map[string]any)["Job"].(map[string]any)["status"] != "SUCCEEDED" {
			t.Errorf("job %v", j)
		}
		for _, a := range j.(map[string]any)["taskattempts"].([]any) {
			types = append(types, a.(map[string]any)["TaskAttempt"].(map[string]any)["type"].(string))
		}
	}
	if diff := cmp.Diff([]string{"MAP", "MAP", "REDUCE", "MAP", "MAP", "REDUCE"}, types); diff != "" || len(jobs) != 2 {
		t.Errorf("%d jobs, task attempts (-want +got)\n%s", len(jobs), diff)
	}
	id := wf["Workflow"].(map[string]any)["workflow_id"].(string)
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1/workflows/"+id, ""); r.status != 400 || !strings.Contains(r.raw, "reported by the driver") {
		t.Errorf("DELETE a workflow = %d %s", r.status, r.raw)
	}
	if err := m.Sample(context.Background(), "c1", cluster.NewSim()); err != nil { // within the same minute: nothing new
		t.Fatal(err)
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c1/workflows", ""); len(r.body["items"].([]any)) != 1 {
		t.Errorf("a second sample in the same minute added workflows: %s", r.raw)
	}
}

// TestRepositoryVersions creates, reads, changes and deletes a repository
// version with its operating systems and repositories, following hrefs.
func TestRepositoryVersions(t *testing.T) {
	srv, _ := fixture(t)
	base := "/api/v1/stacks/AMBIT/versions/1.0/repository_versions"
	r := do(t, srv, "POST", base, `{"RepositoryVersions": {"repository_version": "1.0.0.0-1", "display_name": "AMBIT-1.0.0.0"},
	  "operating_systems": [{"OperatingSystems": {"os_type": "redhat8"},
	    "repositories": [{"Repositories": {"repo_id": "AMBIT-1.0", "repo_name": "AMBIT", "base_url": "http://repo.example.com/ambit/1.0"}}]}]}`)
	if r.status != 201 {
		t.Fatalf("POST = %d %s", r.status, r.raw)
	}
	r = do(t, srv, "GET", base+"?fields=RepositoryVersions/display_name", "")
	items := r.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("list: %s", r.raw)
	}
	href := items[0].(map[string]any)["href"].(string)
	if href != srv.URL+base+"/1" {
		t.Errorf("href %s", href)
	}
	r = do(t, srv, "GET", strings.TrimPrefix(href, srv.URL)+"?fields=operating_systems/repositories/Repositories/base_url", "")
	oses := r.body["operating_systems"].([]any)
	repo := oses[0].(map[string]any)["repositories"].([]any)[0].(map[string]any)
	if got := repo["Repositories"].(map[string]any)["base_url"]; got != "http://repo.example.com/ambit/1.0" {
		t.Errorf("base_url %v: %s", got, r.raw)
	}
	repoHref := strings.TrimPrefix(repo["href"].(string), srv.URL)
	if r := do(t, srv, "PUT", repoHref, `{"Repositories": {"base_url": "http://mirror.example.com/ambit/1.0"}}`); r.status != 200 {
		t.Errorf("PUT a repository = %d %s", r.status, r.raw)
	}
	if got := do(t, srv, "GET", repoHref, "").body["Repositories"].(map[string]any)["base_url"]; got != "http://mirror.example.com/ambit/1.0" {
		t.Errorf("base_url after PUT: %v", got)
	}
	if r := do(t, srv, "DELETE", strings.TrimPrefix(href, srv.URL), ""); r.status != 200 {
		t.Errorf("DELETE = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "GET", repoHref, ""); r.status != 404 {
		t.Errorf("a repository of a deleted version = %d", r.status)
	}
	if r := do(t, srv, "POST", base, `{"RepositoryVersions": {"display_name": "x"}}`); r.status != 400 {
		t.Errorf("a version without repository_version = %d %s", r.status, r.raw)
	}
}
