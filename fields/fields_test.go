package fields_test

import (
	"testing"

	"github.com/ambitkit/ambit/fields"
	"github.com/google/go-cmp/cmp"
)

// The types of the seed's Partial Response examples: hosts, their host
// components, and the components those belong to.
func types() (host, hostComponent, component *fields.Schema) {
	host = fields.NewSchema([]string{"Hosts/cluster_name", "Hosts/host_name"},
		"Hosts/cpu_count", "Hosts/os_type", "Hosts/rack_info", "Hosts/desired_configs/*",
		"metrics/disk/disk_total", "metrics/disk/disk_free", "metrics/jvm/gcCount", "metrics/jvm/memHeapUsedM")
	hostComponent = fields.NewSchema([]string{"HostRoles/cluster_name", "HostRoles/host_name", "HostRoles/component_name"},
		"HostRoles/state", "HostRoles/desired_state", "metrics/disk/disk_total", "metrics/disk/disk_free")
	component = fields.NewSchema([]string{"ServiceComponentInfo/cluster_name", "ServiceComponentInfo/service_name", "ServiceComponentInfo/component_name"},
		"ServiceComponentInfo/state", "ServiceComponentInfo/category",
		"metrics/disk/disk_total", "metrics/disk/disk_free", "metrics/disk/part_max_used",
		"metrics/cpu/cpu_speed", "metrics/cpu/cpu_num", "metrics/cpu/cpu_idle", "metrics/dfs/namenode/*", "metrics/dfs/datanode/*")
	host.AddSub("host_components", hostComponent)
	hostComponent.AddSub("host", host).AddSub("component", component)
	component.AddSub("host_components", hostComponent)
	return host, hostComponent, component
}

const base = "http://ambari.server/api/v1/clusters/c1"

func namenodeTree() map[string]any {
	return map[string]any{
		"href": base + "/services/HDFS/components/NAMENODE",
		"ServiceComponentInfo": map[string]any{
			"cluster_name": "c1", "component_name": "NAMENODE", "service_name": "HDFS", "state": "STARTED", "category": "MASTER",
		},
		"metrics": map[string]any{
			"disk": map[string]any{"disk_total": 100000.0, "disk_free": 50000.0, "part_max_used": 1010.0},
			"cpu":  map[string]any{"cpu_speed": 10000000.0, "cpu_num": 4.0, "cpu_idle": 999999.0},
			"dfs":  map[string]any{"namenode": map[string]any{"FilesRenamed": 10.0, "FilesDeleted": 5.0}},
		},
	}
}

func hostComponentTree(name string) map[string]any {
	return map[string]any{
		"href":      base + "/hosts/host1/host_components/" + name,
		"HostRoles": map[string]any{"cluster_name": "c1", "component_name": name, "host_name": "host1", "state": "STARTED", "desired_state": "STARTED"},
		"metrics":   map[string]any{"disk": map[string]any{"disk_total": 100000000.0, "disk_free": 5000000.0}},
		"host":      map[string]any{"href": base + "/hosts/host1", "Hosts": map[string]any{"cluster_name": "c1", "host_name": "host1"}},
		"component": namenodeTree(),
	}
}

func hostTree() map[string]any {
	return map[string]any{
		"href": base + "/hosts/host1",
		"Hosts": map[string]any{
			"cluster_name": "c1", "host_name": "host1", "cpu_count": 4.0, "os_type": "centos6",
			"desired_configs": map[string]any{"core-site": map[string]any{"tag": "v2"}},
		},
		"metrics": map[string]any{
			"disk": map[string]any{"disk_total": 50.0, "disk_free": 41.3},
			"jvm":  map[string]any{"gcCount": 12.0, "memHeapUsedM": 300.0},
		},
		"host_components": []any{hostComponentTree("NAMENODE"), hostComponentTree("DATANODE")},
	}
}

func hcLink(name string) map[string]any {
	return map[string]any{
		"href":      base + "/hosts/host1/host_components/" + name,
		"HostRoles": map[string]any{"cluster_name": "c1", "component_name": name, "host_name": "host1"},
	}
}

