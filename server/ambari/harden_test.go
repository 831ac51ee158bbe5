package ambari_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/google/go-cmp/cmp"
)

// badRequest is one request a client gets wrong, and what it must be told.
type badRequest struct {
	name               string
	method, path, body string
	header             []string
	status             int
	message            string // a part of the message
	field              string // the offending parameter or field, when one is named
}

func (tt badRequest) run(t *testing.T, srv *httptest.Server) {
	t.Helper()
	r := do(t, srv, tt.method, tt.path, tt.body, tt.header...)
	msg, _ := r.body["message"].(string)
	if r.status != tt.status || !strings.Contains(msg, tt.message) {
		t.Errorf("%s %s = %d %s\nwant %d with %q", tt.method, tt.path, r.status, r.raw, tt.status, tt.message)
	}
	if tt.field != "" && r.body["field"] != tt.field {
		t.Errorf("field = %v, want %s", r.body["field"], tt.field)
	}
	for _, leak := range []string{"Go value", "interface {}", "map[string]", "runtime error", "json: "} {
		if strings.Contains(r.raw, leak) {
			t.Errorf("the answer shows Go's internals (%q): %s", leak, r.raw)
		}
	}
}

// TestBadInputIsAClearError runs the catalogue of bad inputs that used to
// crash the server, answer 500, or be accepted silently.
func TestBadInputIsAClearError(t *testing.T) {
	srv, _ := fixture(t)
	many := "[" + strings.Repeat(`{"Hosts":{"rack_info":"/r"}},`, server.DefaultMaxBatch) + `{"Hosts":{"rack_info":"/r"}}]`
	for _, tt := range []badRequest{
		// Numbers the client chose.
		{"huge page to the end", "GET", "/api/v1/clusters/c1/hosts?page_size=1099511627776&to=end", "", nil, 400, "larger than the maximum page size of 10000", "page_size"},
		{"page beyond int", "GET", "/api/v1/clusters/c1/hosts?page_size=4611686018427387904&to=end", "", nil, 400, "larger than the maximum page size", "page_size"},
		{"batch beyond the limit", "PUT", "/api/v1/clusters/c1/hosts", many, nil, 400, "more than the limit of 1000 elements", "body"},
		// Bodies.
		{"empty JSON string", "PUT", "/api/v1/clusters/c1/hosts/h1", `""`, nil, 400, "A PUT needs a body", "body"},
		{"blank JSON string", "PUT", "/api/v1/clusters/c1/hosts/h1", `"   "`, nil, 400, "A PUT needs a body", "body"},
		{"a number", "PUT", "/api/v1/clusters/c1/hosts/h1", `5`, nil, 400, "must be a JSON object, not a number at offset 0", "body"},
		{"an array of numbers", "PUT", "/api/v1/clusters/c1/hosts/h1", `[1]`, nil, 400, "must be a JSON object, not a number at offset 1", "body"},
		{"a number after an object", "PUT", "/api/v1/clusters/c1/hosts", `[{"Hosts":{}}, 5]`, nil, 400, "not a number at offset 15", "body"},
		{"a boolean", "POST", "/api/v1/clusters/c1/hosts/h9", `  true`, nil, 400, "not a boolean at offset 2", "body"},
		{"syntax error offset", "POST", "/api/v1/clusters/c1/hosts/h9", `{"Hosts": {"ip": x}}`, nil, 400, "at offset 17", "body"},
		{"syntax error in a bare list", "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{}},{bad}`, nil, 400, "invalid character 'b' looking for beginning of object key string at offset 14", "body"},
		{"truncated", "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{`, nil, 400, "unexpected end of JSON input at offset 10", "body"},
		{"trailing text", "PUT", "/api/v1/clusters/c1/hosts/h1", `[{"Hosts":{}}] x`, nil, 400, "invalid character 'x' after top-level value at offset 15", "body"},
		{"invalid UTF-8", "PUT", "/api/v1/clusters/c1/hosts/h1", "{\"Hosts\":{\"rack_info\":\"/r\xff\"}}", nil, 400, "not valid UTF-8 at offset 25", "body"},
		{"duplicate keys", "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{"rack_info":"/a", "rack_info":"/b"}}`, nil, 400, `the key "rack_info" is given twice in one object at offset 28`, "body"},
		{"RequestInfo not an object", "PUT", "/api/v1/clusters/c1/hosts/h1", `{"RequestInfo":"x","Hosts":{}}`, nil, 400, "RequestInfo must be a JSON object, not a string", "RequestInfo"},
		{"invalid UTF-8 in an id", "POST", "/api/v1/clusters/%FF%FE", "", nil, 400, "is not valid UTF-8", "path"},
		{"properties not a map", "POST", "/api/v1/clusters/c1/configurations", `{"type":"zoo.cfg","tag":"t9","properties":"notamap"}`, nil, 400, "properties must be a JSON object of strings", "properties"},
		{"a property that is an object", "POST", "/api/v1/clusters/c1/configurations", `{"type":"zoo.cfg","tag":"t9","properties":{"a":{"b":1}}}`, nil, 400, "properties/a must be a string", "properties/a"},
		// Parameters and headers.
		{"from with to", "GET", "/api/v1/clusters/c1/hosts?from=1&to=2", "", nil, 400, "cannot be combined with to", "from"},
		{"a fields error keeps its offset", "GET", "/api/v1/clusters/c1/hosts?fields=Hosts/ip,Hosts/x[1,2,3,4]", "", nil, 400, "at offset 17", "fields"},
		{"negative page", "GET", "/api/v1/clusters/c1/hosts?page_size=-1", "", nil, 400, "must not be negative", "page_size"},
		{"minimal_response=maybe", "GET", "/api/v1/clusters/c1/hosts?minimal_response=maybe", "", nil, 400, "minimal_response", "minimal_response"},
		{"a wait that is no duration", "GET", "/api/v1/clusters/c1/requests/1", "", []string{"X-Ambit-Wait", "soon"}, 400, "not a positive duration", "X-Ambit-Wait"},
		{"a wait with an ETag, no duration", "GET", "/api/v1/clusters/c1/requests/1", "", []string{"X-Ambit-Wait", "soon", "If-None-Match", `"3"`}, 400, "not a positive duration", "X-Ambit-Wait"},
		// The domain's rules.
		{"a stack that is not loaded", "POST", "/api/v1/clusters/c2", `{"Clusters":{"version":"HDP-2.6"}}`, nil, 400, "The stack version HDP-2.6 is not loaded", "Clusters/version"},
		{"PUT on the clusters collection", "PUT", "/api/v1/clusters?Clusters/cluster_name=c1", `{"Clusters":{"version":"x"}}`, nil, 400, "The stack version x is not loaded", "Clusters/version"},
		{"a service not in the stack", "POST", "/api/v1/clusters/c1/services", `{"ServiceInfo":{"service_name":"NO_SUCH_SERVICE"}}`, nil, 400, "The service NO_SUCH_SERVICE is not in the stack", "ServiceInfo/service_name"},
		{"a service without what it requires", "POST", "/api/v1/clusters/c1/services", `{"ServiceInfo":{"service_name":"KAFKA_CONNECT"}}`, nil, 400, "needs the service KAFKA", "ServiceInfo/service_name"},
		{"a host component not in the stack", "POST", "/api/v1/clusters/c1/hosts/h1/host_components", `{"HostRoles":{"component_name":"NOPE"}}`, nil, 400, "The component NOPE is not in the stack", "HostRoles/component_name"},
		{"a host component of a missing service", "POST", "/api/v1/clusters/c1/hosts/h1/host_components/NAMENODE", "", nil, 400, "The service HDFS of the component NAMENODE is not in the cluster c1", "HostRoles/component_name"},
		{"a state set on create", "POST", "/api/v1/clusters/c1/hosts/h1/host_components", `{"HostRoles":{"component_name":"ZOOKEEPER_CLIENT","state":"STARTED"}}`, nil, 400, "[HostRoles/state] of a HostComponent are set by the server", "HostRoles/state"},
		{"a task created directly", "POST", "/api/v1/clusters/c1/requests/1/tasks/99", "", nil, 400, "Tasks are made by changes of state", ""},
		{"a request's progress set", "PUT", "/api/v1/clusters/c1/requests/1", `{"Requests":{"progress_percent":5}}`, nil, 400, "the one change a request takes is Requests/request_status=ABORTED", "Requests/request_status"},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, srv) })
	}
}

