package sahara_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/sahara"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

// bubble serves the face on a manager whose tasks take a second each and
// whose connect workers fail to start on cluster "bad", inside a synctest
// bubble: time only passes when every goroutine waits. It returns a
// caller as Basic-auth curl users are.
func bubble(t *testing.T) func(method, path, body string) answer {
	t.Helper()
	sim := cluster.NewSim(cluster.Rule{Component: "CONNECT_WORKER", Command: cluster.Start, Host: "bad-workers-001", ExitCode: 1, Stderr: "port 8083 in use", Duration: time.Second},
		cluster.Rule{Duration: time.Second})
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithTypes(sahara.Types()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	h, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	srv := server.New(nil, server.WithCluster(m, cluster.Execution{Driver: sim}), server.WithFaces(sahara.Face()),
		server.WithUsers(server.Users{"alice": {Hash: h, Role: server.Operator, Grants: []string{"proj1"}}}), server.WithLogger(quiet))
	return func(method, path, body string) answer {
		req := httptest.NewRequest(method, "/v1.1/proj1"+path, strings.NewReader(body))
		req.SetBasicAuth("alice", "pw")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		a := answer{status: rec.Code, raw: rec.Body.String()}
		_ = json.Unmarshal(rec.Body.Bytes(), &a.body)
		return a
	}
}

func status(a answer) any {
	cl, _ := a.body["cluster"].(map[string]any)
	return cl["status"]
}

// TestClusterStatuses follows a cluster through Sahara's statuses as the
// domain's requests run: Validating, Spawning, Starting, Active, Scaling,
// Deleting, gone; and Error with the failed task's output.
func TestClusterStatuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		call := bubble(t)
		r := call("POST", "/clusters", kafka)
		id, _ := r.body["cluster"].(map[string]any)["id"].(string)
		if s := status(r); r.status != 202 || s != "Validating" && s != "Spawning" { // the manager may have begun
			t.Fatalf("POST = %d %v", r.status, status(r))
		}
		// Six stages of a second: install (0-3 s), then start.
		var seen []any
		for range 12 {
			time.Sleep(700 * time.Millisecond)
			synctest.Wait()
			if s := status(call("GET", "/clusters/"+id, "")); len(seen) == 0 || seen[len(seen)-1] != s {
				seen = append(seen, s)
			}
		}
		if diff := cmp.Diff([]any{"Spawning", "Starting", "Active"}, seen); diff != "" {
			t.Errorf("statuses (-want +got)\n%s", diff)
		}

		r = call("PUT", "/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 3}]}`)
		if r.status != 202 || status(r) != "Scaling" {
			t.Errorf("scale = %d %v", r.status, status(r))
		}
		fault(t, call("PUT", "/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 4}]}`), 400, "INVALID_REFERENCE")
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if s := status(call("GET", "/clusters/"+id, "")); s != "Active" {
			t.Errorf("after scaling: %v", s)
		}

		// Shrinking: Decommissioning while the removed instances stop;
		// then they are gone from the domain, and growing again reuses
		// their names.
		r = call("PUT", "/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 1}]}`)
		if r.status != 202 || status(r) != "Decommissioning" {
			t.Errorf("shrink = %d %v", r.status, status(r))
		}
		fault(t, call("PUT", "/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 2}]}`), 400, "INVALID_REFERENCE")
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if s := status(call("GET", "/clusters/"+id, "")); s != "Active" {
			t.Errorf("after shrinking: %v", s)
		}
		r = call("PUT", "/clusters/"+id, `{"resize_node_groups": [{"name": "workers", "count": 2}]}`)
		if r.status != 202 || status(r) != "Scaling" {
			t.Errorf("grow again = %d %s", r.status, r.raw)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if s := status(call("GET", "/clusters/"+id, "")); s != "Active" {
			t.Errorf("after growing again: %v", s)
		}

		if r := call("DELETE", "/clusters/"+id, ""); r.status != 204 {
			t.Errorf("DELETE = %d %s", r.status, r.raw)
		}
		if s := status(call("GET", "/clusters/"+id, "")); s != "Deleting" {
			t.Errorf("after DELETE: %v", s)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		fault(t, call("GET", "/clusters/"+id, ""), 404, "NOT_FOUND")
		if r := call("GET", "/clusters", ""); r.status != 200 || len(r.body["clusters"].([]any)) != 0 {
			t.Fatalf("list after deletion: %d %s", r.status, r.raw)
		}

		// A failed start: Error, with what the task said.
		r = call("POST", "/clusters", strings.Replace(kafka, `"kafka"`, `"bad"`, 1))
		bad, _ := r.body["cluster"].(map[string]any)["id"].(string)
		time.Sleep(20 * time.Second)
		synctest.Wait()
		cl, _ := call("GET", "/clusters/"+bad, "").body["cluster"].(map[string]any)
		if cl["status"] != "Error" || !strings.Contains(cl["status_description"].(string), "CONNECT_WORKER START on bad-workers-001 failed: port 8083 in use") {
			t.Errorf("failed cluster: %v %v", cl["status"], cl["status_description"])
		}
		// A cluster in Error can still be deleted, while it provisions too.
		r = call("POST", "/clusters", strings.Replace(kafka, `"kafka"`, `"late"`, 1))
		late, _ := r.body["cluster"].(map[string]any)["id"].(string)
		time.Sleep(3500 * time.Millisecond) // late is STARTING its processes
		synctest.Wait()
		r = call("POST", "/clusters", strings.Replace(kafka, `"kafka"`, `"busy"`, 1))
		busy, _ := r.body["cluster"].(map[string]any)["id"].(string)
		for _, id := range []string{bad, busy, late} {
			if r := call("DELETE", "/clusters/"+id, ""); r.status != 204 {
				t.Errorf("DELETE = %d %s", r.status, r.raw)
			}
		}
		for range 3 { // reads reap: a process the aborted request started is stopped again first
			time.Sleep(10 * time.Second)
			synctest.Wait()
			call("GET", "/clusters", "")
		}
		if r := call("GET", "/clusters", ""); r.status != 200 || len(r.body["clusters"].([]any)) != 0 {
			t.Fatalf("list after deletions: %d %s", r.status, r.raw)
		}
	})
}
