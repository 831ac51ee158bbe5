package cluster_test

import (
	"testing"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

func desiredConfigs(t *testing.T, m *cluster.Manager) map[string]any {
	t.Helper()
	c, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Clusters, Keys: []string{"c1"}})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := c.Tree()["Clusters"].(map[string]any)["desired_configs"].(map[string]any)
	return d
}

func TestConfigurations(t *testing.T) {
	m, _ := cluster.NewManager(cluster.BuiltinStack(), nil)
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	// A service's defaults, with an override, become version1 and apply.
	if err := m.AddService(ctx, "c1", "ZOOKEEPER", map[string]map[string]string{"zoo.cfg": {"clientPort": "2281"}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"zoo.cfg":       map[string]any{"tag": "version1", "version": 1.0},
		"zookeeper-env": map[string]any{"tag": "version1", "version": 1.0},
	}
	if diff := cmp.Diff(want, desiredConfigs(t, m)); diff != "" {
		t.Errorf("desired configs after AddService (-want +got)\n%s", diff)
	}
	res, err := m.Store().List(ctx, resource.Query{Type: cluster.Configurations, Instance: true, Page: paging.Request{Size: paging.All},
		Scope: map[string]string{"Config/cluster_name": "c1", "Config/id": "zoo.cfg:version1"}})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("list: %v, %d items", err, len(res.Items))
	}
	if port := res.Items[0]["properties"].(map[string]any)["clientPort"]; port != "2281" {
		t.Errorf("the override did not win: clientPort %v", port)
	}

	// A new tag of a type gets the next version; applying it shows it.
	v, err := m.CreateConfig(ctx, "c1", "zoo.cfg", "version2", map[string]string{"clientPort": "2381"})
	if err != nil || v != 2 {
		t.Fatalf("CreateConfig = %d, %v", v, err)
	}
	if err := m.ApplyConfig(ctx, "c1", "zoo.cfg", "version2", nil); err != nil {
		t.Fatal(err)
	}
	if got := desiredConfigs(t, m)["zoo.cfg"]; !cmp.Equal(got, map[string]any{"tag": "version2", "version": 2.0}) {
		t.Errorf("zoo.cfg desired %v", got)
	}

	// (type, tag) is unique and immutable: a duplicate is a 409.
	_, err = m.CreateConfig(ctx, "c1", "zoo.cfg", "version2", map[string]string{"clientPort": "1"})
	if e := storeError(err); e.Kind != resource.Conflict || e.Msg != "Configuration with tag 'version2' exists for 'zoo.cfg'" {
		t.Errorf("duplicate: %v", err)
	}
	// Applying with properties creates and applies in one transaction.
	if err := m.ApplyConfig(ctx, "c1", "core-site", "v1", map[string]string{"fs.defaultFS": "hdfs://nn:8020"}); err != nil {
		t.Fatal(err)
	}
	if got := desiredConfigs(t, m)["core-site"]; !cmp.Equal(got, map[string]any{"tag": "v1", "version": 1.0}) {
		t.Errorf("core-site desired %v", got)
	}
	if err := m.ApplyConfig(ctx, "c1", "core-site", "nope", nil); storeError(err).Kind != resource.Invalid {
		t.Errorf("applying an unknown tag: %v", err)
	}
	if err := m.AddService(ctx, "c1", "KAFKA", map[string]map[string]string{"nope-site": {"a": "b"}}); storeError(err).Kind != resource.Invalid {
		t.Errorf("an override of an unknown type: %v", err)
	}
}

// TestHostConfigOverrides checks host-level overrides: shown beside the
// cluster's tag on the hosts named, all or nothing, and only for a type the
// cluster has.
func TestHostConfigOverrides(t *testing.T) {
	m, _ := cluster.NewManager(cluster.BuiltinStack(), nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(m.CreateCluster(ctx, "c1"))
	for _, h := range []string{"h1", "h2"} {
		must(m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": h}}))
	}
	must(m.AddService(ctx, "c1", "ZOOKEEPER", nil))
	hostConfigs := func(h string) any {
		r, err := m.Store().Get(ctx, resource.Ref{Type: cluster.Hosts, Keys: []string{"c1", h}})
		must(err)
		return r.Tree()["Hosts"].(map[string]any)["desired_configs"]
	}

	must(m.ApplyHostConfig(ctx, "c1", []string{"h1"}, "zoo.cfg", "h1-ports", map[string]string{"clientPort": "2999"}))
	want := map[string]any{"zoo.cfg": map[string]any{"default": "version1", "overrides": map[string]any{"h1": "h1-ports"}}}
	if diff := cmp.Diff(want, hostConfigs("h1")); diff != "" {
		t.Errorf("h1 (-want +got)\n%s", diff)
	}
	if got := hostConfigs("h2"); got != nil {
		t.Errorf("h2 was not named but has %v", got)
	}

	for name, err := range map[string]error{
		"a type the cluster lacks":   m.ApplyHostConfig(ctx, "c1", []string{"h2"}, "hdfs-site", "x", map[string]string{"a": "b"}),
		"a tag that does not exist":  m.ApplyHostConfig(ctx, "c1", []string{"h2"}, "zoo.cfg", "nope", nil),
		"a host that does not exist": m.ApplyHostConfig(ctx, "c1", []string{"h2", "h9"}, "zoo.cfg", "h1-ports", nil),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if got := hostConfigs("h2"); got != nil {
			t.Errorf("%s: h2 changed to %v (the write is all or nothing)", name, got)
		}
	}
	if e := storeError(m.ApplyHostConfig(ctx, "c1", []string{"h2"}, "hdfs-site", "y", map[string]string{"a": "b"})); e.Kind != resource.Invalid {
		t.Errorf("a type the cluster lacks: %s %s", e.Kind, e.Msg)
	}
}
