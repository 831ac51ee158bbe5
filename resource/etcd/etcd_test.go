package etcd_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/etcd"
	"github.com/ambitkit/ambit/resource/etcd/etcdtest"
	"github.com/google/go-cmp/cmp"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// startEtcd runs an etcd for the test (etcdtest.Start), and returns a
// client of it and a prefix of the test's own.
func startEtcd(t testing.TB) (*clientv3.Client, string) {
	t.Helper()
	endpoint, prefix := etcdtest.Start(t)
	return etcdtest.Dial(t, endpoint), prefix
}

var quiet = slog.New(slog.DiscardHandler)

func hostTypes() []resource.Type {
	return []resource.Type{
		{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"}},
		{Name: "Host", Collection: "hosts", Parent: "clusters", Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []resource.Property{{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true}, {Path: "Hosts/notes", Kind: resource.String}}},
	}
}

// servers opens n replicas on one etcd, as n servers would.
func servers(t testing.TB, cli *clientv3.Client, prefix string, n int) []*resource.Store {
	t.Helper()
	var out []*resource.Store
	for range n {
		r, err := etcd.Open(context.Background(), cli, prefix, hostTypes(), etcd.WithLogger(quiet))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		out = append(out, r.Store)
	}
	return out
}

var h1 = resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}

// withCluster creates cluster c1 through s.
func withCluster(t testing.TB, s *resource.Store) {
	t.Helper()
	if _, err := s.Create(context.Background(), "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		t.Fatal(err)
	}
}

// withH1 creates cluster c1 and its host h1 of 4 CPUs through s.
func withH1(t testing.TB, s *resource.Store) resource.Resource {
	t.Helper()
	withCluster(t, s)
	made, err := s.Create(context.Background(), "hosts", "", map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h1", "cpu_count": 4}})
	if err != nil {
		t.Fatal(err)
	}
	return made[0]
}

func cpus(t *testing.T, s *resource.Store) any {
	t.Helper()
	r, err := s.Get(context.Background(), h1)
	if err != nil {
		return err.Error()
	}
	return r.Value("Hosts/cpu_count")
}

// TestServers checks several servers on one etcd: a write on one is read
// on the others once they hold its version (a client that holds it asks
// for at least that), the writer reads it at once, a server opened later
// lists what is there, versions are etcd's revisions, and a delete goes
// everywhere.
func TestServers(t *testing.T) {
	ctx := context.Background()
	cli, prefix := startEtcd(t)
	st := servers(t, cli, prefix, 2)
	a, b := st[0], st[1]
	made := withH1(t, a)
	kv, err := cli.Get(ctx, "/"+prefix+"/hosts/", clientv3.WithPrefix())
	if err != nil || len(kv.Kvs) != 1 || uint64(kv.Kvs[0].ModRevision) != made.Version() {
		t.Fatalf("etcd holds %v (%v): want h1 at the create's version %d", kv.Kvs, err, made.Version())
	}
	if got := cpus(t, a); got != 4.0 {
		t.Errorf("the writer reads %v, want its write", got)
	}
	if err := b.AtLeast(ctx, made.Version()); err != nil {
		t.Fatal(err)
	}
	if got := cpus(t, b); got != 4.0 {
		t.Errorf("the other server reads %v at the write's version", got)
	}
	later := servers(t, cli, prefix, 1)[0]
	if got, v := cpus(t, later), later.Version(); got != 4.0 || v < made.Version() {
		t.Errorf("a server opened later reads %v at version %d", got, v)
	}
	if err := b.Delete(ctx, h1); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, s := range []*resource.Store{a, later} { // without asking for a version: in a moment
		for cpus(t, s) == 4.0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := s.Get(ctx, h1); !resource.IsKind(err, resource.NotFound) {
			t.Errorf("h1 after the delete: %v", err)
		}
	}
}

// TestConflicts updates one host through two servers that both read it at
// the same version: exactly one update wins, the other is refused as
// stale (412) and changes nothing; two creates of one host, one is a 409.
func TestConflicts(t *testing.T) {
	ctx := context.Background()
	cli, prefix := startEtcd(t)
	st := servers(t, cli, prefix, 2)
	a, b := st[0], st[1]
	made := withH1(t, a)
	if err := b.AtLeast(ctx, made.Version()); err != nil {
		t.Fatal(err)
	}
	var first error
	second := b.Write(ctx, func(tx *resource.Tx) error {
		if _, err := tx.Update(h1, map[string]any{"Hosts": map[string]any{"cpu_count": 16}}, 0); err != nil {
			return err
		}
		// a's update lands in etcd after b read h1 and before b proposes.
		_, first = a.Update(ctx, h1, map[string]any{"Hosts": map[string]any{"cpu_count": 8}}, 0)
		return nil
	})
	if first != nil {
		t.Fatalf("the first update: %v", first)
	}
	if !resource.IsKind(second, resource.Stale) {
		t.Errorf("the second update: %v, want stale (412)", second)
	}
	if err := b.AtLeast(ctx, a.Version()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{8.0, 8.0}, []any{cpus(t, a), cpus(t, b)}); diff != "" {
		t.Errorf("after the conflict (-want +got):\n%s", diff)
	}
	h2 := map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h2"}}
	var made2 error
	lost := b.Write(ctx, func(tx *resource.Tx) error {
		if _, err := tx.Create("hosts", "", h2); err != nil {
			return err
		}
		_, made2 = a.Create(ctx, "hosts", "", h2)
		return nil
	})
	if made2 != nil || !resource.IsKind(lost, resource.Exists) {
		t.Errorf("two creates of h2: %v and %v, want one made and one exists (409)", made2, lost)
	}
}

// TestTooLarge is a write of more resources, or more bytes, than one etcd
// transaction holds: refused whole, naming the limit, nothing written.
func TestTooLarge(t *testing.T) {
	ctx := context.Background()
	cli, prefix := startEtcd(t)
	a := servers(t, cli, prefix, 1)[0]
	withCluster(t, a)
	bodies := make([]map[string]any, etcd.MaxOps+1)
	for i := range bodies {
		bodies[i] = map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("h%d", i)}}
	}
	_, err := a.Create(ctx, "hosts", "", bodies...)
	if !resource.IsKind(err, resource.TooLarge) {
		t.Fatalf("a create of %d hosts: %v, want too large", len(bodies), err)
	}
	if kv, err := cli.Get(ctx, "/"+prefix+"/hosts/", clientv3.WithPrefix(), clientv3.WithCountOnly()); err != nil || kv.Count != 0 {
		t.Errorf("etcd holds %v hosts (%v) after the refused write", kv.Count, err)
	}
	if _, err := a.Create(ctx, "hosts", "", bodies[:etcd.MaxOps]...); err != nil {
		t.Errorf("a create of %d hosts: %v", etcd.MaxOps, err)
	}
	// Few resources, but more bytes than one request takes: 16 of 100 KiB.
	big := make([]map[string]any, 16)
	for i := range big {
		big[i] = map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("big%d", i), "notes": strings.Repeat("x", 100<<10)}}
	}
	if _, err := a.Create(ctx, "hosts", "", big...); !resource.IsKind(err, resource.TooLarge) || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("a create of 1.6 MB: %v, want too large, naming the bytes", err)
	}
	if _, err := a.Create(ctx, "hosts", "", big[:8]...); err != nil {
		t.Errorf("a create of 0.8 MB: %v", err)
	}
}

