package servertest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server/servertest"
)

func TestNew(t *testing.T) {
	srv := servertest.New(t, cluster.Rule{Component: "ZOOKEEPER_SERVER", Host: "h2", ExitCode: 1})
	ctx := context.Background()
	m := srv.Manager
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"h1", "h2"} {
		if err := m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": h}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.AddService(ctx, "c1", "ZOOKEEPER", nil); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"h1", "h2"} {
		if err := m.AddHostComponent(ctx, "c1", h, "ZOOKEEPER_SERVER"); err != nil {
			t.Fatal(err)
		}
	}
	// A client installs through the API; the rule makes h2 fail.
	req, _ := http.NewRequest("PUT", srv.URL+"/api/v1/clusters/c1/services/ZOOKEEPER", strings.NewReader(`{"ServiceInfo":{"state":"INSTALLED"}}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("PUT = %v, %v", resp, err)
	}
	resp.Body.Close()
	for { // the request runs in the background: poll it until it ends
		time.Sleep(time.Millisecond)
		resp, err := http.Get(srv.URL + "/api/v1/clusters/c1/requests/1?fields=Requests/request_status")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), `"FAILED"`) {
			break
		}
		if !strings.Contains(string(body), "PENDING") && !strings.Contains(string(body), "IN_PROGRESS") {
			t.Fatalf("request 1: %s", body)
		}
	}
}

func Example() {
	// In a test, pass the test's own t: the server is closed when it ends.
	t := &testing.T{}
	srv := servertest.New(t)
	_ = srv.Manager.CreateCluster(context.Background(), "c1")
	resp, err := http.Get(srv.URL + "/api/v1/clusters")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 200
}
