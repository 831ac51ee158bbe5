package resource_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

var ctx = context.Background()

func TestCreateGet(t *testing.T) {
	s := fixture(t)
	r, err := s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Hosts":   map[string]any{"cluster_name": "c1", "host_name": "h1", "cpu_count": 4.0, "os_type": "rhel8", "host_status": "UNKNOWN"},
		"metrics": map[string]any{"disk": map[string]any{"disk_free": 41.5, "disk_total": 100.0}},
	}
	if diff := cmp.Diff(want, r.Tree()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if r.Namespace() != resource.Default || r.Version() == 0 {
		t.Errorf("namespace %q version %d", r.Namespace(), r.Version())
	}
	if diff := cmp.Diff([]string{"c1", "h1"}, r.Keys()); diff != "" {
		t.Errorf("keys (-want +got)\n%s", diff)
	}
}

// storeError asserts that err is the store's typed error of a kind, with
// the message.
func storeError(t *testing.T, err error, kind resource.ErrorKind, message string) *resource.Error {
	t.Helper()
	var e *resource.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not the store's", err)
	}
	if e.Kind != kind || e.Msg != message {
		t.Errorf("error = %s %q\nwant    %s %q", e.Kind, e.Msg, kind, message)
	}
	return e
}

func TestCreateErrors(t *testing.T) {
	s := fixture(t)
	long := strings.Repeat("x", 200)
	tests := []struct {
		name   string
		typ    string
		bodies []map[string]any
		kind   resource.ErrorKind
		msg    string
	}{
		{"duplicate", "hosts", []map[string]any{host("h1", 1, "x", 1)}, resource.Exists,
			"Host already exists: Hosts/cluster_name=c1, Hosts/host_name=h1."},
		{"missing parent", "hosts", []map[string]any{tree("Hosts", "cluster_name", "c9", "host_name", "h9")}, resource.NotFound,
			"Cluster not found: Clusters/cluster_name=c9."},
		{"unknown properties", "hosts", []map[string]any{{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h9", "foo": 1, "bar": map[string]any{"x": 1}}, "nope": 2}}, resource.Invalid,
			"The properties [Hosts/bar, Hosts/foo, nope] are not supported for the resource type Host."},
		{"unknown properties deep in categories", "hosts", []map[string]any{{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h9"},
			"metrics": map[string]any{"disk": map[string]any{"disk_free": 1, "nope": 2}, "cpu": map[string]any{"x": 1}}}}, resource.Invalid,
			"The properties [metrics/cpu, metrics/disk/nope] are not supported for the resource type Host."},
		{"a path longer than assign's buffer", "hosts", []map[string]any{{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h9", long: 1}}}, resource.Invalid,
			"The properties [Hosts/" + long + "] are not supported for the resource type Host."},
		{"wrong kinds", "hosts", []map[string]any{tree("Hosts", "cluster_name", "c1", "host_name", "h9", "cpu_count", "four", "maintenance", "maybe")}, resource.Invalid,
			"Invalid properties for the resource type Host: Hosts/cpu_count: four is not a number; Hosts/maintenance: maybe is not a bool."},
		{"missing keys", "hosts", []map[string]any{tree("Hosts", "cpu_count", 2)}, resource.Invalid,
			"The properties [Hosts/cluster_name, Hosts/host_name] are required to create a Host."},
		{"unknown type", "nodes", []map[string]any{{}}, resource.NotFound, "No resource type nodes."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Version()
			_, err := s.Create(ctx, tt.typ, "", tt.bodies...)
			storeError(t, err, tt.kind, tt.msg)
			if s.Version() != before {
				t.Error("a failed create changed the store")
			}
		})
	}
}

func TestCreateIsAllOrNothing(t *testing.T) {
	s := fixture(t)
	_, err := s.Create(ctx, "hosts", "", host("h7", 1, "x", 1), host("h8", 1, "x", 1), host("h1", 1, "x", 1))
	e := storeError(t, err, resource.Exists, "Host already exists: Hosts/cluster_name=c1, Hosts/host_name=h1.")
	if diff := cmp.Diff([]resource.Problem{{Path: "items[2]", Reason: e.Msg}}, e.Problems); diff != "" {
		t.Errorf("details (-want +got)\n%s", diff)
	}
	if _, err := s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h7"}}); err == nil {
		t.Error("h7 was created by a batch that failed")
	}
}

func TestStringsAreCoerced(t *testing.T) {
	s := fixture(t)
	_, err := s.Create(ctx, "hosts", "", tree("Hosts", "cluster_name", "c1", "host_name", "h9", "cpu_count", "16", "maintenance", "true", "rack_info", 7))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h9"}})
	got := r.Tree()["Hosts"].(map[string]any)
	if got["cpu_count"] != 16.0 || got["maintenance"] != true || got["rack_info"] != "7" {
		t.Errorf("stored %v", got)
	}
}

func TestGetNotFound(t *testing.T) {
	s := fixture(t)
	_, err := s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "nope"}})
	storeError(t, err, resource.NotFound, "Host not found: Hosts/cluster_name=c1, Hosts/host_name=nope.")
	_, err = s.Get(ctx, resource.Ref{Type: "hosts", Namespace: "other", Keys: []string{"c1", "h1"}})
	storeError(t, err, resource.NotFound, "Host not found: Hosts/cluster_name=c1, Hosts/host_name=h1.")
}

