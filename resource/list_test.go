package resource_test

import (
	"strconv"
	"testing"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

const base = "http://ambari:8080/api/v1"

func list(t *testing.T, s *resource.Store, q resource.Query, pred, fieldsExpr string) *resource.Result {
	t.Helper()
	if pred != "" {
		e, err := query.Parse(pred)
		if err != nil {
			t.Fatal(err)
		}
		q.Predicate = e
	}
	l, err := fields.Parse(fieldsExpr)
	if err != nil {
		t.Fatal(err)
	}
	q.Fields, q.Base = l, base
	res, err := s.List(ctx, q)
	if err != nil {
		t.Fatalf("List(%q, %q): %v", pred, fieldsExpr, err)
	}
	return res
}

func hostNames(items []map[string]any) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it["Hosts"].(map[string]any)["host_name"].(string))
	}
	return out
}

func TestListRenders(t *testing.T) {
	s := fixture(t)
	scope := map[string]string{"Hosts/cluster_name": "c1"}
	res := list(t, s, resource.Query{Type: "hosts", Scope: scope}, "Hosts/cpu_count>=2", "")
	want := []map[string]any{
		{"href": base + "/clusters/c1/hosts/h1", "Hosts": map[string]any{"cluster_name": "c1", "host_name": "h1", "cpu_count": 4.0}},
		{"href": base + "/clusters/c1/hosts/h3", "Hosts": map[string]any{"cluster_name": "c1", "host_name": "h3", "cpu_count": 8.0}},
	}
	if diff := cmp.Diff(want, res.Items); diff != "" {
		t.Errorf("collection: keys, href and the predicate's properties (-want +got)\n%s", diff)
	}

	res = list(t, s, resource.Query{Type: "hosts", Scope: scope}, "Hosts/host_name=h2", "metrics/disk/disk_free,host_components")
	want = []map[string]any{{
		"href":    base + "/clusters/c1/hosts/h2",
		"Hosts":   map[string]any{"cluster_name": "c1", "host_name": "h2"},
		"metrics": map[string]any{"disk": map[string]any{"disk_free": 10.0}},
		"host_components": []any{map[string]any{
			"href":      base + "/clusters/c1/hosts/h2/host_components/DATANODE",
			"HostRoles": map[string]any{"cluster_name": "c1", "host_name": "h2", "component_name": "DATANODE"},
		}},
	}}
	if diff := cmp.Diff(want, res.Items); diff != "" {
		t.Errorf("fields and sub-resource links (-want +got)\n%s", diff)
	}

	res = list(t, s, resource.Query{Type: "host_components", Scope: map[string]string{"HostRoles/cluster_name": "c1", "HostRoles/host_name": "h1"}},
		"HostRoles/component_name=NAMENODE", "HostRoles/state,component/*")
	want = []map[string]any{{
		"href":      base + "/clusters/c1/hosts/h1/host_components/NAMENODE",
		"HostRoles": map[string]any{"cluster_name": "c1", "host_name": "h1", "component_name": "NAMENODE", "state": "STARTED"},
		"component": map[string]any{
			"href":                 base + "/clusters/c1/services/HDFS/components/NAMENODE",
			"ServiceComponentInfo": map[string]any{"cluster_name": "c1", "service_name": "HDFS", "component_name": "NAMENODE", "category": "MASTER"},
			"host_components": []any{map[string]any{
				"href":      base + "/clusters/c1/hosts/h1/host_components/NAMENODE",
				"HostRoles": map[string]any{"cluster_name": "c1", "host_name": "h1", "component_name": "NAMENODE"},
			}},
		},
	}}
	if diff := cmp.Diff(want, res.Items); diff != "" {
		t.Errorf("expanded single link (-want +got)\n%s", diff)
	}
}

func TestListInstanceDefault(t *testing.T) {
	s := fixture(t)
	res := list(t, s, resource.Query{Type: "services", Instance: true,
		Scope: map[string]string{"ServiceInfo/cluster_name": "c1", "ServiceInfo/service_name": "HDFS"}}, "", "")
	want := []map[string]any{{
		"href":        base + "/clusters/c1/services/HDFS",
		"ServiceInfo": map[string]any{"cluster_name": "c1", "service_name": "HDFS", "state": "INSTALLED"},
		"components": []any{
			map[string]any{"href": base + "/clusters/c1/services/HDFS/components/DATANODE",
				"ServiceComponentInfo": map[string]any{"cluster_name": "c1", "service_name": "HDFS", "component_name": "DATANODE"}},
			map[string]any{"href": base + "/clusters/c1/services/HDFS/components/NAMENODE",
				"ServiceComponentInfo": map[string]any{"cluster_name": "c1", "service_name": "HDFS", "component_name": "NAMENODE"}},
		},
	}}
	if diff := cmp.Diff(want, res.Items); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if res.Plan.Access != "get" {
		t.Errorf("plan %+v, want a get", res.Plan)
	}
}

