package fields_test

import (
	"encoding/json"
	"fmt"

	"github.com/ambitkit/ambit/fields"
)

func hostSchema() *fields.Schema {
	hc := fields.NewSchema([]string{"HostRoles/host_name", "HostRoles/component_name"}, "HostRoles/state")
	return fields.NewSchema([]string{"Hosts/host_name"}, "Hosts/cpu_count", "Hosts/os_type", "metrics/disk/disk_free", "metrics/disk/disk_total").
		AddSub("host_components", hc)
}

var host = map[string]any{
	"Hosts":   map[string]any{"host_name": "h1", "cpu_count": 4, "os_type": "rhel8"},
	"metrics": map[string]any{"disk": map[string]any{"disk_free": 41, "disk_total": 50}},
	"host_components": []any{
		map[string]any{"HostRoles": map[string]any{"host_name": "h1", "component_name": "DATANODE", "state": "STARTED"}},
	},
}

func show(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func Example() {
	l, err := fields.Parse("Hosts/cpu_count,metrics/disk/disk_free")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := fields.Resolve(l, hostSchema(), fields.Keys)
	show(s.Select(host))
	// Output: {"Hosts":{"cpu_count":4,"host_name":"h1"},"metrics":{"disk":{"disk_free":41}}}
}

func Example_exclusion() {
	l, _ := fields.Parse("*,-metrics,-host_components")
	s := fields.Resolve(l, hostSchema(), fields.Keys)
	show(s.Select(host))
	// Output: {"Hosts":{"cpu_count":4,"host_name":"h1","os_type":"rhel8"}}
}

func Example_subResources() {
	for _, expr := range []string{"host_components", "host_components/HostRoles/state"} {
		l, _ := fields.Parse(expr)
		s := fields.Resolve(l, hostSchema(), fields.Keys)
		show(s.Select(host))
	}
	// Output:
	// {"Hosts":{"host_name":"h1"},"host_components":[{"HostRoles":{"component_name":"DATANODE","host_name":"h1"}}]}
	// {"Hosts":{"host_name":"h1"},"host_components":[{"HostRoles":{"component_name":"DATANODE","host_name":"h1","state":"STARTED"}}]}
}

func Example_unknown() {
	l, _ := fields.Parse("Hosts/cpu_count,Hosts/foo,bar")
	s := fields.Resolve(l, hostSchema(), fields.Keys)
	fmt.Println(s.Unknown)
	// Output: [Hosts/foo bar]
}

func ExampleSelection_AppendJSON() {
	l, _ := fields.Parse("metrics/disk")
	s := fields.Resolve(l, hostSchema(), fields.Keys)
	b, _ := s.AppendJSON(nil, host)
	fmt.Println(string(b))
	// Output: {"Hosts":{"host_name":"h1"},"metrics":{"disk":{"disk_free":41,"disk_total":50}}}
}

func ExampleSelection_Temporal() {
	l, _ := fields.Parse("metrics/jvm[1360610225,1360610300,15]")
	s := fields.Resolve(l, fields.NewSchema(nil, "metrics/jvm/gcCount"), fields.Keys)
	t, _ := s.Temporal([]string{"metrics", "jvm", "gcCount"})
	fmt.Println(t.Start, t.End, t.Step)
	// Output: 1360610225000 1360610300000 15
}
