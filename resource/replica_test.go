package resource_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// memLog is a Log in memory that several replicas share, as they would
// share etcd: it checks each proposal's expectations, numbers the
// writes, and delivers them to every follower in order, on goroutines of
// its own (a follower may be held back, as a slow watch is).
type memLog struct {
	mu        sync.Mutex
	version   uint64
	records   map[string]uint64 // key: version
	followers []*follower
}

type follower struct {
	s       *resource.Store
	mu      sync.Mutex
	held    bool
	pending []*resource.ChangeSet
}

func (f *follower) deliver(cs *resource.ChangeSet) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = append(f.pending, cs)
	if !f.held {
		f.flushLocked()
	}
}

func (f *follower) flushLocked() {
	for _, cs := range f.pending {
		if err := f.s.Apply(cs); err != nil {
			panic(err)
		}
	}
	f.pending = nil
}

func (f *follower) hold(held bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.held = held; !held {
		f.flushLocked()
	}
}

func (l *memLog) Propose(_ context.Context, cs *resource.ChangeSet, expect []resource.Expect) (uint64, error) {
	l.mu.Lock()
	for _, e := range expect {
		if have := l.records[string(e.Key)]; have != e.Version {
			l.mu.Unlock()
			return 0, &resource.Refused{Ref: e.Ref, Exists: e.Version == 0}
		}
	}
	l.version++
	out := &resource.ChangeSet{Version: l.version, Changes: slices.Clone(cs.Changes)}
	for _, c := range out.Changes {
		if c.Deleted {
			delete(l.records, string(c.Key))
		} else {
			l.records[string(c.Key)] = l.version
		}
	}
	followers := slices.Clone(l.followers)
	l.mu.Unlock()
	var wg sync.WaitGroup
	for _, f := range followers { // each in order: deliveries are serialized by l.mu above only per proposal
		wg.Go(func() { f.deliver(out) })
	}
	wg.Wait()
	return out.Version, nil
}

type emptySource struct{}

func (emptySource) State() (resource.State, error)         { return resource.State{}, nil }
func (emptySource) Scan(func(resource.Change) error) error { return nil }

// replicas starts n stores on one memLog.
func replicas(t *testing.T, n int) (*memLog, []*resource.Store) {
	t.Helper()
	log := &memLog{records: map[string]uint64{}}
	var out []*resource.Store
	for range n {
		s, err := resource.OpenReplica(emptySource{}, log, hostTypes()...)
		if err != nil {
			t.Fatal(err)
		}
		log.followers = append(log.followers, &follower{s: s})
		out = append(out, s)
	}
	return log, out
}

func hostTypes() []resource.Type {
	return []resource.Type{
		{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"}},
		{Name: "Host", Collection: "hosts", Parent: "clusters", Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []resource.Property{{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true}}},
	}
}

// TestReplicas checks what several stores on one log guarantee: a write
// on one is read on the others at its version, the writer reads its own
// write at once, and of two writes of one record from stores that read the
// same version exactly one wins; the other is a 412 (an update) or a 409
// (a create), and changes nothing.
func TestReplicas(t *testing.T) {
	ctx := context.Background()
	log, st := replicas(t, 2)
	a, b := st[0], st[1]
	if _, err := a.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		t.Fatal(err)
	}
	hosts, err := a.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h1", "cpu_count": 4}})
	if err != nil {
		t.Fatal(err)
	}
	ref := resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}
	cpus := func(s *resource.Store) any {
		r, err := s.Get(ctx, ref)
		if err != nil {
			return err.Error()
		}
		return r.Value("Hosts/cpu_count")
	}
	if v := hosts[0].Version(); v != a.Version() || v != 2 {
		t.Errorf("the create's version %d, the store's %d: want the log's, 2", v, a.Version())
	}
	if diff := cmp.Diff([]any{4.0, 4.0}, []any{cpus(a), cpus(b)}); diff != "" {
		t.Errorf("a write on one replica, read on both (-want +got):\n%s", diff)
	}
	listed, err := b.List(ctx, resource.Query{Type: "hosts", Scope: map[string]string{"Hosts/cluster_name": "c1"}})
	if err != nil || len(listed.Items) != 1 || listed.Plan.Access != "prefix" {
		t.Errorf("b lists %v (%+v), %v: want h1 from its own memdb", listed, listed.Plan, err)
	}

	// b falls behind; a updates h1; b, at the old version, updates it too.
	log.followers[1].hold(true)
	r, err := a.Update(ctx, ref, map[string]any{"Hosts": map[string]any{"cpu_count": 8}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Update(ctx, ref, map[string]any{"Hosts": map[string]any{"cpu_count": 16}}, 0)
	if !resource.IsKind(err, resource.Stale) {
		t.Errorf("the second writer: %v, want a stale-version error (412)", err)
	}
	log.followers[1].hold(false)
	if err := b.AtLeast(ctx, r.Version()); err != nil {
		t.Fatal(err)
	}
	_, err = b.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h2", "cpu_count": 1}})
	if err != nil {
		t.Fatal(err) // not a conflict: h2 is new everywhere
	}
	if diff := cmp.Diff([]any{8.0, 8.0}, []any{cpus(a), cpus(b)}); diff != "" {
		t.Errorf("after the conflict, both replicas (-want +got):\n%s", diff)
	}
	_, err = a.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"cluster_name": "c1", "host_name": "h2"}})
	if !resource.IsKind(err, resource.Exists) {
		t.Errorf("a create of h2 that b made: %v, want exists (409)", err)
	}
	if err := a.Delete(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, ref); !resource.IsKind(err, resource.NotFound) {
		t.Errorf("b reads h1 after a deleted it: %v", err)
	}
	var re *resource.Refused
	if _, err := b.Update(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h2"}}, map[string]any{"Hosts": map[string]any{"cpu_count": 2}}, 0); errors.As(err, &re) || err != nil {
		t.Errorf("an update nobody raced: %v", err)
	}
}
