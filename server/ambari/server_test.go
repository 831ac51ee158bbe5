package ambari_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/google/go-cmp/cmp"
)

// fixture serves a cluster c1 with three hosts and ZooKeeper installed.
func fixture(t *testing.T, opts ...server.Option) (*httptest.Server, *cluster.Manager) {
	t.Helper()
	ctx := context.Background()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet))
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
	for i, h := range []string{"h1", "h2", "h3"} {
		must(m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": h, "cpu_count": 2 * (i + 1), "os_type": "centos7"}}))
	}
	must(m.AddService(ctx, "c1", "ZOOKEEPER", nil))
	for _, h := range []string{"h1", "h2", "h3"} {
		must(m.AddHostComponent(ctx, "c1", h, "ZOOKEEPER_SERVER"))
	}
	x := cluster.Execution{Driver: cluster.NewSim()}
	id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
	must(err)
	must(m.Execute(ctx, "c1", id, x))
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	opts = append([]server.Option{server.WithFaces(ambari.Face()), server.WithCluster(m, x), server.WithLogger(quiet),
		server.WithReadCache(16 << 20)}, opts...) // as cmd/ambit serves
	srv := httptest.NewServer(server.New(nil, opts...))
	t.Cleanup(srv.Close)
	return srv, m
}

// register registers hosts with the server, as their agents would, so
// that a test can add them to a cluster.
func register(t *testing.T, srv *httptest.Server, hosts ...string) {
	t.Helper()
	for _, h := range hosts {
		if r := do(t, srv, "POST", "/api/v1/hosts/"+url.PathEscape(h), `{"Hosts":{"cpu_count":2,"os_type":"centos7"}}`); r.status != 201 {
			t.Fatalf("registering %s = %d %s", h, r.status, r.raw)
		}
	}
}

// quiet discards what servers and managers under test log.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func do(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Requested-By", "test")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &r.body)
	}
	return r
}

func TestGetCollection(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?Hosts/cpu_count>=4&fields=Hosts/os_type&page_size=1&sortBy=Hosts/cpu_count.desc", "")
	want := map[string]any{
		"href":      srv.URL + "/api/v1/clusters/c1/hosts?Hosts/cpu_count>=4&fields=Hosts/os_type&page_size=1&sortBy=Hosts/cpu_count.desc",
		"itemTotal": "2",
		"items": []any{map[string]any{
			"href":  srv.URL + "/api/v1/clusters/c1/hosts/h3",
			"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h3", "cpu_count": 6.0, "os_type": "centos7"},
		}},
	}
	if diff := cmp.Diff(want, r.body); diff != "" || r.status != 200 {
		t.Errorf("status %d (-want +got)\n%s", r.status, diff)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(r.raw, "\n  \"href\"") {
		t.Errorf("not pretty-printed with two spaces:\n%s", r.raw)
	}
}

func TestGetInstance(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER?fields=ServiceInfo/state,components", "")
	want := map[string]any{
		"href":        srv.URL + "/api/v1/clusters/c1/services/ZOOKEEPER?fields=ServiceInfo/state,components",
		"ServiceInfo": map[string]any{"cluster_name": "c1", "service_name": "ZOOKEEPER", "state": "INSTALLED"},
		"components": []any{
			map[string]any{"href": srv.URL + "/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_CLIENT",
				"ServiceComponentInfo": map[string]any{"cluster_name": "c1", "service_name": "ZOOKEEPER", "component_name": "ZOOKEEPER_CLIENT"}},
			map[string]any{"href": srv.URL + "/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_SERVER",
				"ServiceComponentInfo": map[string]any{"cluster_name": "c1", "service_name": "ZOOKEEPER", "component_name": "ZOOKEEPER_SERVER"}},
		},
	}
	if diff := cmp.Diff(want, r.body); diff != "" || r.status != 200 {
		t.Errorf("status %d (-want +got)\n%s", r.status, diff)
	}
	// Through a sub-resource mapping.
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_SERVER/host_components", "")
	if items, _ := r.body["items"].([]any); r.status != 200 || len(items) != 3 {
		t.Errorf("host components of a component: %d %v", r.status, r.body)
	}
	// An instance URL with a predicate that matches nothing is 200, empty.
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1?Hosts/cpu_count>100", "")
	if items, ok := r.body["items"].([]any); r.status != 200 || !ok || len(items) != 0 {
		t.Errorf("instance with a non-matching predicate: %d %v", r.status, r.body)
	}
}