// TestPageLimitsAreOptions checks that a server without a page limit pays
// for a huge page only what the data costs.
func TestPageLimitsAreOptions(t *testing.T) {
	srv, _ := fixture(t, server.WithMaxPageSize(0), server.WithMaxBatch(2))
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?page_size=4611686018427387904&to=end&fields=Hosts/host_name", "")
	if items, _ := r.body["items"].([]any); r.status != 200 || len(items) != 3 || r.body["itemTotal"] != "3" {
		t.Errorf("a huge page with no limit = %d %s", r.status, r.raw)
	}
	badRequest{"", "PUT", "/api/v1/clusters/c1/hosts", `[{"Hosts":{}},{"Hosts":{}},{"Hosts":{}}]`, nil, 400, "more than the limit of 2 elements", "body"}.run(t, srv)
	badRequest{"", "POST", "/api/v1/clusters?Clusters/cluster_name=c1", `{"hosts":[{"Hosts":{"host_name":"a"}},{"Hosts":{"host_name":"b"}},{"Hosts":{"host_name":"c"}}]}`,
		nil, 400, "3 resources to create, more than the limit of 2", "body"}.run(t, srv)
}

// TestCreateThroughEveryURLForm creates what the cluster manager owns
// through the URL forms Ambari's clients use; each goes through the
// domain's rules, so what it creates works afterwards.
func TestCreateThroughEveryURLForm(t *testing.T) {
	srv, m := fixture(t)
	status := func(r response, want int, what string) {
		t.Helper()
		if r.status != want {
			t.Fatalf("%s = %d, want %d: %s", what, r.status, want, r.raw)
		}
	}
	status(do(t, srv, "POST", "/api/v1/clusters/c1/services", `{"ServiceInfo":{"service_name":"HDFS"}}`), 201, "POST services, collection form")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h1/host_components", `{"HostRoles":{"component_name":"NAMENODE"}}`), 201, "POST host_components, collection form")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/services/HDFS/components/DATANODE", ""), 201, "POST a component")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/services/HDFS/components/DATANODE", ""), 409, "POST a component again")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/services/HDFS/components/DATANODE/host_components", `{"HostRoles":{"host_name":"h2"}}`), 201, "POST through the component")
	register(t, srv, "h4", "h5", "h6")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/hosts", `[{"Hosts":{"host_name":"h4"}},{"Hosts":{"host_name":"h5"}}]`), 201, "POST two hosts")
	status(do(t, srv, "POST", "/api/v1/clusters?Clusters/cluster_name=c1", `{"hosts":[{"Hosts":{"host_name":"h6"}}]}`), 201, "query-create a host")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h6/host_components", `{"HostRoles":{"component_name":"DATANODE","service_name":"HDFS"}}`), 201, "POST naming the right service")
	status(do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h5/host_components", `{"HostRoles":{"component_name":"DATANODE","service_name":"KAFKA"}}`), 400, "POST naming another service")

	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1/host_components/NAMENODE?fields=HostRoles/service_name", "")
	if got := r.body["HostRoles"].(map[string]any)["service_name"]; got != "HDFS" {
		t.Errorf("service_name = %v", got)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h6?fields=Hosts/last_registration_time", "")
	if _, ok := r.body["Hosts"].(map[string]any)["last_registration_time"].(float64); !ok {
		t.Errorf("a host created by query-create skipped the manager: %s", r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/services/HDFS/components/DATANODE?fields=ServiceComponentInfo/total_count", "")
	if got := r.body["ServiceComponentInfo"].(map[string]any)["total_count"]; got != 2.0 {
		t.Errorf("DATANODE total_count = %v, want 2", got)
	}
	// The host component works: its state changes, and metrics sample.
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h1/host_components/NAMENODE", `{"HostRoles":{"state":"INSTALLED"}}`)
	status(r, 202, "PUT the new NAMENODE's state")
	waitRequest(t, srv, r.body["href"].(string))
	if err := m.Sample(context.Background(), "c1", cluster.NewSim()); err != nil {
		t.Fatal(err)
	}
}

// TestStateChangeOfOddNames drives a host whose name holds predicate
// syntax: the server names host components by reference, not by text.
func TestStateChangeOfOddNames(t *testing.T) {
	srv, _ := fixture(t)
	for _, name := range []string{"a=b", "x|y", "p(q)"} {
		t.Run(name, func(t *testing.T) {
			register(t, srv, name)
			path := "/api/v1/clusters/c1/hosts/" + strings.NewReplacer("=", "%3D", "|", "%7C", "(", "%28", ")", "%29").Replace(name)
			if r := do(t, srv, "POST", path, ""); r.status != 201 {
				t.Fatalf("POST host = %d %s", r.status, r.raw)
			}
			if r := do(t, srv, "POST", path+"/host_components/ZOOKEEPER_CLIENT", ""); r.status != 201 {
				t.Fatalf("POST host component = %d %s", r.status, r.raw)
			}
			r := do(t, srv, "PUT", path+"/host_components/ZOOKEEPER_CLIENT", `{"HostRoles":{"state":"INSTALLED"}}`)
			if r.status != 202 {
				t.Fatalf("PUT state = %d %s, want 202", r.status, r.raw)
			}
			waitRequest(t, srv, r.body["href"].(string))
			r = do(t, srv, "GET", path+"/host_components/ZOOKEEPER_CLIENT?fields=HostRoles/state", "")
			if got := r.body["HostRoles"].(map[string]any)["state"]; got != "INSTALLED" {
				t.Errorf("state = %v, want INSTALLED", got)
			}
		})
	}
}

// TestCollectionWritesAreAllOrNothing writes a collection under an
// If-Match that only one member matches: nothing changes.
func TestCollectionWritesAreAllOrNothing(t *testing.T) {
	srv, _ := fixture(t)
	etag := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", "").header.Get("ETag")
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts", `{"Hosts":{"rack_info":"/moved"}}`, "If-Match", etag)
	if r.status != 412 {
		t.Fatalf("PUT = %d %s, want 412", r.status, r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?fields=Hosts/rack_info&Hosts/rack_info=/moved", "")
	if items := r.body["items"].([]any); len(items) != 0 {
		t.Errorf("a failed collection PUT changed %d hosts", len(items))
	}
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/hosts", `{"Hosts":{"ip":"10.0.0.1"}},{"Hosts":{"rack_info":5}}`)
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?Hosts/ip=10.0.0.1", "")
	if items := r.body["items"].([]any); len(items) != 3 {
		t.Errorf("the good element of a PUT of several maps changed %d hosts, want 3", len(items))
	}
	r = do(t, srv, "DELETE", "/api/v1/clusters/c1/hosts", "", "If-Match", etag)
	if r.status != 412 || len(do(t, srv, "GET", "/api/v1/clusters/c1/hosts", "").body["items"].([]any)) != 3 {
		t.Errorf("DELETE of the collection under If-Match = %d, hosts left changed", r.status)
	}
}

// TestIfMatch follows RFC 9110: strong comparison, lists, and *.
func TestIfMatch(t *testing.T) {
	srv, m := fixture(t)
	etag := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", "").header.Get("ETag")
	for _, tt := range []struct {
		name, ifMatch string
		want          int
	}{
		{"weak", "W/" + etag, 412},
		{"garbage", `"garbage"`, 412},
		{"unquoted", strings.Trim(etag, `"`), 412},
		{"empty", ``, 412},
		{"list without it", `"0", "999999"`, 412},
		{"list with it", `"0", ` + etag, 200},
		{"star", `*`, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cur := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", "").header.Get("ETag")
			header := strings.ReplaceAll(tt.ifMatch, etag, cur)
			r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{"rack_info":"/`+tt.name+`"}}`, "If-Match", header)
			if r.status != tt.want {
				t.Errorf("If-Match %q = %d %s, want %d", header, r.status, r.raw, tt.want)
			}
		})
	}
	// A metrics sample is no change of the resource's state.
	before := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1", "").header.Get("ETag")
	if err := m.Sample(context.Background(), "c1", cluster.NewSim()); err != nil {
		t.Fatal(err)
	}
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts/h1?fields=metrics/cpu/cpu_idle", "")
	if r.header.Get("ETag") != before || r.body["metrics"] == nil {
		t.Errorf("after a sample: ETag %s (was %s), metrics %v", r.header.Get("ETag"), before, r.body["metrics"])
	}
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h1", `{"Hosts":{"rack_info":"/after-sample"}}`, "If-Match", before); r.status != 200 {
		t.Errorf("If-Match after a sample = %d %s", r.status, r.raw)
	}
}

// TestDeletesFollowState refuses to remove what runs, and leaves nothing
// behind when a delete succeeds.
func TestDeletesFollowState(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED"}}`)
	waitRequest(t, srv, r.body["href"].(string))
	for _, tt := range []badRequest{
		{"a started service", "DELETE", "/api/v1/clusters/c1/services/ZOOKEEPER", "", nil, 409, "ZOOKEEPER_SERVER on host h1 is in state STARTED and cannot be removed", ""},
		{"a host with a started component", "DELETE", "/api/v1/clusters/c1/hosts/h2", "", nil, 409, "on host h2 is in state STARTED", ""},
		{"a started host component", "DELETE", "/api/v1/clusters/c1/hosts/h3/host_components/ZOOKEEPER_SERVER", "", nil, 409, "is in state STARTED", ""},
		{"the cluster", "DELETE", "/api/v1/clusters/c1", "", nil, 409, "is in state STARTED", ""},
		{"a desired configuration", "DELETE", "/api/v1/clusters/c1/configurations/zoo.cfg:version1", "", nil, 409, "is desired by the cluster c1", ""},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, srv) })
	}
	r = do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"INSTALLED"}}`)
	waitRequest(t, srv, r.body["href"].(string))
	counts := func() map[string]any {
		r := do(t, srv, "GET", "/api/v1/clusters/c1/services/ZOOKEEPER/components/ZOOKEEPER_SERVER?fields=ServiceComponentInfo/total_count,ServiceComponentInfo/installed_count", "")
		c := r.body["ServiceComponentInfo"].(map[string]any)
		return map[string]any{"total": c["total_count"], "installed": c["installed_count"]}
	}
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1/hosts/h3/host_components/ZOOKEEPER_SERVER", ""); r.status != 200 {
		t.Fatalf("DELETE a stopped host component = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1/hosts/h2", ""); r.status != 200 {
		t.Fatalf("DELETE a host = %d %s", r.status, r.raw)
	}
	if diff := cmp.Diff(map[string]any{"total": 1.0, "installed": 1.0}, counts()); diff != "" {
		t.Errorf("counts after the deletes (-want +got)\n%s", diff)
	}
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1/services/ZOOKEEPER", ""); r.status != 200 {
		t.Fatalf("DELETE the stopped service = %d %s", r.status, r.raw)
	}
	for _, path := range []string{"/api/v1/clusters/c1/hosts/h1/host_components", "/api/v1/clusters/c1/configurations"} {
		if items := do(t, srv, "GET", path, "").body["items"].([]any); len(items) != 0 {
			t.Errorf("%s after the service went: %d left", path, len(items))
		}
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1?fields=Clusters/desired_configs", "")
	if dc := r.body["Clusters"].(map[string]any)["desired_configs"]; len(dc.(map[string]any)) != 0 {
		t.Errorf("desired_configs after the service went: %v", dc)
	}
	if r := do(t, srv, "POST", "/api/v1/clusters/c1/services/ZOOKEEPER", ""); r.status != 201 {
		t.Errorf("adding the service again = %d %s", r.status, r.raw)
	}
}

// TestLongPollBounds answers a wait longer than the server's bound, and
// refuses waiters beyond the limit with Retry-After.
func TestLongPollBounds(t *testing.T) {
	srv, _ := fixture(t, server.WithMaxWait(100*time.Millisecond), server.WithMaxWaiters(1))
	etag := do(t, srv, "GET", "/api/v1/clusters/c1/requests/1", "").header.Get("ETag")
	var wg sync.WaitGroup
	first := make(chan int, 1)
	wg.Go(func() {
		first <- do(t, srv, "GET", "/api/v1/clusters/c1/requests/1", "", "X-Ambit-Wait", "5m", "If-None-Match", etag).status
	})
	time.Sleep(20 * time.Millisecond) // the first is waiting
	r := do(t, srv, "GET", "/api/v1/clusters/c1/requests/1", "", "X-Ambit-Wait", "5m", "If-None-Match", etag)
	if r.status != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("a second waiter = %d (Retry-After %q) %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
	wg.Wait()
	if st := <-first; st != 200 {
		t.Errorf("a wait of 5m under a bound of 100ms = %d", st)
	}
}

// TestFailedLogins limits wrong passwords per client and user, with the
// same answer for unknown users.
func TestFailedLogins(t *testing.T) {
	admin, err := server.NewUser("secret", server.Administrator)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := fixture(t, server.WithUsers(server.Users{"admin": admin}), server.WithLoginLimit(3, time.Hour))
	get := func(user, pass string) response {
		return do(t, srv, "GET", "/api/v1/clusters", "", "Authorization", basic(user, pass))
	}
	if r := get("admin", "secret"); r.status != 200 {
		t.Fatalf("the right password = %d", r.status)
	}
	for i, user := range []string{"admin", "nobody", "admin"} {
		if r := get(user, "wrong"); r.status != 401 {
			t.Errorf("failure %d = %d", i+1, r.status)
		}
	}
	r := get("admin", "wrong")
	if r.status != 429 || r.header.Get("Retry-After") == "" || r.body["status"] != 429.0 {
		t.Errorf("a fourth failure = %d (Retry-After %q) %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
	if r := get("admin", "secret"); r.status != 200 {
		t.Errorf("a password bcrypt verified before still works: %d", r.status)
	}
}

func basic(user, pass string) string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth(user, pass)
	return req.Header.Get("Authorization")
}

// TestNoUsersLetsNobodyIn: users given, even none, mean authentication.
func TestNoUsersLetsNobodyIn(t *testing.T) {
	srv, _ := fixture(t, server.WithUsers(server.Users{}))
	if r := do(t, srv, "DELETE", "/api/v1/clusters/c1", ""); r.status != 401 {
		t.Errorf("DELETE without credentials = %d", r.status)
	}
	if _, err := server.LoadUsers(strings.NewReader("# nobody\n\n")); err == nil || !strings.Contains(err.Error(), "no users") {
		t.Errorf("LoadUsers of no users = %v", err)
	}
}

// TestHead answers HEAD as GET without a body.
func TestHead(t *testing.T) {
	srv, _ := fixture(t)
	get := do(t, srv, "GET", "/api/v1/clusters/c1", "")
	head := do(t, srv, "HEAD", "/api/v1/clusters/c1", "")
	if head.status != 200 || head.raw != "" || head.header.Get("Content-Length") != fmt.Sprint(len(get.raw)) || head.header.Get("ETag") != get.header.Get("ETag") {
		t.Errorf("HEAD = %d, Content-Length %s (GET's body is %d bytes), ETag %q, body %q",
			head.status, head.header.Get("Content-Length"), len(get.raw), head.header.Get("ETag"), head.raw)
	}
}

// TestLogs checks what an operator reads: the access log with the query
// string, and a request's and its tasks' transitions at debug level.
func TestLogs(t *testing.T) {
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, cluster.Execution{Driver: cluster.NewSim()}), server.WithLogger(log)))
	defer srv.Close()
	register(t, srv, "h1")
	do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h1", "")
	do(t, srv, "POST", "/api/v1/clusters/c1/services/ZOOKEEPER", "")
	do(t, srv, "POST", "/api/v1/clusters/c1/hosts/h1/host_components/ZOOKEEPER_SERVER", "")
	r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER?ServiceInfo/state=INIT", `{"ServiceInfo":{"state":"INSTALLED"}}`)
	waitRequest(t, srv, r.body["href"].(string))
	if err := m.Close(ctx); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`path=/api/v1/clusters/c1/services/ZOOKEEPER query="ServiceInfo/state=INIT" status=202`,
		`msg="ambit: request" cluster=c1 request=1 from=PENDING to=IN_PROGRESS`,
		`to=COMPLETED`,
		`msg="ambit: task" cluster=c1 request=1 task=1 host=h1 role=ZOOKEEPER_SERVER command=INSTALL from=PENDING to=QUEUED`,
		`from=IN_PROGRESS to=COMPLETED`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
}

// syncBuffer is a bytes.Buffer that goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLeafOffsetsReachTheClient checks that the offsets of the leaves'
// syntax errors (query, fields) reach the answer.
func TestLeafOffsetsReachTheClient(t *testing.T) {
	srv, _ := fixture(t)
	for _, tt := range []struct{ query, field string }{
		{"Hosts/cpu_count>=2&Hosts/ip=(", "predicate"},
		{"fields=Hosts/ip,Hosts/x[1,2,3,4]", "fields"},
	} {
		r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?"+tt.query, "")
		off, ok := r.body["offset"].(float64)
		if r.status != 400 || r.body["field"] != tt.field || !ok || off <= 0 {
			t.Errorf("%s = %d %s: want the field %s and an offset", tt.query, r.status, r.raw, tt.field)
		}
	}
}
