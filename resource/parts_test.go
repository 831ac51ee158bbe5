package resource_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// A write of more records than one memdb transaction holds well is
// committed to the writers' memdb in parts; readers must see it whole,
// once, or not at all.

func hostRef(name string) resource.Ref {
	return resource.Ref{Type: "hosts", Keys: []string{"c1", name}}
}

// createHosts creates hosts named prefix0000 on, n of them, in tx.
func createHosts(tx *resource.Tx, prefix string, n int) error {
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = tree("Hosts", "cluster_name", "c1", "host_name", fmt.Sprintf("%s%04d", prefix, i), "cpu_count", 2.0)
	}
	_, err := tx.Create("hosts", "", bodies...)
	return err
}

// seenHosts lists the hosts readers see whose cpu_count matches pred
// ("" for all).
func seenHosts(t *testing.T, s *resource.Store, pred string) []string {
	t.Helper()
	q := resource.Query{Type: "hosts", Instance: true, Page: paging.Request{Size: paging.All}}
	if pred != "" {
		q.Predicate = mustParse(t, pred)
	}
	res, err := s.List(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	return hostNames(res.Items)
}

func TestWriteInParts(t *testing.T) {
	errStop := errors.New("stop")
	cases := []struct {
		name    string
		write   func(tx *resource.Tx, unseen func()) error
		fails   bool
		hosts   int      // that readers see after the write
		changes int      // records created or updated, each once
		deleted []string // records deleted
		cpu16   []string // hosts with Hosts/cpu_count=16 after the write
	}{
		{
			name: "creates beyond a part are seen whole",
			write: func(tx *resource.Tx, unseen func()) error {
				if err := createHosts(tx, "a", 1200); err != nil {
					return err
				}
				unseen()
				return createHosts(tx, "b", 300)
			},
			hosts: 1500, changes: 1500,
		},
		{
			name: "a record changed in two parts is one change",
			write: func(tx *resource.Tx, unseen func()) error {
				if err := createHosts(tx, "a", 1); err != nil {
					return err
				}
				for i, cpus := range []float64{8, 16} {
					if err := createHosts(tx, fmt.Sprint("b", i), 1100); err != nil {
						return err
					}
					if _, err := tx.Update(hostRef("a0000"), tree("Hosts", "cpu_count", cpus), 0); err != nil {
						return err
					}
				}
				unseen()
				return nil
			},
			hosts: 2201, changes: 2201, cpu16: []string{"a0000"},
		},
		{
			name: "a record created and deleted in different parts is no change",
			write: func(tx *resource.Tx, unseen func()) error {
				if err := createHosts(tx, "a", 1); err != nil {
					return err
				}
				if err := createHosts(tx, "b", 1100); err != nil {
					return err
				}
				unseen()
				return tx.Delete(hostRef("a0000"))
			},
			hosts: 1100, changes: 1100,
		},
		{
			name: "a delete of more children than a part",
			write: func(tx *resource.Tx, unseen func()) error {
				if err := createHosts(tx, "a", 1100); err != nil {
					return err
				}
				unseen()
				return tx.Delete(resource.Ref{Type: "clusters", Keys: []string{"c1"}})
			},
			deleted: []string{"clusters [c1]"}, // its hosts never were
		},
		{
			name: "a write that fails after parts leaves nothing",
			write: func(tx *resource.Tx, unseen func()) error {
				if err := createHosts(tx, "a", 1200); err != nil {
					return err
				}
				unseen()
				return errStop
			},
			fails: true,
		},
		{
			name: "a bad body after parts leaves nothing",
			write: func(tx *resource.Tx, unseen func()) error {
				if err := createHosts(tx, "a", 1200); err != nil {
					return err
				}
				unseen()
				_, err := tx.Create("hosts", "", tree("Hosts", "cluster_name", "c1", "host_name", "bad", "cpu_count", "many"))
				return err
			},
			fails: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
				t.Fatal(err)
			}
			before := s.Version()
			watched := make(chan uint64, 1)
			wctx, stop := context.WithCancel(ctx)
			defer stop()
			go func() {
				v, _ := s.Watch(wctx, "hosts", "", map[string]string{"Hosts/cluster_name": "c1"}, before)
				watched <- v
			}()
			unseen := func() {
				if v := s.Version(); v != before {
					t.Errorf("during the write readers see version %d, want %d", v, before)
				}
				if got := seenHosts(t, s, ""); len(got) != 0 {
					t.Errorf("during the write readers see %d hosts", len(got))
				}
			}
			err := s.Write(ctx, func(tx *resource.Tx) error { return c.write(tx, unseen) })
			if (err != nil) != c.fails {
				t.Fatalf("Write: %v", err)
			}
			if got := seenHosts(t, s, ""); len(got) != c.hosts {
				t.Errorf("%d hosts after the write, want %d", len(got), c.hosts)
			}
			if diff := cmp.Diff(c.cpu16, seenHosts(t, s, "Hosts/cpu_count=16"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("the index after the write (-want +got)\n%s", diff)
			}
			if c.fails {
				// Writers go on from the state before: the next write is
				// the next version, and the only change after before.
				if v := s.Version(); v != before {
					t.Errorf("version %d after the failed write, want %d", v, before)
				}
				if _, err := s.Create(ctx, "hosts", "", tree("Hosts", "cluster_name", "c1", "host_name", "next")); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]string{"next"}, seenHosts(t, s, "")); diff != "" {
					t.Errorf("the hosts after the next write (-want +got)\n%s", diff)
				}
			}
			if c.hosts > 0 || c.fails { // hosts were added: the watcher wakes once they are seen
				if v := <-watched; v != before+1 {
					t.Errorf("the watcher woke at version %d, want %d", v, before+1)
				}
			}
			changed, _, err := s.Changes(ctx, before)
			if err != nil {
				t.Fatal(err)
			}
			if c.fails {
				if len(changed) != 1 || changed[0].Ref.Keys[1] != "next" || changed[0].Version != before+1 {
					t.Errorf("after the failed write, the changes are %+v", changed)
				}
				return
			}
			seen := map[string]bool{}
			changes, deleted := 0, []string{}
			for _, ch := range changed {
				key := fmt.Sprint(ch.Ref.Type, " ", ch.Ref.Keys)
				if seen[key] {
					t.Errorf("%s changed twice", key)
				}
				seen[key] = true
				if ch.Deleted {
					deleted = append(deleted, key)
				} else {
					changes++
				}
			}
			if changes != c.changes {
				t.Errorf("%d records created or updated, want %d", changes, c.changes)
			}
			if diff := cmp.Diff(c.deleted, deleted, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("deleted (-want +got)\n%s", diff)
			}
		})
	}
}

