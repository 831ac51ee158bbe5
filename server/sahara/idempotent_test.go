package sahara_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// retry posts a cluster as python-saharaclient does, with an
// Idempotency-Key.
func retry(t *testing.T, srv *httptest.Server, token, path, body, key string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// TestCreateRetried: a client that retries a cluster's create after a
// timeout, with the same key, gets the cluster its first try made; without
// the key the retry is a duplicate, as Sahara says it.
func TestCreateRetried(t *testing.T) {
	srv, tok := fixture(t)
	first := retry(t, srv, tok["alice"], "/v1.1/proj1/clusters", kafka, "create-kafka")
	if first.status != 202 {
		t.Fatalf("first try = %d %s", first.status, first.raw)
	}
	id := first.body["cluster"].(map[string]any)["id"]
	again := retry(t, srv, tok["alice"], "/v1.1/proj1/clusters", kafka, "create-kafka")
	if again.status != 202 || again.body["cluster"].(map[string]any)["id"] != id {
		t.Errorf("retry = %d %s, want 202 with cluster %v", again.status, again.raw, id)
	}
	fault(t, call(t, srv, tok["alice"], "POST", "/v1.1/proj1/clusters", kafka), 400, "CLUSTER_NAME_ALREADY_EXISTS") // Sahara's answer to a duplicate
	other := retry(t, srv, tok["bob"], "/v1.1/proj2/clusters", kafka, "create-kafka")
	if other.status != 202 || other.body["cluster"].(map[string]any)["id"] == id {
		t.Errorf("the same key in another project = %d %s, want a cluster of its own", other.status, other.raw)
	}
	if r := retry(t, srv, tok["alice"], "/v1.1/proj1/clusters", kafka, strings.Repeat("k", 256)); r.status != 400 {
		t.Errorf("a key too long = %d %s", r.status, r.raw)
	}
	list := call(t, srv, tok["alice"], "GET", "/v1.1/proj1/clusters", "")
	if n := len(list.body["clusters"].([]any)); n != 1 {
		t.Errorf("proj1 holds %d clusters, want 1", n)
	}
}
