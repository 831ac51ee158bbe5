package ambari_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/ambitkit/ambit/server"
	"github.com/google/go-cmp/cmp"
)

// TestIdempotencyKey: a client that retries a state change after a
// timeout, with the same Idempotency-Key, is answered with the request its
// first try made, even once that request has ended and the change has
// nothing left to do; at the same time, the two tries make one request.
func TestIdempotencyKey(t *testing.T) {
	srv, _ := fixture(t)
	start := `{"RequestInfo":{"context":"Start ZooKeeper"},"Body":{"ServiceInfo":{"state":"STARTED"}}}`
	first := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", start, "Idempotency-Key", "k-1")
	want := map[string]any{"href": srv.URL + "/api/v1/clusters/c1/requests/2", "Requests": map[string]any{"id": 2.0, "status": "Accepted"}}
	if diff := cmp.Diff(want, first.body); first.status != 202 || diff != "" {
		t.Fatalf("first try = %d (-want +got)\n%s", first.status, diff)
	}
	again := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", start, "Idempotency-Key", "k-1")
	if diff := cmp.Diff(want, again.body); again.status != 202 || diff != "" {
		t.Errorf("retry = %d (-want +got)\n%s", again.status, diff)
	}
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", start, "Idempotency-Key", "k-2"); r.status != 200 {
		t.Errorf("another key, with nothing to do = %d %s", r.status, r.raw)
	}

	// Two tries at once.
	stop := `{"ServiceInfo":{"state":"INSTALLED"}}`
	var wg sync.WaitGroup
	ids := make([]any, 2)
	for i := range ids {
		wg.Go(func() {
			r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", stop, "Idempotency-Key", "k-3")
			if r.status == 202 {
				ids[i] = r.body["Requests"].(map[string]any)["id"]
			}
		})
	}
	wg.Wait()
	if ids[0] == nil || ids[0] != ids[1] {
		t.Errorf("two tries at once made requests %v", ids)
	}
	list := do(t, srv, "GET", "/api/v1/clusters/c1/requests", "")
	if n := len(list.body["items"].([]any)); n != 3 {
		t.Errorf("%d requests, want 3: the install, one start, one stop", n)
	}

	for _, tt := range []struct{ name, key, body string }{
		{"not ASCII", "cl\u00e9", start},
		{"too long", string(bytes.Repeat([]byte("k"), 256)), start},
		{"a batch", "k-4", `[{"RequestInfo":{"query":"ServiceInfo/service_name=ZOOKEEPER"},"Body":{"ServiceInfo":{"state":"STARTED"}}},` +
			`{"RequestInfo":{"query":"ServiceInfo/service_name=ZOOKEEPER"},"Body":{"ServiceInfo":{"state":"INSTALLED"}}}]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, "PUT", "/api/v1/clusters/c1/services", tt.body, "Idempotency-Key", tt.key)
			if r.status != 400 || !bytes.Contains([]byte(r.raw), []byte("Idempotency-Key")) {
				t.Errorf("= %d %s", r.status, r.raw)
			}
		})
	}
}

// TestChanges follows the changes of the caller's namespace from a
// version, as a client that resumes a watch does.
func TestChanges(t *testing.T) {
	srv, m := fixture(t)
	since := m.Store().Version()
	if r := do(t, srv, "GET", "/api/v1/changes", ""); r.body["version"] != float64(since) || len(r.body["items"].([]any)) != 0 {
		t.Errorf("where to start from = %s, want version %d", r.raw, since)
	}
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h2", `{"Hosts":{"rack_info":"/r2"}}`); r.status != 200 {
		t.Fatalf("update = %d %s", r.status, r.raw)
	}
	r := do(t, srv, "GET", "/api/v1/changes?since="+strconv.FormatUint(since, 10), "")
	want := map[string]any{
		"href":    srv.URL + "/api/v1/changes?since=" + strconv.FormatUint(since, 10),
		"version": float64(since + 1),
		"items":   []any{map[string]any{"href": srv.URL + "/api/v1/clusters/c1/hosts/h2", "type": "hosts", "version": float64(since + 1), "deleted": false}},
	}
	if diff := cmp.Diff(want, r.body); r.status != 200 || diff != "" {
		t.Errorf("= %d (-want +got)\n%s", r.status, diff)
	}
	m.Store().KeepChanges(1, 100)
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/hosts/h3", `{"Hosts":{"rack_info":"/r3"}}`); r.status != 200 {
		t.Fatalf("update = %d %s", r.status, r.raw)
	}
	gone := do(t, srv, "GET", "/api/v1/changes?since="+strconv.FormatUint(since, 10), "")
	wantGone := map[string]any{"status": 410.0, "field": "since", "message": "The changes after version " + strconv.FormatUint(since, 10) +
		" are no longer kept: list again, and ask for the changes after the listing's version."}
	if diff := cmp.Diff(wantGone, gone.body); gone.status != 410 || diff != "" {
		t.Errorf("changes no longer kept = %d (-want +got)\n%s", gone.status, diff)
	}
	if r := do(t, srv, "GET", "/api/v1/changes?since=x", ""); r.status != 400 {
		t.Errorf("since=x = %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "GET", "/api/v1/changes?since=999999", ""); r.status != 400 {
		t.Errorf("a version in the future = %d %s", r.status, r.raw)
	}
}

func TestOperatorOnly(t *testing.T) {
	op, err := server.NewUser("op", server.Operator)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := server.NewUser("admin", server.Administrator)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := fixture(t, server.WithUsers(server.Users{"op": op, "admin": admin}))
	start := `{"ServiceInfo":{"state":"STARTED"}}`
	if r := do(t, srv, "PUT", "/api/v1/clusters/c1/services/ZOOKEEPER", start, "Authorization", basic("op", "op")); r.status != 202 {
		t.Fatalf("start = %d %s", r.status, r.raw)
	}
	tests := []struct {
		name, user, method, path string
		status                   int
	}{
		{"an operator copies the data", "op", "GET", "/api/v1/operator/snapshot", 403},
		{"an administrator, of a server in memory", "admin", "GET", "/api/v1/operator/snapshot", 404},
		{"an operator purges a request", "op", "DELETE", "/api/v1/clusters/c1/requests/1", 403},
		{"an administrator purges the latest", "admin", "DELETE", "/api/v1/clusters/c1/requests/2", 409},
		{"an administrator purges an ended one", "admin", "DELETE", "/api/v1/clusters/c1/requests/1", 200},
		{"which is gone", "admin", "GET", "/api/v1/clusters/c1/requests/1", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, "", "Authorization", basic(tt.user, tt.user))
			if r.status != tt.status {
				t.Errorf("= %d %s, want %d", r.status, r.raw, tt.status)
			}
			if r.status >= 400 && r.body["status"] != float64(r.status) {
				t.Errorf("not in Ambari's envelope: %s", r.raw)
			}
		})
	}
}

// snapshotter is a server's data as bytes, for the snapshot route.
type snapshotter []byte

func (s snapshotter) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(s)
	return int64(n), err
}

func TestSnapshotRoute(t *testing.T) {
	srv, _ := fixture(t, server.WithSnapshot(snapshotter("the data")))
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/operator/snapshot", nil)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "the data" || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("= %d %q %v", resp.StatusCode, body, resp.Header)
	}
}