func TestListSubResourcePredicate(t *testing.T) {
	s := fixture(t)
	scope := map[string]string{"Hosts/cluster_name": "c1"}
	tests := map[string][]string{
		"host_components/HostRoles/state=INSTALLED":                                                 {"h2"},
		"host_components/HostRoles/component_name=DATANODE":                                         {"h1", "h2", "h3"},
		"host_components/HostRoles/component_name=NAMENODE|Hosts/os_type=centos7":                   {"h1", "h2"},
		"host_components/HostRoles/component_name=NAMENODE&host_components/HostRoles/state=STARTED": {"h1"},
		// Each leaf on its own, as Ambari tests them: "some row is not NAMENODE".
		"!host_components/HostRoles/component_name=NAMENODE": {"h1", "h2", "h3"},
		"!host_components/HostRoles/state=STARTED":           {"h2"},
	}
	for pred, want := range tests {
		res := list(t, s, resource.Query{Type: "hosts", Scope: scope}, pred, "")
		if diff := cmp.Diff(want, hostNames(res.Items)); diff != "" {
			t.Errorf("%s (-want +got)\n%s", pred, diff)
		}
	}
}

func TestListErrors(t *testing.T) {
	s := fixture(t)
	e, _ := query.Parse("Hosts/foo=1&Hosts/cpu_count>1")
	l, _ := fields.Parse("Hosts/bar,metrics/disk/*")
	_, err := s.List(ctx, resource.Query{Type: "hosts", Predicate: e, Fields: l,
		Page: paging.Request{Size: paging.All, Order: paging.Order{{Path: []string{"Hosts", "baz"}}}}})
	storeError(t, err, resource.Invalid, "The properties [Hosts/bar, Hosts/foo, Hosts/baz] are not supported for the resource type Host.")

	_, err = s.List(ctx, resource.Query{Type: "hosts", Page: paging.Request{Style: paging.Markers, Size: 2, Marker: "nope"}})
	storeError(t, err, resource.Invalid, `invalid marker "nope": no item has this id`)
}

func TestPlans(t *testing.T) {
	s := fixture(t)
	scope := map[string]string{"Hosts/cluster_name": "c1"}
	tests := []struct {
		pred  string
		scope map[string]string
		plan  resource.Plan
		want  []string
	}{
		{"Hosts/host_name=h2", scope, resource.Plan{Access: "get", Index: "id", Examined: 1}, []string{"h2"}},
		{"Hosts/os_type=rhel8", scope, resource.Plan{Access: "equal", Index: "Hosts/os_type", Examined: 2}, []string{"h1", "h3"}},
		{"Hosts/os_type.in(centos7,rhel8)", scope, resource.Plan{Access: "in", Index: "Hosts/os_type", Examined: 3, Sorted: true}, []string{"h1", "h2", "h3"}},
		{"Hosts/cpu_count>=4", scope, resource.Plan{Access: "range", Index: "Hosts/cpu_count", Examined: 2, Sorted: true}, []string{"h1", "h3"}},
		{"Hosts/cpu_count>1&Hosts/cpu_count<8", scope, resource.Plan{Access: "range", Index: "Hosts/cpu_count", Examined: 2, Sorted: true}, []string{"h1"}},
		{"Hosts/cpu_count<4", scope, resource.Plan{Access: "range", Index: "Hosts/cpu_count", Examined: 1, Sorted: true}, []string{"h2"}},
		// Property indexes of a child type are keyed by its parent: a
		// query that does not name the parent scans.
		{"Hosts/cpu_count<4", nil, resource.Plan{Access: "scan", Index: "id", Examined: 3}, []string{"h2"}},
		{"Hosts/host_status=UNKNOWN", scope, resource.Plan{Access: "prefix", Index: "id", Examined: 3}, []string{"h1", "h2", "h3"}},
		{"Hosts/host_status=UNKNOWN", nil, resource.Plan{Access: "scan", Index: "id", Examined: 3}, []string{"h1", "h2", "h3"}},
		// A numeric literal on a string property compares numerically:
		// the index cannot answer it, so the planner does not use it.
		{"Hosts/os_type=7", nil, resource.Plan{Access: "scan", Index: "id", Examined: 3}, []string{}},
	}
	for _, tt := range tests {
		res := list(t, s, resource.Query{Type: "hosts", Scope: tt.scope}, tt.pred, "")
		if diff := cmp.Diff(tt.plan, res.Plan); diff != "" {
			t.Errorf("%s plan (-want +got)\n%s", tt.pred, diff)
		}
		if diff := cmp.Diff(tt.want, hostNames(res.Items)); diff != "" {
			t.Errorf("%s items (-want +got)\n%s", tt.pred, diff)
		}
	}
}

