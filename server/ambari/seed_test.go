package ambari_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/google/go-cmp/cmp"
)

// hostNames lists the host names of a collection response.
func hostNames(t *testing.T, r response) []string {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	out := []string{}
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any)["Hosts"].(map[string]any)["host_name"].(string))
	}
	return out
}

// TestSeedQueryExamples runs the query examples of the Ambari API document.
func TestSeedQueryExamples(t *testing.T) {
	srv, m := fixture(t)
	facts := []map[string]any{
		{"host_name": "host1", "host_status": "HEALTHY", "cpu_count": 2, "os_type": "rhel6", "last_heartbeat_time": 1360600000000, "rack_info": "default_rack"},
		{"host_name": "host2", "host_status": "UNHEALTHY", "cpu_count": 1, "os_type": "rhel6", "last_heartbeat_time": 1360600200000, "rack_info": "default_rack"},
		{"host_name": "host3", "host_status": "HEALTHY", "cpu_count": 4, "os_type": "centos6", "last_heartbeat_time": 1360600100000, "rack_info": "other_rack"},
	}
	for _, f := range facts {
		if err := m.AddHosts(context.Background(), "c1", map[string]any{"Hosts": f}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"Hosts/host_status=HEALTHY&Hosts/cpu_count>=2", []string{"h1", "h2", "h3", "host1", "host3"}},
		{"Hosts/cpu_count<2|Hosts/host_status!=HEALTHY", []string{"host2"}},
		{"Hosts/os_type=rhel6&Hosts/cpu_count<2|Hosts/os_type=centos6&Hosts/cpu_count>=3", []string{"host2", "host3"}},
		{"(Hosts/host_status!=HEALTHY|Hosts/last_heartbeat_time<1360600135905)&Hosts/rack_info=default_rack", []string{"host1", "host2"}},
		{"Hosts/host_name.in(host1,host2,host3)", []string{"host1", "host2", "host3"}},
		{"Hosts/host_name.in(HOST1,Host2)", []string{"host1", "host2"}}, // host names are case-insensitive
	}
	for _, tt := range tests {
		got := hostNames(t, do(t, srv, "GET", "/api/v1/clusters/c1/hosts?"+tt.query, ""))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.query, diff)
		}
	}

	// "Update the state of all INSTALLED services to be STARTED".
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/services?ServiceInfo/state=INSTALLED", `{"ServiceInfo":{"state":"STARTED"}}`)
	if r.status != 202 {
		t.Fatalf("PUT on the INSTALLED services = %d %s", r.status, r.raw)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r := do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER?fields=ServiceInfo/state", "")
		if r.body["ServiceInfo"].(map[string]any)["state"] == "STARTED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ZOOKEEPER did not start: %s", r.raw)
		}
	}
}