// TestCompaction holds a server behind while the other writes and etcd
// compacts the revisions between: the server lists again, holds every
// write, and a client that follows its changes from before is told to
// list again (410).
func TestCompaction(t *testing.T) {
	ctx := context.Background()
	cli, prefix := startEtcd(t)
	ra, err := etcd.Open(ctx, cli, prefix, hostTypes(), etcd.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer ra.Close()
	rb, err := etcd.Open(ctx, cli, prefix, hostTypes(), etcd.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	a, b := ra.Store, rb.Store
	withCluster(t, a)
	if err := b.AtLeast(ctx, a.Version()); err != nil {
		t.Fatal(err)
	}
	before := b.Version()
	rb.Pause()
	for i := range 5 {
		if _, err := a.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": fmt.Sprintf("h%d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cli.Compact(ctx, int64(a.Version())); err != nil {
		t.Fatal(err)
	}
	rb.Resume()
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := b.AtLeast(wait, a.Version()); err != nil {
		t.Fatalf("the server behind never caught up: %v (%v)", err, rb.Err())
	}
	res, err := b.List(ctx, resource.Query{Type: "hosts", Scope: map[string]string{"Hosts/cluster_name": "c1"}})
	if err != nil || len(res.Items) != 5 {
		t.Errorf("after listing again: %d hosts (%v), want 5", len(res.Items), err)
	}
	if _, _, err := b.Changes(ctx, before); !resource.IsKind(err, resource.Gone) {
		t.Errorf("changes since version %d, from before the reload: %v, want gone (410)", before, err)
	}
	if _, err := b.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h9"}}); err != nil {
		t.Errorf("a write after the reload: %v", err)
	}
}