func TestListPaging(t *testing.T) {
	s := fixture(t)
	o, _ := paging.ParseSortBy("Hosts/cpu_count.desc")
	res := list(t, s, resource.Query{Type: "hosts", Page: paging.Request{Style: paging.Offsets, Size: 2, Order: o}}, "", "")
	if diff := cmp.Diff([]string{"h3", "h1"}, hostNames(res.Items)); diff != "" || res.Total != 3 {
		t.Errorf("sorted page (-want +got)\n%s total %d", diff, res.Total)
	}
	cursors := &paging.Cursors{Secret: []byte("k")}
	var got []string
	r := paging.Request{Style: paging.Tokens, Size: 2}
	for {
		res, err := s.List(ctx, resource.Query{Type: "hosts", Page: r, Cursors: cursors})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, hostNames(res.Items)...)
		if res.NextToken == "" {
			break
		}
		r.Token = res.NextToken
	}
	if diff := cmp.Diff([]string{"h1", "h2", "h3"}, got); diff != "" {
		t.Errorf("token walk (-want +got)\n%s", diff)
	}
	// A token replayed with another query is refused.
	first, _ := s.List(ctx, resource.Query{Type: "hosts", Page: paging.Request{Style: paging.Tokens, Size: 1}, Cursors: cursors})
	e, _ := query.Parse("Hosts/cpu_count>1")
	_, err := s.List(ctx, resource.Query{Type: "hosts", Predicate: e, Cursors: cursors, Page: paging.Request{Style: paging.Tokens, Size: 1, Token: first.NextToken}})
	storeError(t, err, resource.Invalid, `invalid page_token "`+first.NextToken+`": issued for a different query: a token resumes only the listing that produced it`)

	res = list(t, s, resource.Query{Type: "host_components", Scope: map[string]string{"HostRoles/cluster_name": "c1", "HostRoles/host_name": "h1"},
		Page: paging.Request{Style: paging.Markers, Size: 1, Marker: "DATANODE"}}, "", "")
	if len(res.Items) != 1 || res.Items[0]["HostRoles"].(map[string]any)["component_name"] != "NAMENODE" || res.Prev != "" || res.Next != "" {
		t.Errorf("marker page: %v prev %q next %q", res.Items, res.Prev, res.Next)
	}
}

// TestSortedWalks walks every page of a sorted listing with each style.
func TestSortedWalks(t *testing.T) {
	s := fixture(t)
	for _, name := range []string{"h4", "h5", "h6", "h7"} {
		if _, err := s.Create(ctx, "hosts", "", host(name, 4, "rhel8", 1)); err != nil {
			t.Fatal(err)
		}
	}
	o, _ := paging.ParseSortFlag("-Hosts/cpu_count")
	want := []string{"h3", "h1", "h4", "h5", "h6", "h7", "h2"}
	cursors := &paging.Cursors{Secret: []byte("k")}
	for _, style := range []paging.Style{paging.Offsets, paging.Markers, paging.Tokens} {
		// Each page reads the matches once, however many passes it makes
		// over them; an offset page knows their total.
		check := func(res *resource.Result) {
			if res.Plan.Examined != len(want) || style == paging.Offsets && res.Total != len(want) {
				t.Errorf("style %d: examined %d, total %d; want %d", style, res.Plan.Examined, res.Total, len(want))
			}
		}
		got := walk(t, s, resource.Query{Type: "hosts", Cursors: cursors, Page: paging.Request{Style: style, Size: 2, Order: o}}, check)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("style %d (-want +got)\n%s", style, diff)
		}
	}
}

