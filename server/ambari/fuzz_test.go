package ambari_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// handler is a server of a small installed cluster, called in process: a
// fuzz input costs no network.
func handler(t *testing.T) http.Handler {
	t.Helper()
	ctx := context.Background()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(ctx) })
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(m.CreateCluster(ctx, "c1"))
	must(m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": "h1", "cpu_count": 2}},
		map[string]any{"Hosts": map[string]any{"host_name": "h2", "cpu_count": 4}}))
	must(m.AddService(ctx, "c1", "ZOOKEEPER", nil))
	must(m.AddHostComponent(ctx, "c1", "h1", "ZOOKEEPER_SERVER"))
	x := cluster.Execution{Driver: cluster.NewSim()}
	id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
	must(err)
	must(m.Execute(ctx, "c1", id, x))
	return server.New(nil, server.WithFaces(ambari.Face()), server.WithCluster(m, x), server.WithLogger(quiet), server.WithMaxWait(5*time.Millisecond),
		server.WithMaxBody(1<<16))
}

// internals are words of Go's that no answer may show.
var internals = []string{"Go value", "interface {}", "map[string]", "runtime error", "goroutine", "panic", "json: ", "reflect", "<nil>"}

// checkAnswer asserts what every answer must be: no 5xx, and an error in
// Ambari's envelope without Go's internals (RFC 9457 problem details for
// a URL outside the face).
func checkAnswer(t *testing.T, req string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s = %d %s", req, rec.Code, rec.Body)
	}
	if rec.Code < 400 {
		return
	}
	var env struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
		Detail  string `json:"detail"`
	}
	err := json.Unmarshal(rec.Body.Bytes(), &env)
	if rec.Header().Get("Content-Type") == "application/problem+json" {
		env.Message = env.Detail
	}
	if err != nil || env.Status != rec.Code || env.Message == "" {
		t.Fatalf("%s = %d with a body outside Ambari's envelope: %q", req, rec.Code, rec.Body)
	}
	for _, w := range internals {
		if strings.Contains(env.Message, w) {
			t.Fatalf("%s = %d %q shows Go's internals (%q)", req, rec.Code, env.Message, w)
		}
	}
}

// serve runs one request through h, failing the test if it takes longer
// than any answer may (the longest wait is 5 ms).
func serve(t *testing.T, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { defer close(done); h.ServeHTTP(rec, req) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s %s hangs", req.Method, req.URL)
	}
	return rec
}

