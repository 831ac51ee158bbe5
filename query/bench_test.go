package query_test

import (
	"fmt"
	"testing"

	"github.com/ambitkit/ambit/query"
)

// reference is the predicate the performance targets are stated for.
const reference = "Hosts/host_status=HEALTHY&Hosts/cpu_count>=2|Hosts/os_type.in(rhel6,centos6)"

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query.Parse(reference); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCached(b *testing.B) {
	c := query.NewCache(nil, 1024, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Parse(reference); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCachedParallel(b *testing.B) {
	c := query.NewCache(nil, 1024, 0)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Parse(reference); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// host is a host resource of 40 properties in 4 categories, as Ambari
// renders one.
func host() map[string]any {
	h := map[string]any{
		"Hosts": map[string]any{
			"host_name": "c6401.ambari.apache.org", "cluster_name": "c1", "ip": "192.168.64.101",
			"public_host_name": "c6401.ambari.apache.org", "cpu_count": 4.0, "ph_cpu_count": 4.0,
			"total_mem": 8012312.0, "os_type": "centos6", "os_arch": "x86_64", "os_family": "redhat6",
			"rack_info": "/default-rack", "host_status": "HEALTHY", "host_state": "HEALTHY",
			"last_heartbeat_time": 1700000000000.0, "last_registration_time": 1699990000000.0,
			"maintenance_state": "OFF", "desired_configs": nil, "host_health_report": "",
		},
		"metrics": map[string]any{
			"cpu":    map[string]any{"cpu_idle": 92.5, "cpu_user": 4.1, "cpu_system": 2.2, "cpu_wio": 1.2},
			"disk":   map[string]any{"disk_free": 41.3, "disk_total": 50.0, "read_bytes": 1e6, "write_bytes": 2e6},
			"memory": map[string]any{"mem_free": 4e6, "mem_total": 8e6, "swap_free": 1e6},
		},
		"alerts_summary":      map[string]any{"CRITICAL": 0.0, "OK": 12.0, "UNKNOWN": 0.0, "WARNING": 1.0},
		"kerberos_identities": map[string]any{"count": 0.0},
	}
	return h
}

func BenchmarkEvalTree(b *testing.B) {
	e, err := query.Parse(reference)
	if err != nil {
		b.Fatal(err)
	}
	t := query.Tree(host())
	if !e.Match(t) {
		b.Fatal("reference predicate does not match the host")
	}
	b.ReportAllocs()
	for b.Loop() {
		e.Match(t)
	}
}

func BenchmarkEvalBound(b *testing.B) {
	e, err := query.Parse(reference)
	if err != nil {
		b.Fatal(err)
	}
	layout, rec := flatten(host())
	bound := query.Bind(e, layout)
	if !bound.Match(rec) {
		b.Fatal("reference predicate does not match the host")
	}
	b.ReportAllocs()
	for b.Loop() {
		bound.Match(rec)
	}
}

func BenchmarkParseLarge(b *testing.B) {
	s := "a=0"
	for i := 1; i < 200; i++ {
		s += fmt.Sprintf("&Hosts/p%d.in(x,y,%d)|Hosts/q%d>=%d", i, i, i, i)
	}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query.Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}