func TestErrors(t *testing.T) {
	srv, _ := fixture(t)
	tests := []struct {
		method, path, body string
		status             int
		message            string
	}{
		{"GET", "/api/v1/clusters/nope", "", 404, "The requested resource doesn't exist: Cluster not found, clusterName=nope"},
		{"GET", "/api/v1/clusters/nope/hosts", "", 404, "The requested resource doesn't exist: Cluster not found, clusterName=nope"},
		{"GET", "/api/v1/clusters/c1/hosts?Hosts/foo=1&fields=Hosts/bar", "", 400,
			"The properties [Hosts/bar, Hosts/foo] specified in the request or predicate are not supported for the resource type Host."},
		{"GET", "/api/v1/clusters/c1/hosts?Hosts/cpu_count>=2&", "", 400,
			`Unable to compile query predicate: unexpected end of input at offset 19: expected a property name, "!" or "("`},
		{"GET", "/api/v1/clusters/c1/hosts?page_size=x", "", 400, `Invalid Request: invalid page_size "x": not an integer`},
		{"GET", "/api/v1/clusters/c1/hosts?fields=a[x]", "", 400, `fields item "a[x]" at offset 2: the start of the time range, "x", is not a non-negative integer`},
		{"GET", "/api/v1/clusters/c1/hosts?format=fancy", "", 400, "Invalid Request: Invalid renderer name fancy"},
		{"GET", "/api/v1/nothing", "", 404, "The requested resource doesn't exist: /api/v1/nothing"},
		{"PATCH", "/api/v1/clusters/c1", "", 405, "Method PATCH is not allowed on /api/v1/clusters/c1."},
		{"POST", "/api/v1/clusters/c1/hosts/h9", "{bad", 400, "Invalid request body: invalid character 'b' looking for beginning of object key string at offset 1."},
		{"POST", "/api/v1/clusters/c1", "", 409, "Attempted to create a Cluster which already exists, clusterName=c1"},
		{"PUT", "/api/v1/clusters/c1/hosts/h1", `{"RequestInfo":{"query":"Hosts/nope=1"},"Body":{"Hosts":{"rack_info":"/r"}}}`, 400,
			"The properties [Hosts/nope] specified in the request or predicate are not supported for the resource type Host."},
		{"PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTING"}}`, 400, "STARTING is not a state a component can be asked to reach."},
		{"DELETE", "/api/v1/clusters/c1/hosts/h9", "", 404, "The specified resource doesn't exist: Host not found, clusterName=c1, hostName=h9"},
	}
	for _, tt := range tests {
		r := do(t, srv, tt.method, tt.path, tt.body)
		if r.status != tt.status || r.body["message"] != tt.message || r.body["status"] != float64(tt.status) {
			t.Errorf("%s %s = %d %v\nwant %d %q", tt.method, tt.path, r.status, r.body, tt.status, tt.message)
		}
	}
	r := do(t, srv, "PATCH", "/api/v1/clusters/c1", "")
	if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "PUT") {
		t.Errorf("405 without Allow: %q", allow)
	}
}

func TestStateChangeRunsARequest(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"RequestInfo":{"context":"Start ZooKeeper"},"Body":{"ServiceInfo":{"state":"STARTED"}}}`, "Content-Type", "text/plain")
	want := map[string]any{"href": srv.URL + "/api/v1/clusters/c1/requests/2", "Requests": map[string]any{"id": 2.0, "status": "Accepted"}}
	if diff := cmp.Diff(want, r.body); diff != "" || r.status != 202 {
		t.Fatalf("status %d (-want +got)\n%s", r.status, diff)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := do(t, srv, "GET", "/api/v1/clusters/c1/requests/2", "")
		req := st.body["Requests"].(map[string]any)
		if req["request_status"] == "COMPLETED" {
			if req["request_context"] != "Start ZooKeeper" || req["progress_percent"] != 100.0 {
				t.Errorf("request %v", req)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request did not complete: %v", req)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Nothing to do: 200 with an empty body.
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED"}}`)
	if r.status != 200 || r.raw != "" {
		t.Errorf("a PUT that changes nothing = %d %q", r.status, r.raw)
	}
}

func TestBodiesAsClientsSendThem(t *testing.T) {
	srv, _ := fixture(t)
	register(t, srv, "h4", "h5", "h6", "h7")
	tests := []struct {
		name, path, body string
		ctype            string
	}{
		{"form content type", "/api/v1/clusters/c1/hosts/h4", `{"Hosts":{"cpu_count":"8"}}`, "application/x-www-form-urlencoded"},
		{"no content type", "/api/v1/clusters/c1/hosts/h5", `{"Hosts":{"cpu_count":8}}`, ""},
		{"double encoded", "/api/v1/clusters/c1/hosts/h6", `"{\"Hosts\":{\"cpu_count\":8}}"`, "application/json"},
		{"empty", "/api/v1/clusters/c1/hosts/h7", ``, "text/plain"},
	}
	for _, tt := range tests {
		r := do(t, srv, "POST", tt.path, tt.body, "Content-Type", tt.ctype)
		if r.status != 201 {
			t.Errorf("%s: %d %s", tt.name, r.status, r.raw)
		}
	}
	r := do(t, srv, "POST", "/api/v1/clusters/c1/configurations", `{"type":"zoo.cfg","tag":"v2","properties":{"tickTime":"3000"}},{"type":"core-site","tag":"v1","properties":{}}`)
	if r.status != 201 {
		t.Errorf("objects without brackets: %d %s", r.status, r.raw)
	}
	r = do(t, srv, "PUT", "/api/v1/clusters/c1", `{"Clusters":{"desired_config":{"type":"zoo.cfg","tag":"v2"}}}`)
	if r.status != 200 {
		t.Fatalf("desired_config: %d %s", r.status, r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1?fields=Clusters/desired_configs", "")
	dc := r.body["Clusters"].(map[string]any)["desired_configs"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"tag": "v2", "version": 2.0}, dc["zoo.cfg"]); diff != "" {
		t.Errorf("desired configs (-want +got)\n%s", diff)
	}
}

func TestAuthAndCSRF(t *testing.T) {
	admin, _ := server.NewUser("secret", server.Administrator)
	reader, _ := server.NewUser("look", server.ReadOnly)
	srv, _ := fixture(t, server.WithUsers(server.Users{"admin": admin, "reader": reader}))
	get := func(user, pass string) int {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/clusters", nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		return resp.StatusCode
	}
	for _, tt := range []struct {
		user, pass string
		want       int
	}{{"", "", 401}, {"admin", "wrong", 401}, {"nobody", "secret", 401}, {"admin", "secret", 200}, {"admin", "secret", 200}, {"reader", "look", 200}} {
		if got := get(tt.user, tt.pass); got != tt.want {
			t.Errorf("GET as %q/%q = %d, want %d", tt.user, tt.pass, got, tt.want)
		}
	}
	write := func(user, pass, csrf string) int {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/clusters/c2", nil)
		req.SetBasicAuth(user, pass)
		if csrf != "" {
			req.Header.Set("X-Requested-By", csrf)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := write("reader", "look", "x"); got != 403 {
		t.Errorf("a read-only write = %d, want 403", got)
	}
	if got := write("admin", "secret", ""); got != 400 {
		t.Errorf("a write without X-Requested-By = %d, want 400", got)
	}
	if got := write("admin", "secret", "x"); got != 201 {
		t.Errorf("an admin write = %d, want 201", got)
	}
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("/healthz: %v %v", resp, err)
	}
}

func TestLimitsAndServerInfo(t *testing.T) {
	srv, _ := fixture(t, server.WithMaxBody(64))
	r := do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h9", `{"Hosts":{"rack_info":"`+strings.Repeat("x", 100)+`"}}`)
	if r.status != 413 {
		t.Errorf("a body over the limit = %d %s", r.status, r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/services/AMBARI/components/AMBARI_SERVER", "")
	if v := r.body["RootServiceComponents"].(map[string]any)["component_version"]; v != ambari.Version {
		t.Errorf("version %v", v)
	}
}

func TestETagAndIfMatch(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", "")
	etag := r.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on an instance")
	}
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{"rack_info":"/r1"}}`, "If-Match", etag); r.status != 200 {
		t.Fatalf("PUT with the current ETag = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{"rack_info":"/r2"}}`, "If-Match", etag); r.status != 412 {
		t.Errorf("PUT with a stale ETag = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1/hosts/h1", "", "If-Match", etag); r.status != 412 {
		t.Errorf("DELETE with a stale ETag = %d %s", r.status, r.raw)
	}
	fresh := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", "").header.Get("ETag")
	if fresh == etag {
		t.Error("the ETag did not change with the resource")
	}
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1/hosts/h1", "", "If-Match", fresh); r.status != 200 {
		t.Errorf("DELETE with the current ETag = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", ""); r.status != 404 {
		t.Errorf("GET after DELETE = %d", r.status)
	}
}

// TestWaitForChange follows a request with ambit's long-poll extension
// instead of polling.
func TestWaitForChange(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED"}}`)
	if r.status != 202 {
		t.Fatalf("PUT = %d %s", r.status, r.raw)
	}
	etag := ""
	for i := 0; i < 100; i++ {
		st := do(t, srv, "GET", "/api/v1/clusters/c1/requests/2", "", "X-Ambit-Wait", "10s", "If-None-Match", etag)
		if st.status != 200 {
			t.Fatalf("GET = %d %s", st.status, st.raw)
		}
		if st.body["Requests"].(map[string]any)["request_status"] == "COMPLETED" {
			return
		}
		etag = st.header.Get("ETag")
	}
	t.Fatal("the request did not complete within 100 waits")
}

func TestURLLimitAndPanics(t *testing.T) {
	srv, _ := fixture(t, server.WithMaxURL(100))
	r := do(t, srv, "GET", "/api/v1/clusters?Clusters/cluster_name.in("+strings.Repeat("c,", 60)+"c)", "")
	if r.status != 414 || r.body["status"] != 414.0 {
		t.Errorf("a long URL = %d %s", r.status, r.raw)
	}

	// A panic in a handler is a 500 in the envelope, with no internal text.
	store, err := resource.New(resource.Type{Name: "Bomb", Collection: "bombs", Keys: []string{"Bombs/name"},
		Hooks: resource.Hooks{Created: func(*resource.Tx, resource.Resource) error { panic("secret internals") }}})
	if err != nil {
		t.Fatal(err)
	}
	bombs := httptest.NewServer(server.New(store, server.WithFaces(ambari.Face()), server.WithoutCSRF(), server.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))))
	defer bombs.Close()
	r = do(t, bombs, "POST", "/api/v1/bombs/b1", "")
	if r.status != 500 || r.body["message"] != "An internal error occurred." || strings.Contains(r.raw, "secret") {
		t.Errorf("a panic = %d %s", r.status, r.raw)
	}
	if r := do(t, bombs, "GET", "/api/v1/bombs", ""); r.status != 200 {
		t.Errorf("the server does not serve after a panic: %d", r.status)
	}
}

// TestBatchRunsInOrder posts a batch whose elements carry their own
// RequestInfo: every element runs, in array order, and reports its outcome.
func TestBatchRunsInOrder(t *testing.T) {
	srv, _ := fixture(t)
	register(t, srv, "h7", "h8")
	r := do(t, srv, "POST", "/api/v1/clusters/c1/hosts", `[
		{"RequestInfo":{"context":"first"},"Body":{"Hosts":{"host_name":"h7"}}},
		{"RequestInfo":{"context":"duplicate"},"Body":{"Hosts":{"host_name":"h1"}}},
		{"RequestInfo":{"context":"after the failure"},"Body":{"Hosts":{"host_name":"h8"}}}
	]`)
	if r.status != 200 {
		t.Fatalf("batch = %d %s", r.status, r.raw)
	}
	var statuses []float64
	for _, it := range r.body["items"].([]any) {
		statuses = append(statuses, it.(map[string]any)["status"].(float64))
	}
	if diff := cmp.Diff([]float64{201, 409, 201}, statuses); diff != "" {
		t.Errorf("outcomes (-want +got)\n%s", diff)
	}
	for _, h := range []string{"h7", "h8"} {
		if got := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/"+h, ""); got.status != 200 {
			t.Errorf("%s was not created: %d", h, got.status)
		}
	}
}

// TestPutSeveralBodies checks that a PUT of several property maps without
// RequestInfo applies each, in order, rather than the first alone.
func TestPutSeveralBodies(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h1", `[{"Hosts":{"rack_info":"/r1"}},{"Hosts":{"ip":"10.0.0.1"}},{"Hosts":{"rack_info":"/r2"}}]`)
	if r.status != 200 {
		t.Fatalf("PUT = %d %s", r.status, r.raw)
	}
	got := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1?fields=Hosts/rack_info,Hosts/ip", "").body["Hosts"].(map[string]any)
	if got["rack_info"] != "/r2" || got["ip"] != "10.0.0.1" {
		t.Errorf("after three property maps: %v", got)
	}
}

func TestQueryCreate(t *testing.T) {
	srv, _ := fixture(t)
	// Configurations under every cluster named c1 (one here).
	r := do(t, srv, "POST", "/api/v1/clusters?Clusters/cluster_name=c1",
		`{"configurations":[{"Config":{"id":"x:1"},"type":"x","tag":"1"},{"Config":{"id":"y:1"},"type":"y","tag":"1"}]}`)
	if r.status != 201 {
		t.Fatalf("query-create = %d %s", r.status, r.raw)
	}
	if got := do(t, srv, "GET", "/api/v1/clusters/c1/configurations/y:1", ""); got.status != 200 {
		t.Errorf("the created configuration: %d", got.status)
	}
	if r := do(t, srv, "POST", "/api/v1/clusters?Clusters/cluster_name=nope", `{"configurations":[{"Config":{"id":"z:1"}}]}`); r.status != 200 {
		t.Errorf("no parent matches: %d", r.status)
	}
	for body, msg := range map[string]string{
		`{}`:                                  "Invalid Request: A minimum of one sub-resource must be specified for creation.",
		`{"configurations":[],"requests":[]}`: "Invalid Request: Multiple sub-resource types may not be created in the same request.",
		`{"widgets":[{}]}`:                    "Invalid Request: The specified sub-resource name is not valid: 'widgets'.",
	} {
		r := do(t, srv, "POST", "/api/v1/clusters?Clusters/cluster_name=c1", body)
		if r.status != 400 || r.body["message"] != msg {
			t.Errorf("%s = %d %v", body, r.status, r.body["message"])
		}
	}
}

func TestHrefs(t *testing.T) {
	srv, _ := fixture(t, server.WithExternalURL("https://ambari.example.com/"))
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?fields=Hosts/host_name&page_size=1", "")
	item := r.body["items"].([]any)[0].(map[string]any)
	if item["href"] != "https://ambari.example.com/api/v1/clusters/c1/hosts/h1" {
		t.Errorf("external URL: %v", item["href"])
	}
	proxied, _ := fixture(t, server.TrustForwarded())
	r = do(t, proxied, "GET", "/api/v1/clusters/c1", "", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "front:8443")
	if r.body["href"] != "https://front:8443/api/v1/clusters/c1" {
		t.Errorf("forwarded: %v", r.body["href"])
	}
	plain, _ := fixture(t)
	r = do(t, plain, "GET", "/api/v1/clusters/c1", "", "X-Forwarded-Host", "evil")
	if strings.Contains(r.body["href"].(string), "evil") {
		t.Errorf("forwarded headers trusted by default: %v", r.body["href"])
	}
}

func TestLoadUsers(t *testing.T) {
	hash, _ := server.NewUser("pw", server.ReadOnly)
	users, err := server.LoadUsers(strings.NewReader("\n# comment\nbob:" + string(hash.Hash) + ":read-only\n"))
	if err != nil || users["bob"].Role != server.ReadOnly {
		t.Fatalf("LoadUsers = %v, %v", users, err)
	}
	for _, bad := range []string{"bob", "bob:x:admin", "bob:" + string(hash.Hash) + ":root", ":" + string(hash.Hash) + ":admin"} {
		if _, err := server.LoadUsers(strings.NewReader(bad)); err == nil {
			t.Errorf("LoadUsers(%q) accepted it", bad)
		}
	}
}

func TestConfiguredLimits(t *testing.T) {
	srv, _ := fixture(t, server.WithLimits(query.Limits{MaxDepth: 2}), server.WithMaxPageSize(50))
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?(((Hosts/cpu_count=2)))", "")
	if r.status != 400 || !strings.Contains(r.body["message"].(string), "brackets nest deeper than the limit of 2") {
		t.Errorf("deep predicate = %d %v", r.status, r.body["message"])
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?page_size=51", "")
	if r.status != 400 || r.body["message"] != `Invalid Request: invalid page_size "51": larger than the maximum page size of 50` {
		t.Errorf("page size = %d %v", r.status, r.body["message"])
	}
}
