package ambari_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCustomCommandsAsClientsSendThem posts custom commands in the forms
// Ambari's clients use: the flat resource_filters key, Ambari's names of
// service checks, and hosts_predicate.
func TestCustomCommandsAsClientsSendThem(t *testing.T) {
	srv, _ := fixture(t)
	tasks := func(href string) []string {
		t.Helper()
		waitRequest(t, srv, href)
		r := do(t, srv, "GET", strings.TrimPrefix(href, srv.URL)+"?fields=tasks/Tasks/role,tasks/Tasks/host_name,tasks/Tasks/command", "")
		var out []string
		for _, it := range r.body["tasks"].([]any) {
			tk := it.(map[string]any)["Tasks"].(map[string]any)
			out = append(out, tk["host_name"].(string)+" "+tk["role"].(string)+" "+tk["command"].(string))
		}
		return out
	}
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"the flat key", `{"RequestInfo":{"command":"RESTART","context":"Restart"},"Requests/resource_filters":[{"service_name":"ZOOKEEPER","component_name":"ZOOKEEPER_SERVER","hosts":"h2"}]}`,
			[]string{"h2 ZOOKEEPER_SERVER RESTART"}},
		{"the nested form", `{"RequestInfo":{"command":"RESTART"},"Requests":{"resource_filters":[{"service_name":"ZOOKEEPER","hosts":"h1,h3"}]}}`,
			[]string{"h1 ZOOKEEPER_SERVER RESTART", "h3 ZOOKEEPER_SERVER RESTART"}},
		{"Ambari's name of a service check", `{"RequestInfo":{"command":"ZOOKEEPER_QUORUM_SERVICE_CHECK"},"Requests/resource_filters":[{"service_name":"ZOOKEEPER"}]}`,
			[]string{"h1 ZOOKEEPER_QUORUM_SERVICE_CHECK SERVICE_CHECK"}},
		{"SERVICE_CHECK", `{"RequestInfo":{"command":"SERVICE_CHECK"},"Requests/resource_filters":[{"service_name":"ZOOKEEPER"}]}`,
			[]string{"h1 ZOOKEEPER_SERVICE_CHECK SERVICE_CHECK"}},
		{"hosts_predicate", `{"RequestInfo":{"command":"RESTART"},"Requests/resource_filters":[{"service_name":"ZOOKEEPER","hosts_predicate":"HostRoles/stale_configs=false&HostRoles/host_name.in(h1,h2)"}]}`,
			[]string{"h1 ZOOKEEPER_SERVER RESTART", "h2 ZOOKEEPER_SERVER RESTART"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, "POST", "/api/v1/clusters/c1/requests", tt.body)
			if r.status != 202 {
				t.Fatalf("POST = %d %s", r.status, r.raw)
			}
			if diff := cmp.Diff(tt.want, tasks(r.body["href"].(string))); diff != "" {
				t.Errorf("tasks (-want +got)\n%s", diff)
			}
		})
	}
	r := do(t, srv, "POST", "/api/v1/clusters/c1/requests", `{"RequestInfo":{"command":"RESTART"},"Requests/resource_filters":[{"service_name":"ZOOKEEPER","hosts_predicate":"HostRoles/nope=1"}]}`)
	if r.status != 400 || !strings.Contains(r.raw, "HostRoles/nope") {
		t.Errorf("an unknown property in hosts_predicate = %d %s", r.status, r.raw)
	}
}

// TestInstantTasksEndBeforeThe202 checks that with tasks that take no time
// (the fixture's simulator) a request has ended by the time its 202 is
// written: a client's first poll reads COMPLETED.
func TestInstantTasksEndBeforeThe202(t *testing.T) {
	srv, _ := fixture(t)
	for i, state := range []string{"STARTED", "INSTALLED", "STARTED"} {
		r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"`+state+`"}}`)
		if r.status != 202 {
			t.Fatalf("PUT %s = %d %s", state, r.status, r.raw)
		}
		first := do(t, srv, "GET", strings.TrimPrefix(r.body["href"].(string), srv.URL)+"?fields=Requests/request_status", "")
		if got := first.body["Requests"].(map[string]any)["request_status"]; got != "COMPLETED" {
			t.Errorf("change %d: the first poll reads %v", i, got)
		}
	}
}