// TestSeedPaginationExamples pages through 30 requests as the Ambari API
// document's examples do.
func TestSeedPaginationExamples(t *testing.T) {
	srv, m := fixture(t) // request 1 installed the cluster
	for i := 2; i <= 30; i++ {
		if _, err := m.RunCommand(context.Background(), "c1", cluster.ServiceCheck, []cluster.Filter{{Service: "ZOOKEEPER"}}, "check "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(r response) []float64 {
		out := []float64{}
		for _, it := range r.body["items"].([]any) {
			out = append(out, it.(map[string]any)["Requests"].(map[string]any)["id"].(float64))
		}
		return out
	}
	seq := func(from, to float64) []float64 {
		var out []float64
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
	tests := []struct {
		query string
		want  []float64
	}{
		{"from=21&page_size=10", seq(22, 30)}, // zero-based: the 22nd onwards
		{"from=start&page_size=10", seq(1, 10)},
		{"from=0&page_size=10", seq(1, 10)},
		{"to=end&page_size=10", seq(21, 30)},
		{"to=-1&page_size=10", seq(21, 30)},
	}
	for _, tt := range tests {
		r := do(t, srv, "GET", "/api/v1/clusters/c1/requests?"+tt.query, "")
		if diff := cmp.Diff(tt.want, ids(r)); diff != "" || r.body["itemTotal"] != "30" {
			t.Errorf("%s: itemTotal %v (-want +got)\n%s", tt.query, r.body["itemTotal"], diff)
		}
	}
}

// TestSeedPartialResponseExamples runs the partial response examples of the
// Ambari API document on a host.
func TestSeedPartialResponseExamples(t *testing.T) {
	srv, _ := fixture(t)
	hc := srv.URL + "/api/v1/clusters/c1/hosts/h1/host_components/ZOOKEEPER_SERVER"
	keys := map[string]any{"cluster_name": "c1", "host_name": "h1", "component_name": "ZOOKEEPER_SERVER"}

	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1?fields=host_components", "")
	want := []any{map[string]any{"href": hc, "HostRoles": keys}}
	if diff := cmp.Diff(want, r.body["host_components"]); diff != "" || r.body["Hosts"].(map[string]any)["cpu_count"] != nil {
		t.Errorf("fields=host_components (-want +got)\n%s", diff)
	}

	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1?fields=host_components/*", "")
	item := r.body["host_components"].([]any)[0].(map[string]any)
	if item["HostRoles"].(map[string]any)["state"] != "INSTALLED" {
		t.Errorf("host_components/* lacks the state: %v", item)
	}
	if host := item["host"].(map[string]any); host["href"] != srv.URL+"/api/v1/clusters/c1/hosts/h1" {
		t.Errorf("host_components/* host link: %v", host)
	}
	if comp := item["component"].(map[string]any); comp["href"] != srv.URL+"/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_SERVER" {
		t.Errorf("host_components/* component link: %v", comp)
	}

	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1?fields=host_components/component/*", "")
	item = r.body["host_components"].([]any)[0].(map[string]any)
	comp := item["component"].(map[string]any)["ServiceComponentInfo"].(map[string]any)
	if comp["category"] != "MASTER" || comp["total_count"] != 3.0 || item["HostRoles"].(map[string]any)["state"] != nil {
		t.Errorf("host_components/component/*: %v", item)
	}
}

// TestSeedManagementExamples runs the Ambari API document's examples of
// GET, POST, PUT, DELETE, asynchronous responses and RequestInfo (query,
// context, batches), in the order the document tells them.
func TestSeedManagementExamples(t *testing.T) {
	srv, _ := fixture(t)
	keys := func(m any) []string {
		out := []string{}
		for k := range m.(map[string]any) {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	status := func(r response, want int, what string) {
		t.Helper()
		if r.status != want {
			t.Fatalf("%s = %d, want %d: %s", what, r.status, want, r.raw)
		}
	}

	// POST: create the HDFS service, and its DataNodes on the hosts.
	status(do(t, srv, "POST", "/api/v1/clusters/c1/services/HDFS", ""), 201, "POST the HDFS service")
	for _, h := range []string{"h1", "h2"} {
		status(do(t, srv, "POST", "/api/v1/clusters/c1/hosts/"+h+"/host_components/DATANODE", ""), 201, "POST a DATANODE")
	}

	// GET: the DATANODE component, its info and its host components as links.
	r := do(t, srv, "GET", "/api/v1/clusters/c1/services/HDFS/components/DATANODE", "")
	status(r, 200, "GET the DATANODE component")
	if got, want := r.body["href"], srv.URL+"/api/v1/clusters/c1/services/HDFS/components/DATANODE"; got != want {
		t.Errorf("href = %v, want %v", got, want)
	}
	info := r.body["ServiceComponentInfo"].(map[string]any)
	if diff := cmp.Diff([]any{"c1", "DATANODE", "HDFS"}, []any{info["cluster_name"], info["component_name"], info["service_name"]}); diff != "" {
		t.Errorf("ServiceComponentInfo (-want +got)\n%s", diff)
	}
	var links []string
	for _, hc := range r.body["host_components"].([]any) {
		links = append(links, hc.(map[string]any)["href"].(string))
		if diff := cmp.Diff([]string{"cluster_name", "component_name", "host_name"}, keys(hc.(map[string]any)["HostRoles"])); diff != "" {
			t.Errorf("a host component link's HostRoles (-want +got)\n%s", diff)
		}
	}
	want := []string{srv.URL + "/api/v1/clusters/c1/hosts/h1/host_components/DATANODE", srv.URL + "/api/v1/clusters/c1/hosts/h2/host_components/DATANODE"}
	if diff := cmp.Diff(want, links); diff != "" {
		t.Errorf("host_components (-want +got)\n%s", diff)
	}

	// PUT: a state change is a request, answered 202 with its href.
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/services/HDFS", `{"ServiceInfo": {"state": "INSTALLED"}}`)
	status(r, 202, "PUT HDFS INSTALLED")
	req := r.body["Requests"].(map[string]any)
	if !strings.HasPrefix(r.body["href"].(string), srv.URL+"/api/v1/clusters/c1/requests/") || req["id"] == nil || req["status"] != "Accepted" {
		t.Errorf("202 body = %s", r.raw)
	}

	// Asynchronous response: the request's tasks with fields=tasks/Tasks/*.
	href := r.body["href"].(string)
	waitRequest(t, srv, href)
	r = do(t, srv, "GET", strings.TrimPrefix(href, srv.URL)+"?fields=tasks/Tasks/*", "")
	status(r, 200, "GET the request's tasks")
	tasks := r.body["tasks"].([]any)
	if len(tasks) != 2 {
		t.Fatalf("%d tasks, want one INSTALL per DataNode: %s", len(tasks), r.raw)
	}
	for _, task := range tasks {
		got := keys(task.(map[string]any)["Tasks"])
		for _, k := range []string{"attempt_cnt", "cluster_name", "command", "exit_code", "host_name", "id", "request_id", "role", "stage_id", "start_time", "status", "stderr", "stdout"} {
			if !slices.Contains(got, k) {
				t.Errorf("task lacks Tasks/%s: %v", k, got)
			}
		}
	}

	// RequestInfo: the query in the body, and the context on the request.
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/services", `{
	  "RequestInfo": {"query": "ServiceInfo/state=INSTALLED&ServiceInfo/service_name=HDFS", "context": "Start HDFS service."},
	  "Body": {"ServiceInfo": {"state": "STARTED"}}}`)
	status(r, 202, "PUT with RequestInfo query and context")
	href = r.body["href"].(string)
	r = do(t, srv, "GET", strings.TrimPrefix(href, srv.URL), "")
	status(r, 200, "GET the request")
	if got := r.body["Requests"].(map[string]any)["request_context"]; got != "Start HDFS service." {
		t.Errorf("request_context = %v", got)
	}
	if _, ok := r.body["tasks"]; !ok {
		t.Errorf("an instance GET of a request lists its tasks: %s", r.raw)
	}
	waitRequest(t, srv, href)
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER?fields=ServiceInfo/state", "")
	if got := r.body["ServiceInfo"].(map[string]any)["state"]; got != "INSTALLED" {
		t.Errorf("the query in the body chose HDFS only, but ZOOKEEPER is %v", got)
	}

	// A batch whose elements carry their own query: host-level overrides of
	// a configuration (the document's type is global; the demo's are
	// ZooKeeper's).
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/hosts", `[
	  {"RequestInfo": {"query": "Hosts/host_name=h1"},
	   "Body": {"Hosts": {"desired_config": {"type": "zoo.cfg", "tag": "version50", "properties": {"a": "b", "x": "y"}}}}},
	  {"RequestInfo": {"query": "Hosts/host_name=h2"},
	   "Body": {"Hosts": {"desired_config": {"type": "zoo.cfg", "tag": "version51", "properties": {"a": "c", "x": "z"}}, "ip": "10.0.0.2"}}}]`)
	status(r, 200, "batch PUT of host-level configurations")
	for _, it := range r.body["items"].([]any) {
		if st := it.(map[string]any)["status"]; st != 200.0 {
			t.Errorf("a batch element answered %v: %s", st, r.raw)
		}
	}
	overrides := map[string]any{}
	for _, h := range []string{"h1", "h2", "h3"} {
		r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/"+h+"?fields=Hosts/desired_configs", "")
		dc, _ := r.body["Hosts"].(map[string]any)["desired_configs"].(map[string]any)
		overrides[h] = dc["zoo.cfg"]
	}
	wantOverrides := map[string]any{
		"h1": map[string]any{"default": "version1", "overrides": map[string]any{"h1": "version50"}},
		"h2": map[string]any{"default": "version1", "overrides": map[string]any{"h2": "version51"}},
		"h3": nil,
	}
	if diff := cmp.Diff(wantOverrides, overrides); diff != "" {
		t.Errorf("hosts' zoo.cfg (-want +got)\n%s", diff)
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h2?fields=Hosts/ip", ""); r.body["Hosts"].(map[string]any)["ip"] != "10.0.0.2" {
		t.Errorf("a property beside desired_config was not applied: %s", r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/configurations?type=zoo.cfg&tag=version51&fields=properties", "")
	if !strings.Contains(r.raw, `"x": "z"`) {
		t.Errorf("the override's configuration: %s", r.raw)
	}

	// A batch whose elements set ordinary properties.
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/hosts", `[
	  {"RequestInfo": {"query": "Hosts/host_name=h1"}, "Body": {"Hosts": {"rack_info": "/rack50"}}},
	  {"RequestInfo": {"query": "Hosts/host_name=h2"}, "Body": {"Hosts": {"rack_info": "/rack51"}}}]`)
	status(r, 200, "batch PUT with a query per element")
	racks := map[string]any{}
	for _, it := range do(t, srv, "GET", "/api/v1/clusters/c1/hosts?fields=Hosts/rack_info", "").body["items"].([]any) {
		h := it.(map[string]any)["Hosts"].(map[string]any)
		racks[h["host_name"].(string)] = h["rack_info"]
	}
	if diff := cmp.Diff(map[string]any{"h1": "/rack50", "h2": "/rack51", "h3": "/default-rack"}, racks); diff != "" {
		t.Errorf("racks after the batch (-want +got)\n%s", diff)
	}

	// DELETE the cluster: refused while a component runs, as in Ambari;
	// done once every service is stopped.
	r = do(t, srv, "DELETE", "/api/v1/clusters/c1", "")
	status(r, 409, "DELETE the cluster while HDFS runs")
	if !strings.Contains(r.raw, "is in state STARTED and cannot be removed") {
		t.Errorf("409 body = %s", r.raw)
	}
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/services", `{"ServiceInfo": {"state": "INSTALLED"}}`)
	status(r, 202, "PUT every service INSTALLED")
	waitRequest(t, srv, r.body["href"].(string))
	status(do(t, srv, "DELETE", "/api/v1/clusters/c1", ""), 200, "DELETE the cluster")
	status(do(t, srv, "GET", "/api/v1/clusters/c1", ""), 404, "GET the deleted cluster")
}

// waitRequest waits until the request at href is no longer in progress.
func waitRequest(t *testing.T, srv *httptest.Server, href string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r := do(t, srv, "GET", strings.TrimPrefix(href, srv.URL)+"?fields=Requests/request_status", "")
		switch r.body["Requests"].(map[string]any)["request_status"] {
		case "COMPLETED":
			return
		case "FAILED", "ABORTED", "TIMEDOUT":
			t.Fatalf("request failed: %s", r.raw)
		}
		if time.Now().After(deadline) {
			t.Fatalf("request did not complete: %s", r.raw)
		}
	}
}

// TestSeedTemporalExamples asks for metrics over a time range as the
// Ambari API document's temporal examples do: one property from a start
// time, and a category with start, end and step.
func TestSeedTemporalExamples(t *testing.T) {
	ctx := context.Background()
	clock := time.Unix(1360610100, 0)
	m, err := cluster.NewManager(cluster.BuiltinStack(), func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if err := m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": "host1"}}); err != nil {
		t.Fatal(err)
	}
	sim := cluster.NewSim()
	for range 8 { // a sample every minute from 1360610100 to 1360610520
		if err := m.Sample(context.Background(), "c1", sim); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
	}
	srv := httptest.NewServer(server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, cluster.Execution{Driver: sim})))
	t.Cleanup(srv.Close)
	times := func(r response, category, name string) []float64 {
		t.Helper()
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
		var out []float64
		for _, p := range r.body["metrics"].(map[string]any)[category].(map[string]any)[name].([]any) {
			pair := p.([]any) // [value, timestamp]
			out = append(out, pair[1].(float64))
		}
		return out
	}

	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/host1?fields=metrics/cpu/cpu_idle[1360610225]", "")
	if diff := cmp.Diff([]float64{1360610280, 1360610340, 1360610400, 1360610460, 1360610520}, times(r, "cpu", "cpu_idle")); diff != "" {
		t.Errorf("from a start time (-want +got)\n%s", diff)
	}
	if _, ok := r.body["metrics"].(map[string]any)["cpu"].(map[string]any)["cpu_user"]; ok {
		t.Errorf("a property was asked for, but the category came: %s", r.raw)
	}

	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts/host1?fields=metrics/cpu[1360610200,1360610500,120]", "")
	want := []float64{1360610280, 1360610400, 1360610460} // the last point of each step
	for _, name := range []string{"cpu_idle", "cpu_user"} {
		if diff := cmp.Diff(want, times(r, "cpu", name)); diff != "" {
			t.Errorf("category with start, end and step: %s (-want +got)\n%s", name, diff)
		}
	}

	// The same on a collection, whose items are otherwise written straight
	// from the records; without a time range, the latest value.
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?fields=metrics/cpu/cpu_idle[1360610200,1360610500,120]", "")
	if r.status != 200 || len(r.body["items"].([]any)) != 1 {
		t.Fatalf("collection: %d %s", r.status, r.raw)
	}
	r.body = r.body["items"].([]any)[0].(map[string]any)
	if diff := cmp.Diff(want, times(r, "cpu", "cpu_idle")); diff != "" {
		t.Errorf("collection, with a time range (-want +got)\n%s", diff)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?fields=metrics/cpu/cpu_idle", "")
	item := r.body["items"].([]any)[0].(map[string]any)
	if _, ok := item["metrics"].(map[string]any)["cpu"].(map[string]any)["cpu_idle"].(float64); !ok {
		t.Errorf("collection, without a time range: %s", r.raw)
	}
}

// TestSeedMoreExamples runs the rest of the Ambari API document's examples:
// creating several hosts in one request, the additional partial response
// examples, expanding a collection, component metrics (with the predicate
// !metrics/jvm.isEmpty()), and the error responses.
func TestSeedMoreExamples(t *testing.T) {
	srv, m := fixture(t)
	register(t, srv, "host1", "host2", "host3") // their agents registered them
	r := do(t, srv, "POST", "/api/v1/clusters/c1/hosts/", `[
	  {"Hosts": {"cluster_name": "c1", "host_name": "host1"}},
	  {"Hosts": {"cluster_name": "c1", "host_name": "host2"}},
	  {"Hosts": {"cluster_name": "c1", "host_name": "host3"}}]`)
	if r.status != 201 {
		t.Fatalf("POST of three hosts = %d %s", r.status, r.raw)
	}
	if diff := cmp.Diff([]string{"h1", "h2", "h3", "host1", "host2", "host3"}, hostNames(t, do(t, srv, "GET", "/api/v1/clusters/c1/hosts", ""))); diff != "" {
		t.Errorf("hosts (-want +got)\n%s", diff)
	}

	// For each cluster: its name, its hosts' names and its services' names.
	r = do(t, srv, "GET", "/api/v1/clusters?fields=Clusters/cluster_name,hosts/Hosts/host_name,services/ServiceInfo/service_name", "")
	c := r.body["items"].([]any)[0].(map[string]any)
	names := func(list any, category, key string) []string {
		out := []string{}
		for _, it := range list.([]any) {
			out = append(out, it.(map[string]any)[category].(map[string]any)[key].(string))
		}
		return out
	}
	if diff := cmp.Diff([]string{"h1", "h2", "h3", "host1", "host2", "host3"}, names(c["hosts"], "Hosts", "host_name")); diff != "" {
		t.Errorf("clusters' hosts (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ZOOKEEPER"}, names(c["services"], "ServiceInfo", "service_name")); diff != "" {
		t.Errorf("clusters' services (-want +got)\n%s", diff)
	}

	// The host names of a component; the host and component names of a
	// service's host components, two levels down.
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_SERVER?fields=host_components/HostRoles/host_name", "")
	if diff := cmp.Diff([]string{"h1", "h2", "h3"}, names(r.body["host_components"], "HostRoles", "host_name")); diff != "" {
		t.Errorf("a component's host names (-want +got)\n%s", diff)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER?fields=components/host_components/HostRoles/host_name,components/host_components/HostRoles/component_name", "")
	comps := r.body["components"].([]any)
	if len(comps) != 2 {
		t.Fatalf("ZOOKEEPER has %d components: %s", len(comps), r.raw)
	}
	var pairs []string
	for _, comp := range comps {
		for _, hc := range comp.(map[string]any)["host_components"].([]any) {
			roles := hc.(map[string]any)["HostRoles"].(map[string]any)
			pairs = append(pairs, roles["component_name"].(string)+"@"+roles["host_name"].(string))
		}
	}
	if diff := cmp.Diff([]string{"ZOOKEEPER_SERVER@h1", "ZOOKEEPER_SERVER@h2", "ZOOKEEPER_SERVER@h3"}, pairs); diff != "" {
		t.Errorf("a service's host components (-want +got)\n%s", diff)
	}

	// fields=* on a collection expands each item one level.
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?fields=*", "")
	h1 := r.body["items"].([]any)[0].(map[string]any)
	if _, ok := h1["Hosts"].(map[string]any)["os_type"]; !ok || h1["host_components"] == nil {
		t.Errorf("fields=* gives every property and the sub-resources: %v", h1)
	}

	// Metrics: a component's, a category of them, and components that have
	// some (combining a predicate with fields=*).
	sim := cluster.NewSim()
	if err := m.Sample(context.Background(), "c1", sim); err != nil { // nothing runs yet: no JVM metrics
		t.Fatal(err)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER/components?!metrics/jvm.isEmpty()&fields=*", "")
	if items := r.body["items"].([]any); r.status != 200 || len(items) != 0 {
		t.Errorf("components with JVM metrics before any ran: %d %s", r.status, r.raw)
	}
	x := cluster.Execution{Driver: sim}
	id, err := m.Drive(context.Background(), "c1", cluster.Started, nil, "start")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Execute(context.Background(), "c1", id, x); err != nil {
		t.Fatal(err)
	}
	if err := m.Sample(context.Background(), "c1", sim); err != nil {
		t.Fatal(err)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER/components?!metrics/jvm.isEmpty()&fields=*", "")
	items := r.body["items"].([]any)
	if r.status != 200 || len(items) != 1 {
		t.Fatalf("components with JVM metrics: %d %s", r.status, r.raw)
	}
	jvm := items[0].(map[string]any)["metrics"].(map[string]any)["jvm"].(map[string]any)
	if diff := cmp.Diff([]string{"gcCount", "memHeapUsedM"}, slices.Sorted(maps.Keys(jvm))); diff != "" {
		t.Errorf("the expanded component's JVM metrics (-want +got)\n%s", diff)
	}
	for _, f := range []string{"metrics/jvm/gcCount", "metrics/jvm", "metrics/jvm/gcCount,metrics/jvm/memHeapUsedM"} {
		r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_SERVER?fields="+f, "")
		jvm, _ := r.body["metrics"].(map[string]any)["jvm"].(map[string]any)
		if _, ok := jvm["gcCount"].(float64); r.status != 200 || !ok || (f == "metrics/jvm/gcCount") != (len(jvm) == 1) {
			t.Errorf("fields=%s: %d %s", f, r.status, r.raw)
		}
	}

	// Error responses.
	r = do(t, srv, "GET", "/api/v1/clusters/someInvalidCluster", "")
	want := map[string]any{"status": 404.0, "message": "The requested resource doesn't exist: Cluster not found, clusterName=someInvalidCluster"}
	if diff := cmp.Diff(want, r.body); diff != "" || r.status != 404 {
		t.Errorf("404 %d (-want +got)\n%s", r.status, diff)
	}
	r = do(t, srv, "GET", "/api/v1/clusters?fields=foo", "")
	if r.status != 400 || r.body["message"] != "The properties [foo] specified in the request or predicate are not supported for the resource type Cluster." {
		t.Errorf("400 %d %s", r.status, r.raw)
	}
}
