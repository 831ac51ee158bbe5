package ambari_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPageTokensUnderWrites walks a collection by page tokens while hosts
// are added and removed: every page comes from the first page's snapshot,
// so the walk sees each host of that moment once, none twice, none added.
func TestPageTokensUnderWrites(t *testing.T) {
	srv, _ := fixture(t)
	for i := 0; i < 40; i++ {
		register(t, srv, fmt.Sprintf("n%02d", i))
		do(t, srv, "POST", fmt.Sprintf("/api/v1/clusters/c1/hosts/n%02d", i), "")
	}
	for i := 0; i < 200; i++ {
		register(t, srv, fmt.Sprintf("new%03d", i))
	}
	want := map[string]int{}
	for _, it := range do(t, srv, "GET", "/api/v1/clusters/c1/hosts", "").body["items"].([]any) {
		want[it.(map[string]any)["Hosts"].(map[string]any)["host_name"].(string)] = 1
	}
	got := map[string]int{}
	page := func(path string) string { // reads a page, returns the next one's path
		t.Helper()
		r := do(t, srv, "GET", path, "")
		if r.status != 200 {
			t.Fatalf("%s = %d %s", path, r.status, r.raw)
		}
		for _, it := range r.body["items"].([]any) {
			got[it.(map[string]any)["Hosts"].(map[string]any)["host_name"].(string)]++
		}
		next, ok := r.body["next"].(string)
		if !ok {
			return ""
		}
		if r.body["next_page_token"] == nil {
			t.Fatalf("a next link without next_page_token: %s", r.raw)
		}
		return strings.TrimPrefix(next, srv.URL)
	}
	// The first page fixes the snapshot; then hosts come and go while the
	// client reads the rest.
	path := page("/api/v1/clusters/c1/hosts?page_token=&page_size=7&fields=Hosts/host_name")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			do(t, srv, "POST", fmt.Sprintf("/api/v1/clusters/c1/hosts/new%03d", i), "")
			do(t, srv, "DELETE", fmt.Sprintf("/api/v1/clusters/c1/hosts/n%02d", i%40), "")
		}
	})
	for pages := 1; path != ""; pages++ {
		if pages > 20 {
			t.Fatal("more pages than hosts")
		}
		path = page(path)
	}
	close(stop)
	wg.Wait()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hosts walked (-the first page's snapshot +got)\n%s", diff)
	}
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?page_token=garbage&page_size=7", "")
	if r.status != 400 || r.body["field"] != "page_token" {
		t.Errorf("a bad token = %d %s", r.status, r.raw)
	}
}

// TestMarkerPagesAndExplain checks limit/marker pages (no itemTotal of -1,
// a next link) and ?explain=true.
func TestMarkerPagesAndExplain(t *testing.T) {
	srv, _ := fixture(t)
	r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?limit=2&fields=Hosts/host_name", "")
	if _, ok := r.body["itemTotal"]; ok || r.body["next"] != srv.URL+"/api/v1/clusters/c1/hosts?limit=2&fields=Hosts/host_name&marker=h2" {
		t.Errorf("first marker page: itemTotal %v, next %v", r.body["itemTotal"], r.body["next"])
	}
	r = do(t, srv, "GET", strings.TrimPrefix(r.body["next"].(string), srv.URL), "")
	if items := r.body["items"].([]any); len(items) != 1 || r.body["next"] != nil {
		t.Errorf("last marker page: %s", r.raw)
	}
	r = do(t, srv, "GET", "/api/v1/clusters/c1/hosts?Hosts/cpu_count>=4&explain=true", "")
	want := map[string]any{"access": "range", "index": "Hosts/cpu_count", "examined": 2.0, "sorted": true}
	if diff := cmp.Diff(want, r.body["plan"]); diff != "" {
		t.Errorf("plan (-want +got)\n%s", diff)
	}
	if r := do(t, srv, "GET", "/api/v1/clusters/c1/hosts?explain=perhaps", ""); r.status != 400 || r.body["field"] != "explain" {
		t.Errorf("explain=perhaps = %d %s", r.status, r.raw)
	}
}
