package ohara_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/ohara"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture serves Ohara's face beside Ambari's: alice operates the groups
// default and g1, rita reads default.
func fixture(t *testing.T, opts ...ohara.Option) (*httptest.Server, *cluster.Manager) {
	t.Helper()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(ohara.Types()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(t.Context()) })
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	users := server.Users{
		"alice": {Hash: h, Role: server.Operator, Grants: []string{"default", "g1"}},
		"rita":  {Hash: h, Role: server.ReadOnly, Grants: []string{"default"}},
	}
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}),
		server.WithFaces(ambari.Face(), ohara.Face(opts...)), server.WithUsers(users), server.WithLogger(quiet), server.WithoutCSRF(),
		server.WithReadCache(16<<20))) // as cmd/ambit serves
	t.Cleanup(srv.Close)
	return srv, m
}

type answer struct {
	status int
	raw    string
	body   any
}

func (a answer) obj() map[string]any { m, _ := a.body.(map[string]any); return m }

// call sends what Ohara's clients send: JSON, no credentials unless user
// is named.
func call(t *testing.T, srv *httptest.Server, user, method, path, body string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.SetBasicAuth(user, "pw")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("%s %s: not JSON: %q", method, path, raw)
		}
	}
	return a
}

// fails checks Ohara's error envelope.
func fails(t *testing.T, a answer, status int, code string) {
	t.Helper()
	if a.status != status || a.obj()["code"] != code || a.obj()["message"] == "" {
		t.Errorf("= %d %s, want %d %s", a.status, a.raw, status, code)
	}
}

func ok(t *testing.T, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("= %d %s, want %d", a.status, a.raw, status)
	}
}