func TestUpdate(t *testing.T) {
	s := fixture(t)
	ref := resource.Ref{Type: "hosts", Keys: []string{"c1", "h2"}}
	before, _ := s.Get(ctx, ref)
	r, err := s.Update(ctx, ref, map[string]any{"Hosts": map[string]any{"cpu_count": 2, "rack_info": "/r1"}, "metrics": map[string]any{"disk": map[string]any{"disk_free": nil}}}, before.Version())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Hosts":   map[string]any{"cluster_name": "c1", "host_name": "h2", "cpu_count": 2.0, "os_type": "centos7", "host_status": "UNKNOWN", "rack_info": "/r1"},
		"metrics": map[string]any{"disk": map[string]any{"disk_total": 100.0}},
	}
	if diff := cmp.Diff(want, r.Tree()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(before.Tree()["Hosts"].(map[string]any)["cpu_count"], 1.0); diff != "" {
		t.Error("the update changed the resource read before it")
	}
	if r.Version() <= before.Version() {
		t.Errorf("version %d did not advance past %d", r.Version(), before.Version())
	}

	// A stale version is refused: no lost update.
	_, err = s.Update(ctx, ref, tree("Hosts", "rack_info", "/r2"), before.Version())
	storeError(t, err, resource.Stale, "The Host has changed since version "+itoa(before.Version())+": it is at version "+itoa(r.Version())+".")

	_, err = s.Update(ctx, ref, tree("Hosts", "host_name", "h9"), 0)
	storeError(t, err, resource.Invalid, "Invalid properties for the resource type Host: Hosts/host_name: read-only.")
	_, err = s.Update(ctx, ref, tree("Hosts", "host_name", "h2", "ip", "10.0.0.1"), 0)
	storeError(t, err, resource.Invalid, "Invalid properties for the resource type Host: Hosts/ip: read-only.")
	_, err = s.Update(ctx, ref, tree("Hosts", "nope", 1), 0)
	storeError(t, err, resource.Invalid, "The properties [Hosts/nope] are not supported for the resource type Host.")
	_, err = s.Update(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h9"}}, tree("Hosts", "rack_info", "x"), 0)
	storeError(t, err, resource.NotFound, "Host not found: Hosts/cluster_name=c1, Hosts/host_name=h9.")
}

func TestDeleteCascades(t *testing.T) {
	s := fixture(t)
	if err := s.Delete(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []resource.Ref{
		{Type: "hosts", Keys: []string{"c1", "h1"}},
		{Type: "host_components", Keys: []string{"c1", "h1", "NAMENODE"}},
		{Type: "host_components", Keys: []string{"c1", "h1", "DATANODE"}},
	} {
		if _, err := s.Get(ctx, ref); err == nil {
			t.Errorf("%v survived the delete", ref)
		}
	}
	if _, err := s.Get(ctx, resource.Ref{Type: "host_components", Keys: []string{"c1", "h2", "DATANODE"}}); err != nil {
		t.Errorf("another host's component was deleted: %v", err)
	}
	if err := s.Delete(ctx, resource.Ref{Type: "clusters", Keys: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, resource.Ref{Type: "components", Keys: []string{"c1", "HDFS", "DATANODE"}}); err == nil {
		t.Error("a grandchild survived the cluster's delete")
	}
}

func TestNamespaces(t *testing.T) {
	s := newStore(t)
	for _, ns := range []string{"", "team-a"} {
		if _, err := s.Create(ctx, "clusters", ns, tree("Clusters", "cluster_name", "c1")); err != nil {
			t.Fatalf("namespace %q: %v", ns, err)
		}
	}
	if err := s.Delete(ctx, resource.Ref{Type: "clusters", Namespace: "team-a", Keys: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, resource.Ref{Type: "clusters", Keys: []string{"c1"}}); err != nil {
		t.Errorf("deleting in team-a deleted in default: %v", err)
	}
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

func TestTxFind(t *testing.T) {
	s := fixture(t)
	e, _ := query.Parse("HostRoles/state=STARTED")
	err := s.Write(ctx, func(tx *resource.Tx) error {
		if _, err := tx.Update(resource.Ref{Type: "host_components", Keys: []string{"c1", "h2", "DATANODE"}}, tree("HostRoles", "state", "STARTED"), 0); err != nil {
			return err
		}
		found, err := tx.Find("host_components", "", map[string]string{"HostRoles/cluster_name": "c1"}, e)
		if err != nil {
			return err
		}
		var got []string
		for _, r := range found {
			got = append(got, strings.Join(r.Keys(), "/"))
		}
		want := []string{"c1/h1/DATANODE", "c1/h1/NAMENODE", "c1/h2/DATANODE", "c1/h3/DATANODE"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Find sees the transaction's writes (-want +got)\n%s", diff)
		}
		bad, _ := query.Parse("HostRoles/nope=1")
		_, err = tx.Find("host_components", "", nil, bad)
		storeError(t, err, resource.Invalid, "The properties [HostRoles/nope] are not supported for the resource type HostComponent.")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTxPut(t *testing.T) {
	s := fixture(t)
	ref := resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}
	err := s.Write(ctx, func(tx *resource.Tx) error {
		if _, err := tx.Put(ref, tree("Hosts", "ip", "10.0.0.1")); err != nil {
			return err
		}
		_, err := tx.Put(ref, tree("Hosts", "host_name", "h9"))
		storeError(t, err, resource.Invalid, "The key Hosts/host_name of a Host cannot change.")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Get(ctx, ref)
	if ip := r.Tree()["Hosts"].(map[string]any)["ip"]; ip != "10.0.0.1" {
		t.Errorf("Put did not set a read-only property: %v", ip)
	}
}

func TestKeyName(t *testing.T) {
	for path, want := range map[string]string{
		"Clusters/cluster_name": "clusterName", "HostRoles/component_name": "componentName",
		"Tasks/id": "id", "name": "name", "a/_x": "x", "Stacks/stack_version_id": "stackVersionId",
	} {
		if got := resource.KeyName(path); got != want {
			t.Errorf("KeyName(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestStoreOfNoTypes checks that a store may declare no types, as a
// server that serves only its own routes does: it writes, and knows none.
func TestStoreOfNoTypes(t *testing.T) {
	s, err := resource.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, func(*resource.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if v := s.Version(); v != 1 {
		t.Errorf("version %d after a write, want 1", v)
	}
	_, err = s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"h1"}})
	storeError(t, err, resource.NotFound, "No resource type hosts.")
}

// TestLongPaths creates and updates a property whose path is longer than
// the buffer assign starts with.
func TestLongPaths(t *testing.T) {
	long := strings.Repeat("c", 150)
	s, err := resource.New(resource.Type{Name: "Item", Collection: "items", Keys: []string{"Items/id"},
		Properties: []resource.Property{{Path: "Items/" + long + "/value", Kind: resource.Number}}})
	if err != nil {
		t.Fatal(err)
	}
	body := func(v float64) map[string]any {
		return map[string]any{"Items": map[string]any{"id": "i1", long: map[string]any{"value": v}}}
	}
	if _, err := s.Create(ctx, "items", "", body(1)); err != nil {
		t.Fatal(err)
	}
	ref := resource.Ref{Type: "items", Keys: []string{"i1"}}
	if _, err := s.Update(ctx, ref, map[string]any{"Items": map[string]any{long: map[string]any{"value": 2.0}}}, 0); err != nil {
		t.Fatal(err)
	}
	r, err := s.Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(body(2), r.Tree()); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}
