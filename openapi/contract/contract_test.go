package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// call is one request a face's clients send, and the status the server
// answers it with. save names a member of the answer (cluster.id) whose
// value later calls use for {saved} in their path or body.
type call struct {
	method, path, body string
	status             int
	save               string
}

// replays are the requests of each face's clients, in order: each is
// validated against the face's document, sent to the server, and its
// answer validated too.
var replays = map[string][]call{
	"ambari": {
		{"POST", "/api/v1/clusters/c1", `{"Clusters": {"version": "AMBIT-1.0"}}`, 201, ""},
		{"GET", "/api/v1/clusters", "", 200, ""},
		{"GET", "/api/v1/clusters/c1?fields=Clusters/*", "", 200, ""},
		{"POST", "/api/v1/hosts/h1", `{"Hosts": {"cpu_count": 4, "os_type": "rhel8"}}`, 201, ""},
		{"POST", "/api/v1/hosts", `[{"Hosts": {"host_name": "h2", "cpu_count": "2", "os_type": "centos7"}}]`, 201, ""},
		{"POST", "/api/v1/clusters/c1/hosts", `[{"Hosts": {"host_name": "h1"}}, {"Hosts": {"host_name": "h2"}}]`, 201, ""},
		{"GET", "/api/v1/clusters/c1/hosts?Hosts/cpu_count>=2&fields=Hosts/cpu_count,Hosts/os_type&page_size=10&from=0", "", 200, ""},
		{"GET", "/api/v1/clusters/c1/hosts?Hosts/os_type.in(rhel8,centos7)&sortBy=Hosts/host_name.desc&minimal_response=true", "", 200, ""},
		{"GET", "/api/v1/clusters/c1/hosts/h1", "", 200, ""},
		{"PUT", "/api/v1/clusters/c1/hosts/h1", `{"RequestInfo": {"context": "rack"}, "Body": {"Hosts": {"rack_info": "/rack2"}}}`, 200, ""},
		{"POST", "/api/v1/clusters/c1/services", `{"ServiceInfo": {"service_name": "HDFS"}}`, 201, ""},
		{"GET", "/api/v1/clusters/c1/services?fields=ServiceInfo/state,components/ServiceComponentInfo/component_name", "", 200, ""},
		{"GET", "/api/v1/clusters/c1/hosts/nope", "", 404, ""},
		{"GET", "/api/v1/clusters/c1/hosts?Hosts/no_such=1", "", 400, ""},
		{"DELETE", "/api/v1/clusters/c1/hosts/h2", "", 200, ""},
	},
	"sahara": {
		{"GET", "/v1.1/proj1/plugins", "", 200, ""},
		{"POST", "/v1.1/proj1/node-group-templates", `{"name": "zk", "plugin_name": "ambit", "hadoop_version": "1.0", "node_processes": ["ZOOKEEPER_SERVER"], "flavor_id": "2"}`, 202, "node_group_template.id"},
		{"GET", "/v1.1/proj1/node-group-templates?plugin_name=ambit&limit=10", "", 200, ""},
		{"PATCH", "/v1.1/proj1/node-group-templates/{saved}", `{"description": "three of them"}`, 202, ""},
		{"POST", "/v1.1/proj1/cluster-templates", `{"name": "ensemble", "plugin_name": "ambit", "hadoop_version": "1.0", "node_groups": [{"name": "zk", "count": 3, "node_group_template_id": "{saved}"}]}`, 202, "cluster_template.id"},
		{"POST", "/v1.1/proj1/clusters", `{"name": "zk", "plugin_name": "ambit", "hadoop_version": "1.0", "cluster_template_id": "{saved}"}`, 202, "cluster.id"},
		{"GET", "/v1.1/proj1/clusters", "", 200, ""},
		{"GET", "/v1.1/proj1/clusters/{saved}", "", 200, ""},
		{"GET", "/v1.1/proj1/clusters/nope", "", 404, ""},
		{"DELETE", "/v1.1/proj1/clusters/{saved}", "", 204, ""},
	},
	"cdap": {
		{"GET", "/v3/namespaces", "", 200, ""},
		{"PUT", "/v3/namespaces/ns1", `{"description": "a namespace"}`, 200, ""},
		{"GET", "/v3/namespaces/ns1", "", 200, ""},
		{"GET", "/v3/namespaces/nope", "", 404, ""},
	},
	"openshift": {
		{"GET", "/broker/rest/api", "", 200, ""},
		{"GET", "/broker/rest/cartridges", "", 200, ""},
		{"POST", "/broker/rest/domains", `{"name": "dev1"}`, 201, ""},
		{"GET", "/broker/rest/domains", "", 200, ""},
		{"GET", "/broker/rest/domain/dev1", "", 200, ""},
		{"POST", "/broker/rest/domain/dev1/applications", `{"name": "zk", "cartridges": [{"name": "zookeeper"}], "scale": true}`, 201, ""},
		{"GET", "/broker/rest/domain/dev1/applications", "", 200, ""},
		{"GET", "/broker/rest/domain/dev1/application/zk", "", 200, ""},
		{"GET", "/broker/rest/domain/nope", "", 404, ""},
	},
	"ohara": {
		{"POST", "/v0/nodes", `{"hostname": "n1", "port": 22, "user": "ohara", "password": "secret"}`, 200, ""},
		{"GET", "/v0/nodes", "", 200, ""},
		{"GET", "/v0/nodes/n1", "", 200, ""},
		{"POST", "/v0/zookeepers", `{"name": "zk", "nodeNames": ["n1"], "tickTime": 3000}`, 200, ""},
		{"GET", "/v0/zookeepers", "", 200, ""},
		{"PUT", "/v0/zookeepers/zk/start?group=default", "", 202, ""},
		{"GET", "/v0/zookeepers/zk?group=default", "", 200, ""},
		{"GET", "/v0/zookeepers/nope", "", 404, ""},
	},
}