// FuzzHandler sends the whole handler random requests: method, path, query,
// a header and a body.
func FuzzHandler(f *testing.F) {
	for _, s := range []struct{ method, path, query, header, value, body string }{
		{"GET", "/api/v1/clusters/c1/hosts", "Hosts/cpu_count>=2&fields=Hosts/*&page_size=1&from=0", "", "", ""},
		{"GET", "/api/v1/clusters/c1/hosts", "page_size=4611686018427387904&to=end", "", "", ""},
		{"GET", "/api/v1/clusters/c1", "fields=services/components/host_components/HostRoles/state", "", "", ""},
		{"HEAD", "/api/v1/clusters/c1/hosts/h1", "", "If-None-Match", `"1"`, ""},
		{"GET", "/api/v1/clusters/c1/requests/1", "", "X-Ambit-Wait", "5m", ""},
		{"POST", "/api/v1/clusters/c1/hosts/h1/host_components", "", "", "", `{"HostRoles":{"component_name":"ZOOKEEPER_CLIENT"}}`},
		{"POST", "/api/v1/clusters/c1/services", "", "", "", `{"ServiceInfo":{"service_name":"KAFKA"}}`},
		{"POST", "/api/v1/clusters/%FF%FE", "", "", "", ""},
		{"POST", "/api/v1/clusters", "Clusters/cluster_name=c1", "", "", `{"hosts":[{"Hosts":{"host_name":"h9"}}]}`},
		{"PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", "", "If-Match", `W/"3"`, `{"ServiceInfo":{"state":"STARTED"}}`},
		{"PUT", "/api/v1/clusters", "Clusters/cluster_name=c1", "", "", `{"Clusters":{"version":"x"}}`},
		{"PUT", "/api/v1/clusters/c1/hosts", "", "", "", `{"Hosts":{"rack_info":"/r"}},{"Hosts":{"ip":5}}`},
		{"PUT", "/api/v1/clusters/c1/hosts/h1", "", "", "", `"   "`},
		{"PUT", "/api/v1/clusters/c1/requests/1", "", "", "", `{"Requests":{"request_status":"ABORTED","abort_reason":"x"}}`},
		{"PUT", "/api/v1/clusters/c1/configurations", "", "", "", `{"type":"t","tag":"1","properties":"notamap"}`},
		{"DELETE", "/api/v1/clusters/c1/services/ZOOKEEPER", "", "If-Match", "*", ""},
		{"DELETE", "/api/v1/clusters/c1", "", "", "", ""},
		{"POST", "/api/v1/clusters/c1/requests", "", "", "", `{"RequestInfo":{"command":"RESTART"},"Requests/resource_filters":[{"service_name":"ZOOKEEPER"}]}`},
		{"PATCH", "/api/v1/clusters/c1", "", "", "", ""},
		{"GET", "/api/v1/nothing", "a=(", "", "", ""},
	} {
		f.Add(s.method, s.path, s.query, s.header, s.value, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, rawQuery, header, value, body string) {
		h := handler(t)
		u := path
		if rawQuery != "" {
			u += "?" + rawQuery
		}
		req, err := http.NewRequest(method, "http://ambit.test"+u, strings.NewReader(body))
		if err != nil || !strings.HasPrefix(req.URL.Path, "/") {
			return // not a request a client can send
		}
		req.Header.Set("X-Requested-By", "fuzz")
		if header != "" {
			req.Header[http.CanonicalHeaderKey(header)] = []string{value}
		}
		what := method + " " + u + " " + header + ": " + value + " " + strconv.Quote(body)
		rec := serve(t, h, req)
		if method == "HEAD" { // no body, errors included
			if rec.Code >= 500 || rec.Body.Len() > 0 {
				t.Fatalf("%s = %d with a body: %q", what, rec.Code, rec.Body)
			}
			return
		}
		checkAnswer(t, what, rec)
	})
}

// FuzzHeaders sends conditional and long-poll headers to an instance:
// If-Match on a PUT, If-None-Match with X-Ambit-Wait on a GET.
func FuzzHeaders(f *testing.F) {
	for _, s := range [][3]string{
		{`"1"`, `"1"`, "5m"}, {`W/"59"`, `W/"2"`, "soon"}, {`"garbage"`, "", "1ns"}, {`*`, `*`, "-1s"},
		{`"1", "2", W/"3"`, `"3", "4"`, "1h"}, {`"a,b", "c"`, `"`, "9999999h"}, {``, `""`, "0"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, ifMatch, ifNoneMatch, wait string) {
		h := handler(t)
		put, _ := http.NewRequest("PUT", "http://ambit.test/api/v1/clusters/c1/hosts/h1", strings.NewReader(`{"Hosts":{"rack_info":"/r"}}`))
		put.Header.Set("X-Requested-By", "fuzz")
		put.Header["If-Match"] = []string{ifMatch}
		rec := serve(t, h, put)
		checkAnswer(t, "PUT If-Match: "+ifMatch, rec)
		if rec.Code != 200 && rec.Code != 412 {
			t.Fatalf("PUT If-Match: %s = %d %s", ifMatch, rec.Code, rec.Body)
		}
		if strings.TrimSpace(ifMatch) == "*" && rec.Code != 200 {
			t.Fatalf("If-Match: * on an existing resource = %d", rec.Code)
		}
		get, _ := http.NewRequest("GET", "http://ambit.test/api/v1/clusters/c1/requests/1", nil)
		get.Header["If-None-Match"] = []string{ifNoneMatch}
		get.Header["X-Ambit-Wait"] = []string{wait}
		rec = serve(t, h, get)
		checkAnswer(t, "GET If-None-Match: "+ifNoneMatch+" X-Ambit-Wait: "+wait, rec)
		if d, err := time.ParseDuration(wait); (err != nil || d <= 0) != (rec.Code == 400) {
			t.Fatalf("X-Ambit-Wait %q = %d %s", wait, rec.Code, rec.Body)
		}
	})
}
