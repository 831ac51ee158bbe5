package openapi_test

import (
	"encoding/json"
	"testing"

	"github.com/ambitkit/ambit/openapi"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

var host = resource.Type{Name: "Host", Collection: "hosts", Parent: "clusters",
	Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
	Properties: []resource.Property{
		{Path: "Hosts/cpu_count", Kind: resource.Number, Required: true},
		{Path: "Hosts/maintenance", Kind: resource.Bool, Default: false},
		{Path: "Hosts/state", Kind: resource.String, ReadOnly: true},
		{Path: "Hosts/disk/free", Kind: resource.Number},
		{Path: "Hosts/labels", Kind: resource.Object},
		{Path: "Hosts/tags", Kind: resource.List},
	}}

// TestResource compares the schemas of a type, mode by mode, with what a
// client must read: categories as objects, kinds, read-only properties in
// answers, defaults, and what a create body must hold.
func TestResource(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mode  openapi.Mode
		given []string
		want  string
	}{
		{"read", openapi.Read, nil, `{"type":"object","properties":{"Hosts":{"type":"object","properties":{
			"cluster_name":{"type":"string","readOnly":true},"cpu_count":{"type":"number","format":"double"},
			"disk":{"type":"object","properties":{"free":{"type":"number","format":"double"}}},
			"host_name":{"type":"string","readOnly":true},"labels":{"type":"object"},
			"maintenance":{"type":"boolean","default":false},"state":{"type":"string","readOnly":true},"tags":{"type":"array"}}}}}`},
		{"create under a cluster's URL", openapi.Create, []string{"Hosts/cluster_name"}, `{"type":"object","properties":{"Hosts":{"type":"object","properties":{
			"cluster_name":{"type":"string"},"cpu_count":{"anyOf":[{"type":"number","format":"double"},{"type":"string"}]},
			"disk":{"type":"object","properties":{"free":{"anyOf":[{"type":"number","format":"double"},{"type":"string"}]}},"additionalProperties":false},
			"host_name":{"type":"string"},"labels":{"type":"object"},
			"maintenance":{"anyOf":[{"type":"boolean"},{"type":"string"}],"default":false},"state":{"type":"string"},"tags":{"type":"array"}},
			"required":["cpu_count","host_name"],"additionalProperties":false}},"required":["Hosts"],"additionalProperties":false}`},
		{"update", openapi.Update, nil, `{"type":"object","properties":{"Hosts":{"type":"object","properties":{
			"cluster_name":{"type":"string"},"cpu_count":{"anyOf":[{"type":"number","format":"double"},{"type":"string"}]},
			"disk":{"type":"object","properties":{"free":{"anyOf":[{"type":"number","format":"double"},{"type":"string"}]}},"additionalProperties":false},
			"host_name":{"type":"string"},"labels":{"type":"object"},
			"maintenance":{"anyOf":[{"type":"boolean"},{"type":"string"}]},"state":{"type":"string"},"tags":{"type":"array"}},
			"additionalProperties":false}},"additionalProperties":false}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(openapi.Resource(host, tc.mode, tc.given...))
			if err != nil {
				t.Fatal(err)
			}
			var got, want any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("schema (-want +got):\n%s", diff)
			}
		})
	}
}
