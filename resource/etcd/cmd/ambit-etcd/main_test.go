package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/resource/etcd/etcdtest"
	"github.com/ambitkit/ambit/server"
)

// lines collects a server's banner lines.
type lines chan string

func (l lines) Write(b []byte) (int, error) {
	for _, s := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		l <- s
	}
	return len(b), nil
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestTwoServers starts two servers on one etcd as the README does, with
// one token key: one leads; a cluster created through one is listed
// through the other; a request made through the follower runs to its
// end; a user made through one logs in through the other; both stop on
// their signal.
func TestTwoServers(t *testing.T) {
	endpoint, prefix := etcdtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	key := strings.Repeat("k", 32)
	var addrs []string
	var banners []lines
	errs := make(chan error, 2)
	for range 2 {
		addr := freeAddr(t)
		out := make(lines, 16)
		go func() {
			errs <- run(ctx, []string{"-etcd", endpoint, "-prefix", prefix, "-addr", addr, "-token-key", key, "-task-duration", "0"}, out)
		}()
		if b := <-out; !strings.Contains(b, "serving http://"+addr) {
			t.Fatalf("banner %q", b)
		}
		addrs, banners = append(addrs, addr), append(banners, out)
	}
	select {
	case b := <-banners[0]:
		if !strings.Contains(b, "leads") {
			t.Fatalf("the first server says %q, want that it leads", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first server never led")
	}
	do := func(method, addr, path, body string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		req.SetBasicAuth("admin", "admin")
		req.Header.Set("X-Requested-By", "test")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	made, body := do("POST", addrs[0], "/api/v1/clusters/c1", `{"Clusters": {"version": "AMBIT-1.0"}}`)
	if made.StatusCode != http.StatusCreated {
		t.Fatalf("POST a cluster: %d %s", made.StatusCode, body)
	}
	v := made.Header.Get(server.VersionHeader)
	if r, body := do("GET", addrs[1], "/api/v1/clusters", "", server.MinVersionHeader, v); r.StatusCode != 200 || !strings.Contains(body, `"cluster_name": "c1"`) {
		t.Errorf("GET the clusters through the other server: %d %s", r.StatusCode, body)
	}
	for _, call := range []struct{ method, path, body string }{
		{"POST", "/api/v1/hosts/h1", `{"Hosts": {"cpu_count": 2, "os_type": "rhel8"}}`},
		{"POST", "/api/v1/clusters/c1/hosts/h1", ""},
		{"POST", "/api/v1/clusters/c1/services/ZOOKEEPER", ""},
		{"POST", "/api/v1/clusters/c1/hosts/h1/host_components/ZOOKEEPER_SERVER", ""},
	} {
		if r, body := do(call.method, addrs[1], call.path, call.body); r.StatusCode != http.StatusCreated {
			t.Fatalf("%s %s: %d %s", call.method, call.path, r.StatusCode, body)
		}
	}
	r, body := do("PUT", addrs[1], "/api/v1/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo": {"state": "INSTALLED"}}`)
	if r.StatusCode != http.StatusAccepted {
		t.Fatalf("PUT the service's state through the follower: %d %s", r.StatusCode, body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body := do("GET", addrs[1], "/api/v1/clusters/c1/requests/1?fields=Requests/request_status", "")
		if strings.Contains(body, "COMPLETED") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request never completed: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A user made through one server logs in through the other.
	if r, body := do("POST", addrs[0], "/api/v1/users", `{"Users/user_name": "ops", "Users/password": "s3cret", "Users/admin": false, "Users/active": true}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("POST a user: %d %s", r.StatusCode, body)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest("GET", "http://"+addrs[1]+"/api/v1/users/ops", nil)
		req.SetBasicAuth("ops", "s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the user made through the first server, through the second: %d", resp.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a server stopped with %v", err)
		}
	}
}
