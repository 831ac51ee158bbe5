package resource_test

import (
	"errors"
	"testing"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

func TestHooks(t *testing.T) {
	types := schema()
	var log []string
	for i := range types {
		if types[i].Collection != "services" {
			continue
		}
		types[i].Hooks = resource.Hooks{
			// Creating a service records an event on its cluster, in the
			// same transaction; a service named BAD is refused.
			Created: func(tx *resource.Tx, r resource.Resource) error {
				name := r.Keys()[1]
				if name == "BAD" {
					return errors.New("bad service")
				}
				log = append(log, "created "+name)
				_, err := tx.Update(resource.Ref{Type: "clusters", Keys: r.Keys()[:1]}, tree("Clusters", "version", "has-"+name), 0)
				return err
			},
			// An update derives a property by updating its own resource,
			// which does not call the hook again.
			Updated: func(tx *resource.Tx, old, new resource.Resource) error {
				log = append(log, "updated "+new.Keys()[1])
				_, err := tx.Update(resource.Ref{Type: "services", Keys: new.Keys()}, tree("ServiceInfo", "state", "DERIVED"), 0)
				return err
			},
			Deleted: func(tx *resource.Tx, r resource.Resource) error {
				log = append(log, "deleted "+r.Keys()[1])
				return nil
			},
		}
	}
	s, err := resource.New(types...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	svc := func(name string) map[string]any {
		return tree("ServiceInfo", "cluster_name", "c1", "service_name", name)
	}
	if _, err := s.Create(ctx, "services", "", svc("HDFS")); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Get(ctx, resource.Ref{Type: "clusters", Keys: []string{"c1"}})
	if got := c.Tree()["Clusters"].(map[string]any)["version"]; got != "has-HDFS" {
		t.Errorf("the created hook's write did not commit: %v", got)
	}
	if _, err := s.Create(ctx, "services", "", svc("ZOOKEEPER"), svc("BAD")); err == nil {
		t.Fatal("a hook error did not fail the create")
	}
	if _, err := s.Get(ctx, resource.Ref{Type: "services", Keys: []string{"c1", "ZOOKEEPER"}}); err == nil {
		t.Error("the failed transaction kept ZOOKEEPER")
	}
	c, _ = s.Get(ctx, resource.Ref{Type: "clusters", Keys: []string{"c1"}})
	if got := c.Tree()["Clusters"].(map[string]any)["version"]; got != "has-HDFS" {
		t.Errorf("the failed transaction kept the hook's write: %v", got)
	}
	r, err := s.Update(ctx, resource.Ref{Type: "services", Keys: []string{"c1", "HDFS"}}, tree("ServiceInfo", "state", "STARTED"), 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, resource.Ref{Type: "services", Keys: []string{"c1", "HDFS"}})
	if st := got.Tree()["ServiceInfo"].(map[string]any)["state"]; st != "DERIVED" {
		t.Errorf("state %v, want the hook's DERIVED (update returned %v)", st, r.Tree())
	}
	if err := s.Delete(ctx, resource.Ref{Type: "services", Keys: []string{"c1", "HDFS"}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"created HDFS", "created ZOOKEEPER", "updated HDFS", "deleted HDFS"}
	if diff := cmp.Diff(want, log); diff != "" {
		t.Errorf("hook calls (-want +got)\n%s", diff)
	}
}

func TestTemporalAndMinimal(t *testing.T) {
	types := schema()
	for i := range types {
		if types[i].Collection != "hosts" {
			continue
		}
		for j := range types[i].Properties {
			if types[i].Properties[j].Path == "metrics/jvm/gcCount" {
				types[i].Properties[j].Temporal = true
			}
		}
		types[i].Points = func(r resource.Resource, path string, tm fields.Temporal) ([][2]float64, error) {
			var out [][2]float64
			for ts := tm.Start / 1000; ts <= tm.End/1000; ts += tm.Step {
				out = append(out, [2]float64{float64(ts % 7), float64(ts)})
			}
			return out, nil
		}
	}
	s, err := resource.New(types...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "hosts", "", host("h1", 4, "rhel8", 1)); err != nil {
		t.Fatal(err)
	}
	l, _ := fields.Parse("metrics/jvm/gcCount[1360610225,1360610255,15]")
	res, err := s.List(ctx, resource.Query{Type: "hosts", Fields: l, Minimal: true, Page: paging.Request{Size: paging.All}})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{
		"Hosts":   map[string]any{"host_name": "h1"},
		"metrics": map[string]any{"jvm": map[string]any{"gcCount": []any{[]any{2.0, 1360610225.0}, []any{3.0, 1360610240.0}, []any{4.0, 1360610255.0}}}},
	}}
	if diff := cmp.Diff(want, res.Items); diff != "" {
		t.Errorf("temporal points, minimal (no href, no foreign keys) (-want +got)\n%s", diff)
	}
}