// recording is a backend that keeps every change set it is given.
type recording struct {
	*memory
	sets []*resource.ChangeSet
}

func (r *recording) Commit(cs *resource.ChangeSet) func() error {
	r.sets = append(r.sets, cs)
	return r.memory.Commit(cs)
}

func TestWriteInPartsIsOneChangeSet(t *testing.T) {
	b := &recording{memory: newMemory()}
	s := open(t, b)
	err := s.Write(ctx, func(tx *resource.Tx) error {
		if _, err := tx.Create("clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
			return err
		}
		if err := createHosts(tx, "a", 1200); err != nil {
			return err
		}
		_, err := tx.Update(hostRef("a0000"), tree("Hosts", "cpu_count", 16.0), 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.sets) != 1 {
		t.Fatalf("%d change sets, want 1", len(b.sets))
	}
	keys := map[string]bool{}
	for _, c := range b.sets[0].Changes {
		if keys[string(c.Key)] {
			t.Errorf("%v is twice in the change set", c.Ref)
		}
		keys[string(c.Key)] = true
	}
	if len(keys) != 1201 {
		t.Errorf("%d records in the change set, want 1201", len(keys))
	}
	again := open(t, b.memory)
	if diff := cmp.Diff(everything(t, s), everything(t, again)); diff != "" {
		t.Errorf("reopened (-written +reopened)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a0000"}, seenHosts(t, again, "Hosts/cpu_count=16")); diff != "" {
		t.Errorf("reopened index (-want +got)\n%s", diff)
	}
}

func TestWritePanicReleasesWriters(t *testing.T) {
	for _, n := range []int{10, 1200} { // within one part, and after parts
		t.Run(fmt.Sprint(n, " hosts"), func(t *testing.T) {
			s := newStore(t)
			if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
				t.Fatal(err)
			}
			before := s.Version()
			func() {
				defer func() {
					if p := recover(); p != "a hook's bug" {
						t.Errorf("recovered %v", p)
					}
				}()
				_ = s.Write(ctx, func(tx *resource.Tx) error {
					if err := createHosts(tx, "a", n); err != nil {
						return err
					}
					panic("a hook's bug")
				})
			}()
			next := make(chan error, 1)
			go func() {
				_, err := s.Create(ctx, "hosts", "", tree("Hosts", "cluster_name", "c1", "host_name", "next"))
				next <- err
			}()
			select {
			case err := <-next:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the next write still waits: the panicking one kept the writers' lock")
			}
			if diff := cmp.Diff([]string{"next"}, seenHosts(t, s, "")); diff != "" {
				t.Errorf("hosts after the next write (-want +got)\n%s", diff)
			}
			if v := s.Version(); v != before+1 {
				t.Errorf("version %d, want %d", v, before+1)
			}
		})
	}
}

// TestWriteInPartsDeleteAndCreateAgain deletes a record and creates it
// again with the same keys, within a part and across parts: the write
// changed it once, as memdb reports a record deleted and made again in
// one transaction, and a backend is told of it once.
func TestWriteInPartsDeleteAndCreateAgain(t *testing.T) {
	for _, between := range []int{0, 1100} { // hosts created in between: none, and more than a part
		t.Run(fmt.Sprint(between, " between"), func(t *testing.T) {
			b := &recording{memory: newMemory()}
			s := open(t, b)
			if _, err := s.Create(ctx, "clusters", "", tree("Clusters", "cluster_name", "c1")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Create(ctx, "hosts", "", tree("Hosts", "cluster_name", "c1", "host_name", "x", "cpu_count", 2.0)); err != nil {
				t.Fatal(err)
			}
			before := s.Version()
			err := s.Write(ctx, func(tx *resource.Tx) error {
				if err := tx.Delete(hostRef("x")); err != nil {
					return err
				}
				if err := createHosts(tx, "a", between); err != nil {
					return err
				}
				_, err := tx.Create("hosts", "", tree("Hosts", "cluster_name", "c1", "host_name", "x", "cpu_count", 16.0))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			changed, _, err := s.Changes(ctx, before)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range changed {
				if c.Ref.Keys[1] == "x" {
					got = append(got, fmt.Sprintf("%v deleted=%v", c.Ref.Keys, c.Deleted))
				}
			}
			if diff := cmp.Diff([]string{"[c1 x] deleted=false"}, got); diff != "" {
				t.Errorf("the changes of x (-want +got)\n%s", diff)
			}
			last := b.sets[len(b.sets)-1]
			keys := map[string]int{}
			for _, c := range last.Changes {
				keys[string(c.Key)]++
			}
			if len(keys) != len(last.Changes) || len(keys) != between+1 {
				t.Errorf("the change set holds %d changes of %d records, want %d of as many", len(last.Changes), len(keys), between+1)
			}
			again := open(t, b.memory)
			if diff := cmp.Diff([]string{"x"}, seenHosts(t, again, "Hosts/cpu_count=16")); diff != "" {
				t.Errorf("reopened (-want +got)\n%s", diff)
			}
		})
	}
}