// TestContract replays each face's requests against the running server and
// validates every request and answer against the face's document
// (openapi3filter), so that the documents cannot drift from the server.
func TestContract(t *testing.T) {
	srv := Start(t)
	for face, calls := range replays {
		t.Run(face, func(t *testing.T) {
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(Get(t, srv.URL+Documents[face]))
			if err != nil {
				t.Fatal(err)
			}
			doc.Servers = openapi3.Servers{{URL: srv.URL}}
			router, err := gorillamux.NewRouter(doc)
			if err != nil {
				t.Fatal(err)
			}
			saved := ""
			for _, c := range calls {
				c.path = strings.ReplaceAll(c.path, "{saved}", saved)
				c.body = strings.ReplaceAll(c.body, "{saved}", saved)
				if v := replay(t, srv.URL, router, c); c.save != "" {
					saved = member(t, v, c.save)
				}
			}
		})
	}
}

// member reads a string at a dotted path of a JSON answer.
func member(t *testing.T, body []byte, path string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	for _, name := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[name]
	}
	s, _ := v.(string)
	if s == "" {
		t.Fatalf("no %s in %s", path, body)
	}
	return s
}

// replay validates a call against the document, sends it and validates
// the answer, whose body it returns.
func replay(t *testing.T, base string, router routers.Router, c call) []byte {
	t.Helper()
	ctx := context.Background()
	req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: not in the document: %v", c.method, c.path, err)
		return nil
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true}}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		t.Errorf("%s %s: the request does not match the document: %v", c.method, c.path, err)
	}
	send, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	send.Header = req.Header
	resp, err := http.DefaultClient.Do(send)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != c.status {
		t.Errorf("%s %s: status %d, want %d: %s", c.method, c.path, resp.StatusCode, c.status, body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(body))}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s %s: the answer (%d) does not match the document: %v", c.method, c.path, resp.StatusCode, err)
	}
	return body
}
