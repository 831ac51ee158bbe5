package resource_test

import (
	"testing"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestEncodedItems checks that items asked for as JSON are byte for byte
// the encoding of the rendered trees, whether they are written straight
// from the records or not.
func TestEncodedItems(t *testing.T) {
	s := fixture(t)
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{
		"cluster_name": "c\"2", "desired_configs": map[string]any{"hdfs-site": map[string]any{"tag": "v1"}, "core-site": "x"}}}); err != nil {
		t.Fatal(err)
	}
	hosts := map[string]string{"Hosts/cluster_name": "c1"}
	tests := []struct {
		typ     string
		scope   map[string]string
		pred    string
		fields  string
		minimal bool
		shaped  bool
	}{
		{"hosts", hosts, "", "", false, true},
		{"hosts", hosts, "Hosts/cpu_count>=2", "Hosts/os_type,metrics/disk/disk_free", false, true},
		{"hosts", hosts, "", "Hosts/*,metrics", false, true},
		{"hosts", hosts, "", "*,-metrics/disk", false, true}, // * links host_components
		{"hosts", hosts, "", "Hosts/rack_info", false, true}, // absent everywhere
		{"hosts", hosts, "", "Hosts/cpu_count", true, true},
		{"hosts", hosts, "", "host_components", false, true},
		{"hosts", nil, "", "*", false, true}, // host_components links
		{"hosts", hosts, "", "host_components/HostRoles/state", true, true},
		// A predicate on a sub-resource filters what is embedded of it.
		{"hosts", hosts, "host_components/HostRoles/component_name=DATANODE", "host_components/HostRoles/component_name", false, true},
		{"host_components", nil, "", "HostRoles/state,host/Hosts/cpu_count", false, true}, // a single sub-resource
		{"host_components", nil, "", "component/ServiceComponentInfo", true, true},
		{"components", nil, "", "host_components/host/Hosts/os_type", false, true}, // nested, some empty
		{"clusters", nil, "", "services/components/host_components/HostRoles/state", true, true},
		{"clusters", nil, "", "services/components/host_components/HostRoles/state,services/ServiceInfo", false, true},
		{"clusters", nil, "", "Clusters/*", false, true},
		{"clusters", nil, "", "Clusters/desired_configs/hdfs-site", false, false},
		{"clusters", nil, "", "*,-Clusters/desired_configs/core-site", false, false},
		{"components", nil, "", "ServiceComponentInfo", false, true},
		{"host_components", nil, "HostRoles/state=STARTED", "HostRoles/state", false, true},
	}
	for _, tt := range tests {
		for _, indent := range []string{"", "  "} {
			q := resource.Query{Type: tt.typ, Scope: tt.scope, Minimal: tt.minimal, Base: base + "/x\"y",
				Page: paging.Request{Style: paging.Offsets, Size: 10}}
			if tt.pred != "" {
				e, err := query.Parse(tt.pred)
				if err != nil {
					t.Fatal(err)
				}
				q.Predicate = e
			}
			l, err := fields.Parse(tt.fields)
			if err != nil {
				t.Fatal(err)
			}
			q.Fields = l
			trees, err := s.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			q.JSON = &resource.Encoding{Indent: indent, Depth: 2}
			encoded, err := s.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var want, got []string
			for _, it := range trees.Items {
				b, err := fields.AppendIndent(nil, it, indent, 2)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, string(b))
			}
			for _, b := range encoded.JSON {
				got = append(got, string(b))
			}
			name := tt.typ + "?fields=" + tt.fields
			if diff := cmp.Diff(want, got); diff != "" || len(want) == 0 {
				t.Errorf("%s indent %q: %d items (-trees +encoded)\n%s", name, indent, len(want), diff)
			}
			if got := resource.Shaped(s, q); got != tt.shaped {
				t.Errorf("%s: written from records = %v, want %v", name, got, tt.shaped)
			}
		}
	}
}
