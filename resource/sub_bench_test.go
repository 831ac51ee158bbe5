package resource_test

import (
	"fmt"
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// subFixture is a cluster of n hosts, each with a DataNode and every
// tenth with a NameNode.
func subFixture(b *testing.B, n int) *resource.Store {
	b.Helper()
	s := newStore(b)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Create(ctx, "services", "", tree("ServiceInfo", "cluster_name", "c1", "service_name", "HDFS")); err != nil {
		b.Fatal(err)
	}
	hosts, hcs := make([]map[string]any, n), []map[string]any{}
	for i := range hosts {
		name := fmt.Sprintf("h%05d", i)
		hosts[i] = host(name, float64(1+i%8), []string{"rhel8", "centos7"}[i%2], 1)
		hcs = append(hcs, hc(name, "DATANODE", "STARTED"))
		if i%10 == 0 {
			hcs = append(hcs, hc(name, "NAMENODE", "STARTED"))
		}
	}
	if _, err := s.Create(ctx, "hosts", "", hosts...); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Create(ctx, "host_components", "", hcs...); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSubPredicate compares a predicate on a sub-resource
// (hosts?host_components/HostRoles/component_name=NAMENODE) with a plain
// one on the same hosts, scanning, each returning a tenth or half of them.
func BenchmarkSubPredicate(b *testing.B) {
	s := subFixture(b, 1000)
	for _, tt := range []struct{ name, pred string }{
		{"sub-resource", "host_components/HostRoles/component_name=NAMENODE"},
		{"plain", "Hosts/rack_info!=x"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			e, err := query.Parse(tt.pred)
			if err != nil {
				b.Fatal(err)
			}
			q := resource.Query{Type: "hosts", Scope: map[string]string{"Hosts/cluster_name": "c1"}, Predicate: e, Page: paging.Request{Size: paging.All}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.List(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
