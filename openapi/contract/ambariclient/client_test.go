package ambariclient_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/openapi/contract"
	"github.com/ambitkit/ambit/openapi/contract/ambariclient"
	"github.com/google/go-cmp/cmp"
)

// TestListClustersAndHosts uses the generated client as a user of the
// document would: it creates a cluster and its hosts, then lists them
// with fields and a predicate, and reads the typed answers.
func TestListClustersAndHosts(t *testing.T) {
	srv := contract.Start(t)
	ctx := context.Background()
	c, err := ambariclient.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	created := func(resp *http.Response, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s %s: %s", resp.Request.Method, resp.Request.URL.Path, resp.Status)
		}
	}
	created(c.PostClustersItemWithBody(ctx, "c1", "application/json", strings.NewReader(`{"Clusters": {"version": "AMBIT-1.0"}}`)))
	for _, h := range []string{`{"Hosts": {"host_name": "h1", "cpu_count": 8, "os_type": "rhel8"}}`, `{"Hosts": {"host_name": "h2", "cpu_count": 2, "os_type": "centos7"}}`} {
		created(c.PostHostsWithBody(ctx, "application/json", strings.NewReader(h)))
	}
	created(c.PostClustersHostsWithBody(ctx, "c1", "application/json", strings.NewReader(`[{"Hosts": {"host_name": "h1"}}, {"Hosts": {"host_name": "h2"}}]`)))

	clusters, err := c.GetClustersWithResponse(ctx, &ambariclient.GetClustersParams{})
	if err != nil {
		t.Fatal(err)
	}
	if clusters.JSON200 == nil {
		t.Fatalf("GET clusters: %s %s", clusters.Status(), clusters.Body)
	}
	var names []string
	for _, cl := range clusters.JSON200.Items {
		names = append(names, *cl.Clusters.ClusterName)
	}
	if diff := cmp.Diff([]string{"c1"}, names); diff != "" {
		t.Errorf("clusters (-want +got):\n%s", diff)
	}

	fields := ambariclient.Fields("Hosts/cpu_count,Hosts/os_type")
	hosts, err := c.GetClustersHostsWithResponse(ctx, "c1", &ambariclient.GetClustersHostsParams{Fields: &fields,
		Predicate: &ambariclient.Predicate{"Hosts/os_type": "rhel8"}})
	if err != nil {
		t.Fatal(err)
	}
	if hosts.JSON200 == nil {
		t.Fatalf("GET hosts: %s %s", hosts.Status(), hosts.Body)
	}
	type host struct {
		Name, OS string
		CPUs     float64
	}
	var got []host
	for _, h := range hosts.JSON200.Items {
		got = append(got, host{*h.Hosts.HostName, *h.Hosts.OsType, *h.Hosts.CpuCount})
	}
	if diff := cmp.Diff([]host{{"h1", "rhel8", 8}}, got); diff != "" {
		t.Errorf("hosts of c1 with os_type rhel8 (-want +got):\n%s", diff)
	}
}
