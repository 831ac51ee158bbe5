package fields_test

import (
	"encoding/json"
	"testing"

	"github.com/ambitkit/ambit/fields"
)

const benchFields = "Hosts/host_name,Hosts/cpu_count,metrics/disk/*,host_components/HostRoles/state"

// benchHost is a host of 40 properties in 4 categories and its schema.
func benchHost() (*fields.Schema, map[string]any) {
	hosts := map[string]any{}
	metrics := map[string]any{"cpu": map[string]any{}, "disk": map[string]any{}, "memory": map[string]any{}}
	alerts := map[string]any{}
	var props []string
	for _, p := range []string{"host_name", "cluster_name", "ip", "public_host_name", "cpu_count", "ph_cpu_count",
		"total_mem", "os_type", "os_arch", "os_family", "rack_info", "host_status", "host_state",
		"last_heartbeat_time", "last_registration_time", "maintenance_state", "host_health_report", "recovery_summary"} {
		hosts[p] = "value of " + p
		props = append(props, "Hosts/"+p)
	}
	hosts["cpu_count"] = 4.0
	for cat, names := range map[string][]string{
		"cpu":    {"cpu_idle", "cpu_user", "cpu_system", "cpu_wio", "cpu_nice"},
		"disk":   {"disk_free", "disk_total", "read_bytes", "write_bytes", "read_count"},
		"memory": {"mem_free", "mem_total", "swap_free", "mem_cached"},
	} {
		for _, n := range names {
			metrics[cat].(map[string]any)[n] = 42.5
			props = append(props, "metrics/"+cat+"/"+n)
		}
	}
	for _, n := range []string{"CRITICAL", "OK", "UNKNOWN", "WARNING", "MAINTENANCE", "TOTAL", "LAST", "FIRST"} {
		alerts[n] = 1.0
		props = append(props, "alerts_summary/"+n)
	}
	hc := fields.NewSchema([]string{"HostRoles/cluster_name", "HostRoles/host_name", "HostRoles/component_name"}, "HostRoles/state")
	s := fields.NewSchema([]string{"Hosts/cluster_name", "Hosts/host_name"}, props...).AddSub("host_components", hc)
	tree := map[string]any{
		"href": "http://ambari/api/v1/hosts/h1", "Hosts": hosts, "metrics": metrics, "alerts_summary": alerts,
		"kerberos_identities": map[string]any{"count": 0.0},
	}
	return s, tree
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fields.Parse(benchFields); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSelection(b *testing.B, expr string) (*fields.Selection, map[string]any) {
	schema, tree := benchHost()
	l, err := fields.Parse(expr)
	if err != nil {
		b.Fatal(err)
	}
	s := fields.Resolve(l, schema, fields.Keys)
	if len(s.Unknown) > 0 {
		b.Fatal(s.Unknown)
	}
	return s, tree
}

func BenchmarkSelectPaths(b *testing.B) {
	s, tree := benchSelection(b, "Hosts/host_name,Hosts/cpu_count,Hosts/os_type,metrics/disk/disk_free")
	b.ReportAllocs()
	for b.Loop() {
		s.Select(tree)
	}
}

func BenchmarkSelectAllButMetrics(b *testing.B) {
	s, tree := benchSelection(b, "*,-metrics")
	b.ReportAllocs()
	for b.Loop() {
		s.Select(tree)
	}
}

// The JSON benchmarks compare the two ways to render a selected view:
// select then encoding/json, or AppendJSON straight from the tree.
func BenchmarkSelectPathsJSON(b *testing.B) {
	benchJSON(b, "Hosts/host_name,Hosts/cpu_count,Hosts/os_type,metrics/disk/disk_free")
}

func BenchmarkSelectAllButMetricsJSON(b *testing.B) { benchJSON(b, "*,-metrics") }

func benchJSON(b *testing.B, expr string) {
	s, tree := benchSelection(b, expr)
	b.Run("Select+Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(s.Select(tree)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = s.AppendJSON(buf[:0], tree); err != nil {
				b.Fatal(err)
			}
		}
	})
}
