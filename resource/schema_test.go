package resource_test

import (
	"context"
	"testing"

	"github.com/ambitkit/ambit/resource"
)

// schema is a small Ambari-shaped schema: clusters with hosts, services and
// components, and host components that belong both to a host (their parent)
// and to a component (through a sub-resource mapping).
func schema() []resource.Type {
	return []resource.Type{
		{Name: "Cluster", Collection: "clusters", Singular: "cluster", Keys: []string{"Clusters/cluster_name"},
			Properties: []resource.Property{
				{Path: "Clusters/version", Kind: resource.String},
				{Path: "Clusters/desired_configs", Kind: resource.Object},
			}},
		{Name: "Host", Collection: "hosts", Singular: "host", Parent: "clusters",
			Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []resource.Property{
				{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true},
				{Path: "Hosts/os_type", Kind: resource.String, Indexed: true},
				{Path: "Hosts/host_status", Kind: resource.String, Default: "UNKNOWN"},
				{Path: "Hosts/rack_info", Kind: resource.String},
				{Path: "Hosts/maintenance", Kind: resource.Bool},
				{Path: "Hosts/ip", Kind: resource.String, ReadOnly: true},
				{Path: "metrics/disk/disk_free", Kind: resource.Number},
				{Path: "metrics/disk/disk_total", Kind: resource.Number},
				{Path: "metrics/jvm/gcCount", Kind: resource.Number},
			}},
		{Name: "Service", Collection: "services", Singular: "service", Parent: "clusters",
			Keys: []string{"ServiceInfo/cluster_name", "ServiceInfo/service_name"},
			Properties: []resource.Property{
				{Path: "ServiceInfo/state", Kind: resource.String, Indexed: true},
			}},
		{Name: "Component", Collection: "components", Singular: "component", Parent: "services",
			Keys: []string{"ServiceComponentInfo/cluster_name", "ServiceComponentInfo/service_name", "ServiceComponentInfo/component_name"},
			Properties: []resource.Property{
				{Path: "ServiceComponentInfo/category", Kind: resource.String},
			},
			Subs: []resource.Sub{{Name: "host_components", Type: "host_components", On: map[string]string{
				"ServiceComponentInfo/cluster_name":   "HostRoles/cluster_name",
				"ServiceComponentInfo/component_name": "HostRoles/component_name",
			}}}},
		{Name: "HostComponent", Collection: "host_components", Singular: "host_component", Parent: "hosts",
			Keys: []string{"HostRoles/cluster_name", "HostRoles/host_name", "HostRoles/component_name"},
			Properties: []resource.Property{
				{Path: "HostRoles/service_name", Kind: resource.String},
				{Path: "HostRoles/state", Kind: resource.String, Indexed: true, Default: "INIT"},
			},
			Subs: []resource.Sub{
				{Name: "host", Type: "hosts", Single: true, On: map[string]string{
					"HostRoles/cluster_name": "Hosts/cluster_name", "HostRoles/host_name": "Hosts/host_name"}},
				{Name: "component", Type: "components", Single: true, On: map[string]string{
					"HostRoles/cluster_name": "ServiceComponentInfo/cluster_name", "HostRoles/service_name": "ServiceComponentInfo/service_name",
					"HostRoles/component_name": "ServiceComponentInfo/component_name"}},
			}},
	}
}

func newStore(t testing.TB) *resource.Store {
	t.Helper()
	s, err := resource.New(schema()...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture fills a store: cluster c1 with three hosts, HDFS with two
// components, and host components on the hosts.
func fixture(t testing.TB) *resource.Store {
	t.Helper()
	s := newStore(t)
	ctx := context.Background()
	must := func(_ []resource.Resource, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1", "version", "HDP-2.0")))
	must(s.Create(ctx, "hosts", "",
		host("h1", 4, "rhel8", 41.5), host("h2", 1, "centos7", 10), host("h3", 8, "rhel8", 90)))
	must(s.Create(ctx, "services", "", tree("ServiceInfo", "cluster_name", "c1", "service_name", "HDFS", "state", "INSTALLED")))
	must(s.Create(ctx, "components", "",
		tree("ServiceComponentInfo", "cluster_name", "c1", "service_name", "HDFS", "component_name", "NAMENODE", "category", "MASTER"),
		tree("ServiceComponentInfo", "cluster_name", "c1", "service_name", "HDFS", "component_name", "DATANODE", "category", "SLAVE")))
	must(s.Create(ctx, "host_components", "",
		hc("h1", "NAMENODE", "STARTED"), hc("h1", "DATANODE", "STARTED"), hc("h2", "DATANODE", "INSTALLED"), hc("h3", "DATANODE", "STARTED")))
	return s
}

// tree builds {category: {k1: v1, ...}}.
func tree(category string, kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return map[string]any{category: m}
}

func host(name string, cpus float64, os string, free float64) map[string]any {
	h := tree("Hosts", "cluster_name", "c1", "host_name", name, "cpu_count", cpus, "os_type", os)
	h["metrics"] = map[string]any{"disk": map[string]any{"disk_free": free, "disk_total": 100.0}}
	return h
}

func hc(hostName, component, state string) map[string]any {
	return tree("HostRoles", "cluster_name", "c1", "host_name", hostName, "component_name", component, "service_name", "HDFS", "state", state)
}
