package resource_test

import (
	"errors"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// memory is a backend in memory that can fail commits and hold them: it
// keeps the rules a backend must, so that the store's side of the seam is
// tested alone.
type memory struct {
	mu      sync.Mutex
	records map[string]resource.Change // by type and key
	loaded  resource.State
	durable uint64
	failed  bool
	fail    map[uint64]error // versions whose commit fails
	hold    chan struct{}    // when set, waits block until it is closed
	staged  chan uint64      // when set, told of every commit
}

func newMemory() *memory {
	return &memory{records: map[string]resource.Change{}, fail: map[uint64]error{}}
}

func (m *memory) State() (resource.State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.loaded, nil
}

func (m *memory) Scan(put func(resource.Change) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.records {
		if err := put(c); err != nil {
			return err
		}
	}
	return nil
}

func (m *memory) Commit(cs *resource.ChangeSet) func() error {
	m.mu.Lock()
	err := m.fail[cs.Version]
	switch {
	case err != nil:
		m.failed = true
	case m.failed && cs.Version != m.durable+1:
		err = errors.New("an earlier commit failed")
	default:
		m.failed, m.durable = false, cs.Version
		for _, c := range cs.Changes {
			if c.Deleted {
				delete(m.records, c.Ref.Type+string(c.Key))
			} else {
				m.records[c.Ref.Type+string(c.Key)] = c
			}
		}
		m.loaded.Version = cs.Version
		if cs.Schema != nil {
			m.loaded.Schema = cs.Schema
		}
	}
	hold, staged := m.hold, m.staged
	m.mu.Unlock()
	if staged != nil {
		staged <- cs.Version
	}
	return func() error {
		if hold != nil {
			<-hold
		}
		return err
	}
}

func open(t *testing.T, b resource.Backend) *resource.Store {
	t.Helper()
	s, err := resource.Open(b, schema()...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// everything lists every resource of every type, with its version.
func everything(t *testing.T, s *resource.Store) map[string][]any {
	t.Helper()
	out := map[string][]any{}
	for _, typ := range s.Types() {
		res, err := s.List(ctx, resource.Query{Instance: true, Type: typ.Collection, Page: paging.Request{Size: paging.All}})
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range res.Items {
			out[typ.Collection] = append(out[typ.Collection], item)
		}
	}
	return out
}

func TestBackendReopens(t *testing.T) {
	b := newMemory()
	s := open(t, b)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1", "version", "HDP-2.0",
		"desired_configs", map[string]any{"core-site": map[string]any{"tag": "v1"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "hosts", "proj1", tree("Hosts", "cluster_name", "c1", "host_name", "h1")); err == nil {
		t.Fatal("a host without its cluster in proj1 was created")
	}
	if _, err := s.Create(ctx, "hosts", "", host("h1", 4, "rhel8", 41.5), host("h2", 2, "centos7", 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}, tree("Hosts", "maintenance", true), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h2"}}); err != nil {
		t.Fatal(err)
	}
	want, version := everything(t, s), s.Version()

	again := open(t, b)
	if diff := cmp.Diff(want, everything(t, again)); diff != "" {
		t.Errorf("reopened (-before +after)\n%s", diff)
	}
	if again.Version() != version {
		t.Errorf("reopened at version %d, want %d", again.Version(), version)
	}
	h, err := again.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Version() != version-1 {
		t.Errorf("h1 reopened at version %d, want %d", h.Version(), version-1)
	}
	// Indexes are rebuilt: a predicate on an indexed property seeks.
	res, err := again.List(ctx, resource.Query{Type: "hosts", Predicate: mustParse(t, "Hosts/os_type=rhel8"), Page: paging.Request{Size: paging.All}})
	if err != nil || len(res.Items) != 1 {
		t.Errorf("hosts with os_type rhel8 after reopening: %v, %v", res.Items, err)
	}
	if _, err := again.Create(ctx, "hosts", "", host("h3", 1, "rhel8", 1)); err != nil {
		t.Fatal(err)
	}
	if again.Version() != version+1 {
		t.Errorf("the first write after reopening made version %d, want %d", again.Version(), version+1)
	}
}

func mustParse(t *testing.T, pred string) query.Expr {
	t.Helper()
	e, err := query.Parse(pred)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestBackendFailureAborts(t *testing.T) {
	b := newMemory()
	s := open(t, b)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	before := s.Version()
	b.fail[before+1] = errors.New("no space left on device")
	_, err := s.Create(ctx, "hosts", "", host("h1", 4, "rhel8", 41.5))
	delete(b.fail, before+1)
	e := storeError(t, err, resource.Unavailable, "The change could not be saved, and was not made: try again later.")
	if e.Name != "NOT_SAVED" {
		t.Errorf("error named %q, want NOT_SAVED", e.Name)
	}
	if _, err := s.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}); err == nil {
		t.Error("a write its backend failed can be read")
	}
	if s.Version() != before {
		t.Errorf("version %d after a failed write, want %d", s.Version(), before)
	}
	if _, err := s.Create(ctx, "hosts", "", host("h1", 4, "rhel8", 41.5)); err != nil {
		t.Fatalf("the same write once the backend recovers: %v", err)
	}
	if s.Version() != before+1 {
		t.Errorf("version %d, want %d: a failed write takes no version", s.Version(), before+1)
	}
}

func TestBackendInFlight(t *testing.T) {
	b := newMemory()
	s := open(t, b)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	before := s.Version()
	b.hold, b.staged = make(chan struct{}), make(chan uint64, 2)
	b.fail[before+1] = errors.New("I/O error")
	h1 := resource.Ref{Type: "hosts", Keys: []string{"c1", "h1"}}
	errs := make(chan error, 2)
	go func() {
		_, err := s.Create(ctx, "hosts", "", host("h1", 4, "rhel8", 41.5))
		errs <- err
	}()
	<-b.staged
	// While the create waits on its backend, readers do not see it, and a
	// second writer builds on it.
	if _, err := s.Get(ctx, h1); err == nil {
		t.Error("a write not yet durable can be read")
	}
	if s.Version() != before {
		t.Errorf("version %d while a write is in flight, want %d", s.Version(), before)
	}
	go func() {
		_, err := s.Update(ctx, h1, tree("Hosts", "rack_info", "/r1"), 0)
		errs <- err
	}()
	<-b.staged
	close(b.hold)
	for range 2 {
		if err := <-errs; err == nil {
			t.Error("a write built on a lost write succeeded")
		}
	}
	if _, err := s.Get(ctx, h1); err == nil {
		t.Error("a lost write can be read")
	}
	b.hold, b.staged = nil, nil
	delete(b.fail, before+1)
	if _, err := s.Create(ctx, "hosts", "", host("h2", 1, "rhel8", 1)); err != nil {
		t.Fatalf("a write after the loss: %v", err)
	}
	if diff := cmp.Diff(everything(t, s), everything(t, open(t, b))); diff != "" {
		t.Errorf("the backend holds other than the store (-store +backend)\n%s", diff)
	}
}

func TestBackendSchema(t *testing.T) {
	b := newMemory()
	s := open(t, b)
	if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
		t.Fatal(err)
	}
	changed := func(change func(types []resource.Type)) []resource.Type {
		types := schema()
		change(types)
		return types
	}
	tests := []struct {
		name  string
		types []resource.Type
		err   string // "" when it opens
	}{
		{"same", schema(), ""},
		{"a property added", changed(func(ts []resource.Type) {
			ts[0].Properties = append(ts[0].Properties, resource.Property{Path: "Clusters/rack", Kind: resource.String})
		}), ""},
		{"an index added", changed(func(ts []resource.Type) { ts[0].Properties[0].Indexed = true }), ""},
		{"a kind changed", changed(func(ts []resource.Type) { ts[0].Properties[0].Kind = resource.Number }),
			"resource: the data was written by incompatible declarations: clusters/Clusters/version was a string, now a number"},
		{"a property gone", changed(func(ts []resource.Type) { ts[0].Properties = ts[0].Properties[1:] }),
			"resource: the data was written by incompatible declarations: clusters/Clusters/version is no longer declared"},
		{"a type gone", changed(func(ts []resource.Type) { ts[3].Subs = nil })[:4],
			"resource: the data was written by incompatible declarations: type host_components is no longer declared"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resource.Open(b, tt.types...)
			got := ""
			if err != nil {
				got = err.Error()
				if !errors.Is(err, resource.ErrSchema) {
					t.Errorf("%v is not ErrSchema", err)
				}
			}
			if got != tt.err {
				t.Errorf("Open = %q\nwant   %q", got, tt.err)
			}
		})
	}
}

// TestWatchWaitsForDurable: a watcher does not wake for a write its
// backend has not made durable, and does not spin while it waits (under
// synctest, a spinning goroutine would never let Wait return).
func TestWatchWaitsForDurable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newMemory()
		s := open(t, b)
		if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
			t.Fatal(err)
		}
		after := s.Version()
		woke := make(chan uint64, 1)
		go func() {
			v, err := s.Watch(ctx, "clusters", "", nil, after)
			if err != nil {
				t.Error(err)
			}
			woke <- v
		}()
		synctest.Wait()
		b.hold = make(chan struct{})
		done := make(chan error, 1)
		go func() {
			_, err := s.Update(ctx, resource.Ref{Type: "clusters", Keys: []string{"c1"}}, tree("Clusters", "version", "HDP-3"), 0)
			done <- err
		}()
		synctest.Wait()
		select {
		case v := <-woke:
			t.Fatalf("woke at version %d for a write not yet durable", v)
		default:
		}
		close(b.hold)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if v := <-woke; v != after+1 {
			t.Errorf("woke at version %d, want %d", v, after+1)
		}
	})
}
