package server_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
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