// TestLifecycle runs zookeeper, broker and worker clusters through their
// lives as Ohara's manager drives them.
func TestLifecycle(t *testing.T) {
	srv, m := fixture(t)
	do := func(method, path, body string) answer { t.Helper(); return call(t, srv, "alice", method, path, body) }
	for _, n := range []string{"n1", "n2", "n3"} {
		node := do("POST", "/v0/nodes", `{"hostname":"`+n+`","port":22,"user":"ohara","password":"secret"}`)
		ok(t, node, 200)
		if _, leaked := node.obj()["password"]; leaked || node.obj()["state"] != "AVAILABLE" {
			t.Errorf("node = %s", node.raw)
		}
	}
	ok(t, do("POST", "/v0/zookeepers", `{"name":"zk","nodeNames":["n1"],"tickTime":3000}`), 200)
	bk := do("POST", "/v0/brokers", `{"name":"bk","nodeNames":["n1","n2"],"zookeeperClusterKey":"zk","num.partitions":3}`)
	ok(t, bk, 200)
	if bk.obj()["num.partitions"] != 3.0 || bk.obj()["log.dirs"] != "/var/lib/kafka" || bk.obj()["state"] != nil {
		t.Errorf("broker = %s: want the dotted override, the stack's defaults, no state", bk.raw)
	}
	ok(t, do("POST", "/v0/workers", `{"name":"wk","nodeNames":["n3"],"brokerClusterKey":{"group":"default","name":"bk"}}`), 200)

	fails(t, do("PUT", "/v0/brokers/bk/start", ""), 409, "IllegalStateException") // its zookeeper is not running
	steps := []struct {
		path  string
		state any
		alive []any
	}{
		{"zookeepers/zk", "RUNNING", []any{"n1"}},
		{"brokers/bk", "RUNNING", []any{"n1", "n2"}},
		{"workers/wk", "RUNNING", []any{"n3"}},
	}
	for _, s := range steps {
		start := do("PUT", "/v0/"+s.path+"/start", "")
		if start.status != 202 || start.raw != "" {
			t.Fatalf("start %s = %d %q, want 202 and no body", s.path, start.status, start.raw)
		}
		got := do("GET", "/v0/"+s.path, "").obj()
		if got["state"] != s.state || !cmp.Equal(got["aliveNodes"], s.alive) {
			t.Errorf("%s after start: state %v alive %v", s.path, got["state"], got["aliveNodes"])
		}
	}
	// The settings took effect in the domain's configurations.
	for typ, want := range map[string][2]string{"zoo.cfg": {"tickTime", "3000"}, "kafka-broker": {"num.partitions", "3"}} {
		res, err := m.Store().List(t.Context(), resource.Query{Type: cluster.Configurations, Instance: true, Page: paging.Request{Size: paging.All},
			Scope: map[string]string{"type": typ}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range res.Items {
			if props, _ := c["properties"].(map[string]any); props[want[0]] == want[1] {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s configuration with %s=%s", typ, want[0], want[1])
		}
	}
	// The same clusters through the Ambari face, as services of the
	// group's cluster.
	svcs := call(t, srv, "alice", "GET", "/api/v1/clusters/ohara/services?fields=ServiceInfo/state", "").obj()
	var states []string
	for _, it := range svcs["items"].([]any) {
		info := it.(map[string]any)["ServiceInfo"].(map[string]any)
		states = append(states, info["service_name"].(string)+" "+info["state"].(string))
	}
	if diff := cmp.Diff([]string{"KAFKA STARTED", "KAFKA_CONNECT STARTED", "ZOOKEEPER STARTED"}, states); diff != "" {
		t.Errorf("Ambari's view (-want +got)\n%s", diff)
	}

	fails(t, do("PUT", "/v0/zookeepers/zk/stop", ""), 409, "IllegalStateException") // a broker runs on it
	fails(t, do("PUT", "/v0/brokers/bk/stop", ""), 409, "IllegalStateException")    // a worker runs on it
	fails(t, do("DELETE", "/v0/zookeepers/zk", ""), 409, "IllegalStateException")   // running
	fails(t, do("PUT", "/v0/brokers/bk", `{"num.partitions":5}`), 409, "IllegalStateException")

	ok(t, do("PUT", "/v0/brokers/bk/n3", ""), 202)
	if alive := do("GET", "/v0/brokers/bk", "").obj()["aliveNodes"]; !cmp.Equal(alive, []any{"n1", "n2", "n3"}) {
		t.Errorf("after adding n3: %v", alive)
	}
	ok(t, do("DELETE", "/v0/brokers/bk/n3", ""), 204)
	got := do("GET", "/v0/brokers/bk", "").obj()
	if !cmp.Equal(got["aliveNodes"], []any{"n1", "n2"}) || !cmp.Equal(got["nodeNames"], []any{"n1", "n2"}) {
		t.Errorf("after removing n3: alive %v nodes %v", got["aliveNodes"], got["nodeNames"])
	}
	if list := do("GET", "/v0/brokers?state=RUNNING", "").body.([]any); len(list) != 1 {
		t.Errorf("running brokers: %v", list)
	}
	fails(t, do("DELETE", "/v0/nodes/n1", ""), 409, "IllegalStateException") // clusters use it

	for _, p := range []string{"workers/wk", "brokers/bk", "zookeepers/zk"} {
		ok(t, do("PUT", "/v0/"+p+"/stop", ""), 202)
		if st, has := do("GET", "/v0/"+p, "").obj()["state"]; has {
			t.Errorf("%s after stop: state %v", p, st)
		}
	}
	if list := do("GET", "/v0/brokers?state=RUNNING", "").body.([]any); len(list) != 0 {
		t.Errorf("running brokers after the stops: %v", list)
	}
	fails(t, do("DELETE", "/v0/zookeepers/zk", ""), 409, "IllegalStateException") // bk still names it
	for _, p := range []string{"workers/wk", "brokers/bk", "zookeepers/zk", "zookeepers/zk"} {
		ok(t, do("DELETE", "/v0/"+p, ""), 204)
	}
	ok(t, do("DELETE", "/v0/nodes/n1", ""), 204)
	if nodes := do("GET", "/v0/nodes", "").body.([]any); len(nodes) != 2 {
		t.Errorf("nodes left: %v", nodes)
	}
}

func TestErrors(t *testing.T) {
	srv, _ := fixture(t)
	ok(t, call(t, srv, "alice", "POST", "/v0/nodes", `{"hostname":"n1"}`), 200)
	tests := []struct {
		name, user, method, path, body string
		header                         []string
		status                         int
		code                           string
	}{
		{"not JSON", "alice", "POST", "/v0/zookeepers", "{", nil, 400, "IllegalArgumentException"},
		{"not a JSON Content-Type", "alice", "POST", "/v0/zookeepers", "name=zk", []string{"Content-Type", "text/plain"}, 415, "IllegalArgumentException"},
		{"a bad name", "alice", "POST", "/v0/zookeepers", `{"name":"ZK","nodeNames":["n1"]}`, nil, 400, "IllegalArgumentException"},
		{"no nodes", "alice", "POST", "/v0/zookeepers", `{"name":"zk"}`, nil, 400, "IllegalArgumentException"},
		{"an unknown node", "alice", "POST", "/v0/zookeepers", `{"name":"zk","nodeNames":["n9"]}`, nil, 404, "NoSuchElementException"},
		{"a missing zookeeper", "alice", "POST", "/v0/brokers", `{"name":"bk","nodeNames":["n1"],"zookeeperClusterKey":"zk"}`, nil, 404, "NoSuchElementException"},
		{"a missing cluster", "alice", "GET", "/v0/zookeepers/nope", "", nil, 404, "NoSuchElementException"},
		{"a group not granted", "alice", "GET", "/v0/zookeepers/zk?group=g2", "", nil, 404, "NoSuchElementException"},
		{"a reader writes", "rita", "POST", "/v0/zookeepers", `{"name":"zk","nodeNames":["n1"]}`, nil, 403, "ForbiddenException"},
		{"no credentials", "", "GET", "/v0/nodes", "", nil, 401, "UnauthorizedException"},
		{"inspect nothing", "alice", "GET", "/v0/inspect/stream", "", nil, 404, "NoSuchElementException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, srv, tt.user, tt.method, tt.path, tt.body, tt.header...)
			fails(t, a, tt.status, tt.code)
			if _, has := a.obj()["stack"]; has {
				t.Errorf("a stack outside debug mode: %s", a.raw)
			}
		})
	}
	debug, _ := fixture(t, ohara.WithDebug())
	if a := call(t, debug, "alice", "GET", "/v0/zookeepers/nope", ""); !strings.Contains(a.obj()["stack"].(string), "NoSuchElementException") {
		t.Errorf("debug mode's error = %s, want a stack", a.raw)
	}
}

func TestInspect(t *testing.T) {
	srv, _ := fixture(t)
	in := call(t, srv, "alice", "GET", "/v0/inspect/broker", "").obj()
	if in["imageName"] == "" {
		t.Errorf("no image: %v", in)
	}
	defs := map[string]map[string]any{}
	for _, d := range in["settingDefinitions"].([]any) {
		defs[d.(map[string]any)["key"].(string)] = d.(map[string]any)
	}
	for key, want := range map[string][2]any{"num.partitions": {"POSITIVE_INT", 1.0}, "log.dirs": {"STRING", "/var/lib/kafka"},
		"zookeeperClusterKey": {"OBJECT_KEY", nil}, "nodeNames": {"ARRAY", nil}} {
		d := defs[key]
		if d == nil || d["valueType"] != want[0] || d["defaultValue"] != want[1] {
			t.Errorf("%s: %v, want %v", key, d, want)
		}
	}
	if mode := call(t, srv, "alice", "GET", "/v0/inspect/configurator", "").obj()["mode"]; mode != "FAKE" {
		t.Errorf("configurator mode %v", mode)
	}
}

// TestAnonymous: Ohara's clients send no credentials; the option serves
// them as a named user, with that user's grants.
func TestAnonymous(t *testing.T) {
	srv, _ := fixture(t, ohara.WithAnonymous("alice"))
	ok(t, call(t, srv, "", "POST", "/v0/nodes", `{"hostname":"n1"}`), 200)
	ok(t, call(t, srv, "", "POST", "/v0/zookeepers", `{"name":"zk","group":"g1","nodeNames":["n1"]}`), 200)
	fails(t, call(t, srv, "", "POST", "/v0/zookeepers", `{"name":"zk","group":"g2","nodeNames":["n1"]}`), 403, "ForbiddenException")
	if list := call(t, srv, "", "GET", "/v0/zookeepers", "").body.([]any); len(list) != 1 || !slices.Contains([]any{"g1"}, list[0].(map[string]any)["group"]) {
		t.Errorf("zookeepers = %v", list)
	}
	if a := call(t, srv, "", "GET", "/api/v1/clusters", ""); a.status != 401 {
		t.Errorf("the Ambari face without credentials = %d: the option is the Ohara face's", a.status)
	}
}

// TestFailure: a cluster whose start fails is FAILED, with the failed
// task's message as its error.
func TestFailure(t *testing.T) {
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(ohara.Types()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(t.Context()) })
	sim := cluster.NewSim(cluster.Rule{Component: "ZOOKEEPER_SERVER", Command: cluster.Start, ExitCode: 1, Stderr: "port 2181 is in use"})
	srv := httptest.NewServer(server.New(nil, server.WithCluster(m, cluster.Execution{Driver: sim}),
		server.WithFaces(ohara.Face()), server.WithLogger(quiet)))
	t.Cleanup(srv.Close)
	ok(t, call(t, srv, "", "POST", "/v0/nodes", `{"hostname":"n1"}`), 200)
	ok(t, call(t, srv, "", "POST", "/v0/zookeepers", `{"name":"zk","nodeNames":["n1"]}`), 200)
	ok(t, call(t, srv, "", "PUT", "/v0/zookeepers/zk/start", ""), 202)
	zk := call(t, srv, "", "GET", "/v0/zookeepers/zk", "").obj()
	if zk["state"] != "FAILED" || !strings.Contains(zk["error"].(string), "port 2181 is in use") {
		t.Errorf("a failed start: state %v error %v", zk["state"], zk["error"])
	}
}