// walk lists every page of q, following offsets, markers or tokens, and
// returns the host names in the order seen. check looks at each result.
func walk(t *testing.T, s *resource.Store, q resource.Query, check func(*resource.Result)) []string {
	t.Helper()
	var got []string
	for i := 0; i < 10; i++ {
		res, err := s.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if check != nil {
			check(res)
		}
		got = append(got, hostNames(res.Items)...)
		switch r := &q.Page; {
		case r.Style == paging.Offsets && len(res.Items) > 0:
			r.From += r.Size
		case r.Style == paging.Markers && res.Next != "":
			r.Marker = res.Next
		case r.Style == paging.Tokens && res.NextToken != "":
			r.Token = res.NextToken
		default:
			return got
		}
	}
	t.Fatal("more than ten pages")
	return nil
}

// TestStreamedRangeWalks pages through a range in the index's own order,
// which needs no sort, with every style.
func TestStreamedRangeWalks(t *testing.T) {
	s := fixture(t)
	for _, name := range []string{"h4", "h5", "h6", "h7"} {
		if _, err := s.Create(ctx, "hosts", "", host(name, 4, "rhel8", 1)); err != nil {
			t.Fatal(err)
		}
	}
	o, _ := paging.ParseSortBy("Hosts/cpu_count")
	e, _ := query.Parse("Hosts/cpu_count>=1&Hosts/cpu_count<=4")
	want := []string{"h2", "h1", "h4", "h5", "h6", "h7"}
	cursors := &paging.Cursors{Secret: []byte("k")}
	for _, style := range []paging.Style{paging.Offsets, paging.Markers, paging.Tokens} {
		q := resource.Query{Type: "hosts", Predicate: e, Cursors: cursors, Scope: map[string]string{"Hosts/cluster_name": "c1"},
			Page: paging.Request{Style: style, Size: 2, Order: o}}
		got := walk(t, s, q, func(res *resource.Result) {
			if res.Plan.Access != "range" || res.Plan.Sorted {
				t.Fatalf("plan %+v, want a range streamed in order", res.Plan)
			}
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("style %d (-want +got)\n%s", style, diff)
		}
	}
}

// TestRangeUnderAScope: with two clusters, a range on an indexed
// property of one cluster's hosts reads that cluster's hosts only.
func TestRangeUnderAScope(t *testing.T) {
	s := fixture(t)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c2")); err != nil {
		t.Fatal(err)
	}
	for i, cpus := range []float64{2, 4, 8, 16} {
		h := host("x"+strconv.Itoa(i), cpus, "rhel8", 1)
		h["Hosts"].(map[string]any)["cluster_name"] = "c2"
		if _, err := s.Create(ctx, "hosts", "", h); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		cluster  string
		examined int
		want     []string
	}{
		{"c1", 3, []string{"h1", "h2", "h3"}},
		{"c2", 4, []string{"x0", "x1", "x2", "x3"}},
	} {
		res := list(t, s, resource.Query{Type: "hosts", Scope: map[string]string{"Hosts/cluster_name": tt.cluster}}, "Hosts/cpu_count>=1", "")
		if res.Plan.Access != "range" || res.Plan.Examined != tt.examined {
			t.Errorf("%s: plan %+v, want a range examining %d", tt.cluster, res.Plan, tt.examined)
		}
		if diff := cmp.Diff(tt.want, hostNames(res.Items)); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.cluster, diff)
		}
	}
}

func TestSubScope(t *testing.T) {
	s := fixture(t)
	typ, scope, err := s.SubScope(ctx, resource.Ref{Type: "components", Keys: []string{"c1", "HDFS", "DATANODE"}}, "host_components")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"HostRoles/cluster_name": "c1", "HostRoles/component_name": "DATANODE"}
	if diff := cmp.Diff(want, scope); diff != "" || typ != "host_components" {
		t.Errorf("type %s scope (-want +got)\n%s", typ, diff)
	}
	res, err := s.List(ctx, resource.Query{Type: typ, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, it := range res.Items {
		hosts = append(hosts, it["HostRoles"].(map[string]any)["host_name"].(string))
	}
	if diff := cmp.Diff([]string{"h1", "h2", "h3"}, hosts); diff != "" {
		t.Errorf("DATANODE's host components (-want +got)\n%s", diff)
	}
	_, _, err = s.SubScope(ctx, resource.Ref{Type: "components", Keys: []string{"c1", "HDFS", "NOPE"}}, "host_components")
	storeError(t, err, resource.NotFound, "Component not found: ServiceComponentInfo/cluster_name=c1, ServiceComponentInfo/service_name=HDFS, ServiceComponentInfo/component_name=NOPE.")
	_, _, err = s.SubScope(ctx, resource.Ref{Type: "components", Keys: []string{"c1", "HDFS", "DATANODE"}}, "nope")
	storeError(t, err, resource.NotFound, "Component has no sub-resource nope.")
}