var (
	hostKeys = map[string]any{"cluster_name": "c1", "host_name": "host1"}
	nnKeys   = map[string]any{"cluster_name": "c1", "component_name": "NAMENODE", "service_name": "HDFS"}
)

func TestSelectSeedExamples(t *testing.T) {
	host, _, component := types()
	tests := []struct {
		name   string
		fields string
		typ    fields.Type
		def    fields.Default
		tree   map[string]any
		want   map[string]any
	}{
		{"a specific field", "metrics/disk/disk_total", component, fields.Everything, namenodeTree(), map[string]any{
			"href":                 base + "/services/HDFS/components/NAMENODE",
			"ServiceComponentInfo": nnKeys,
			"metrics":              map[string]any{"disk": map[string]any{"disk_total": 100000.0}},
		}},
		{"a category", "metrics/disk", component, fields.Everything, namenodeTree(), map[string]any{
			"href":                 base + "/services/HDFS/components/NAMENODE",
			"ServiceComponentInfo": nnKeys,
			"metrics":              map[string]any{"disk": namenodeTree()["metrics"].(map[string]any)["disk"]},
		}},
		{"fields and categories", "metrics/disk/disk_total,metrics/cpu", component, fields.Everything, namenodeTree(), map[string]any{
			"href":                 base + "/services/HDFS/components/NAMENODE",
			"ServiceComponentInfo": nnKeys,
			"metrics": map[string]any{
				"disk": map[string]any{"disk_total": 100000.0},
				"cpu":  map[string]any{"cpu_speed": 10000000.0, "cpu_num": 4.0, "cpu_idle": 999999.0},
			},
		}},
		{"a sub-resource", "host_components", host, fields.Everything, hostTree(), map[string]any{
			"href":            base + "/hosts/host1",
			"Hosts":           hostKeys,
			"host_components": []any{hcLink("NAMENODE"), hcLink("DATANODE")},
		}},
		{"a sub-resource expanded one level", "host_components/*", host, fields.Everything, hostTree(), map[string]any{
			"href":  base + "/hosts/host1",
			"Hosts": hostKeys,
			"host_components": []any{
				expanded("NAMENODE"), expanded("DATANODE"),
			},
		}},
		{"multi-level expansion", "host_components/component/*", host, fields.Everything, hostTree(), map[string]any{
			"href":  base + "/hosts/host1",
			"Hosts": hostKeys,
			"host_components": []any{
				withComponent(hcLink("NAMENODE")), withComponent(hcLink("DATANODE")),
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := fields.Parse(tt.fields)
			if err != nil {
				t.Fatal(err)
			}
			s := fields.Resolve(l, tt.typ, tt.def)
			if len(s.Unknown) > 0 {
				t.Fatalf("unknown: %v", s.Unknown)
			}
			if diff := cmp.Diff(tt.want, s.Select(tt.tree)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// expanded is a host component with every property and its sub-resources
// as links.
func expanded(name string) map[string]any {
	full := hostComponentTree(name)
	full["component"] = map[string]any{"href": base + "/services/HDFS/components/NAMENODE", "ServiceComponentInfo": nnKeys}
	return full
}

func withComponent(link map[string]any) map[string]any {
	link["component"] = namenodeTree()
	return link
}

func TestResolveAndSelect(t *testing.T) {
	host, _, _ := types()
	full := hostTree()
	links := []any{hcLink("NAMENODE"), hcLink("DATANODE")}
	everything := map[string]any{
		"href": full["href"], "Hosts": full["Hosts"], "metrics": full["metrics"], "host_components": links,
	}
	tests := []struct {
		name   string
		fields string
		def    fields.Default
		want   map[string]any
	}{
		{"instance default", "", fields.Everything, everything},
		{"collection default", "", fields.Keys, map[string]any{"href": full["href"], "Hosts": hostKeys}},
		{"star", "*", fields.Keys, everything},
		{"star less a category", "*,-metrics", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": full["Hosts"], "host_components": links,
		}},
		{"exclusion order does not matter", "-metrics,*", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": full["Hosts"], "host_components": links,
		}},
		{"exclusions alone apply to the default", "-metrics,-host_components", fields.Everything, map[string]any{
			"href": full["href"], "Hosts": full["Hosts"],
		}},
		{"exclusion inside a category", "metrics,-metrics/jvm/gcCount", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": hostKeys,
			"metrics": map[string]any{"disk": full["metrics"].(map[string]any)["disk"], "jvm": map[string]any{"memHeapUsedM": 300.0}},
		}},
		{"keys survive exclusion", "*,-Hosts", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": hostKeys, "metrics": full["metrics"], "host_components": links,
		}},
		{"trailing star is the category", "Hosts/*", fields.Keys, map[string]any{"href": full["href"], "Hosts": full["Hosts"]}},
		{"sub-resource property", "host_components/HostRoles/state", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": hostKeys,
			"host_components": []any{withState(hcLink("NAMENODE")), withState(hcLink("DATANODE"))},
		}},
		{"excluding inside an expanded sub-resource", "host_components/*,-host_components/metrics,-host_components/component", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": hostKeys,
			"host_components": []any{noMetrics("NAMENODE"), noMetrics("DATANODE")},
		}},
		{"map property entries", "Hosts/desired_configs/core-site/tag", fields.Keys, map[string]any{
			"href": full["href"],
			"Hosts": map[string]any{"cluster_name": "c1", "host_name": "host1",
				"desired_configs": map[string]any{"core-site": map[string]any{"tag": "v2"}}},
		}},
		{"spaces and empty items", " Hosts/cpu_count ,, ", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": map[string]any{"cluster_name": "c1", "host_name": "host1", "cpu_count": 4.0},
		}},
		{"a property absent from the tree", "Hosts/rack_info,Hosts/os_type", fields.Keys, map[string]any{
			"href": full["href"], "Hosts": map[string]any{"cluster_name": "c1", "host_name": "host1", "os_type": "centos6"},
		}},
		{"exclude everything but keys", "-*", fields.Everything, map[string]any{"href": full["href"], "Hosts": hostKeys}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := fields.Parse(tt.fields)
			if err != nil {
				t.Fatal(err)
			}
			s := fields.Resolve(l, host, tt.def)
			if len(s.Unknown) > 0 {
				t.Fatalf("unknown: %v", s.Unknown)
			}
			if diff := cmp.Diff(tt.want, s.Select(full)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(hostTree(), full); diff != "" {
		t.Errorf("Select changed its input (-before +after)\n%s", diff)
	}
}

func withState(link map[string]any) map[string]any {
	link["HostRoles"].(map[string]any)["state"] = "STARTED"
	return link
}

func noMetrics(name string) map[string]any {
	hc := hostComponentTree(name)
	delete(hc, "metrics")
	delete(hc, "component")
	return hc
}

func TestSelectSharesWholeSubtrees(t *testing.T) {
	host, _, _ := types()
	full := hostTree()
	l, _ := fields.Parse("metrics/disk,Hosts/cpu_count")
	got := fields.Resolve(l, host, fields.Keys).Select(full)
	disk := got["metrics"].(map[string]any)["disk"].(map[string]any)
	disk["shared"] = true // visible in the input only if the map was shared
	if full["metrics"].(map[string]any)["disk"].(map[string]any)["shared"] != true {
		t.Error("a subtree selected whole was copied")
	}
}

func TestUnknown(t *testing.T) {
	host, _, _ := types()
	l, err := fields.Parse("foo,Hosts/bar,Hosts/cpu_count,host_components/x,host_components/component/y/*,-nope,Hosts/desired_configs/any/thing,metrics/jvm/*")
	if err != nil {
		t.Fatal(err)
	}
	s := fields.Resolve(l, host, fields.Keys)
	want := []string{"foo", "Hosts/bar", "host_components/x", "host_components/component/y/*", "-nope"}
	if diff := cmp.Diff(want, s.Unknown); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestAdd(t *testing.T) {
	host, _, _ := types()
	s := fields.Resolve(nil, host, fields.Keys)
	s.Add([]string{"Hosts", "cpu_count"}, []string{"host_components", "HostRoles", "state"}, []string{"Hosts", "nope"})
	if diff := cmp.Diff([]string{"Hosts/nope"}, s.Unknown); diff != "" {
		t.Errorf("unknown (-want +got)\n%s", diff)
	}
	want := map[string]any{
		"href":            base + "/hosts/host1",
		"Hosts":           map[string]any{"cluster_name": "c1", "host_name": "host1", "cpu_count": 4.0},
		"host_components": []any{withState(hcLink("NAMENODE")), withState(hcLink("DATANODE"))},
	}
	if diff := cmp.Diff(want, s.Select(hostTree())); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestSelectionQueries(t *testing.T) {
	host, _, _ := types()
	l, _ := fields.Parse("metrics/jvm[1360610225,1360610300,15],metrics/disk/disk_free[1360610225],Hosts,-Hosts/os_type,host_components/HostRoles/state")
	s := fields.Resolve(l, host, fields.Keys)

	includes := map[string]bool{
		"Hosts/cpu_count": true, "Hosts/os_type": false, "Hosts/host_name": true, "metrics/jvm/gcCount": true,
		"metrics/disk/disk_free": true, "metrics/disk/disk_total": false, "metrics": false, "nothing": false,
	}
	for p, want := range includes {
		if got := s.Includes(split(p)); got != want {
			t.Errorf("Includes(%s) = %v, want %v", p, got, want)
		}
	}
	partly := map[string]bool{
		"metrics": true, "metrics/disk": true, "metrics/jvm": false, "Hosts": true,
		"Hosts/cpu_count": false, "nothing": false,
	}
	for p, want := range partly {
		if got := s.Partly(split(p)); got != want {
			t.Errorf("Partly(%s) = %v, want %v", p, got, want)
		}
	}

	type temporal struct {
		T  *fields.Temporal
		OK bool
	}
	jvm := &fields.Temporal{Start: 1360610225000, End: 1360610300000, Step: 15}
	free := &fields.Temporal{Start: 1360610225000, End: -1, Step: -1}
	temporals := map[string]temporal{
		"metrics/jvm":            {jvm, true},
		"metrics/jvm/gcCount":    {jvm, true},
		"metrics/disk/disk_free": {free, true},
		"metrics/disk":           {nil, false},
		"Hosts/cpu_count":        {nil, false},
	}
	for p, want := range temporals {
		tm, ok := s.Temporal(split(p))
		if diff := cmp.Diff(want, temporal{tm, ok}); diff != "" {
			t.Errorf("Temporal(%s) (-want +got)\n%s", p, diff)
		}
	}

	if diff := cmp.Diff([]string{"host_components"}, s.Subs()); diff != "" {
		t.Errorf("Subs (-want +got)\n%s", diff)
	}
	hc, ok := s.Sub("host_components")
	if !ok || hc.LinksOnly() {
		t.Errorf("host_components: ok=%v, links only=%v; want an expanded sub-resource", ok, ok && hc.LinksOnly())
	}
	links := fields.Resolve(mustParse(t, "host_components"), host, fields.Keys)
	if hc, _ := links.Sub("host_components"); !hc.LinksOnly() {
		t.Error("fields=host_components should render links only")
	}
	if _, ok := s.Sub("host"); ok {
		t.Error("a sub-resource that was not asked for is included")
	}
}

func TestStarTemporalAppliesEverywhere(t *testing.T) {
	host, _, _ := types()
	s := fields.Resolve(mustParse(t, "*[100,200]"), host, fields.Keys)
	tm, ok := s.Temporal(split("metrics/jvm/gcCount"))
	if diff := cmp.Diff(&fields.Temporal{Start: 100000, End: 200000, Step: -1}, tm); !ok || diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func mustParse(t *testing.T, s string) fields.List {
	t.Helper()
	l, err := fields.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func split(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}
