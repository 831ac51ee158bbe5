package resource

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIndexesFollowWrites checks the property indexes against the table
// after every write of a random run of creates, updates, removals of a
// property, deletes and aborted writes: each id tree holds the table's
// records in memdb's order, and each property index holds exactly the
// records that have the property, in the byte order of the index keys the
// planner encodes (as memdb's indexes held them). A snapshot taken along
// the way keeps its indexes as they were.
func TestIndexesFollowWrites(t *testing.T) {
	s, err := New(
		Type{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"}},
		Type{Name: "Host", Collection: "hosts", Parent: "clusters", Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []Property{
				{Path: "Hosts/cpu_count", Kind: Number, Indexed: true},
				{Path: "Hosts/os_type", Kind: String, Indexed: true},
				{Path: "Hosts/maintenance", Kind: Bool, Indexed: true},
			}},
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	namespaces, clusters := []string{"a", "b"}, []string{"c1", "c2", "c10"}
	for _, ns := range namespaces {
		for _, c := range clusters {
			if _, err := s.Create(ctx, "clusters", ns, map[string]any{"Clusters": map[string]any{"cluster_name": c}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	numbers := []any{-2.5, math.Copysign(0, -1), 0.0, 1.0, 2.0, 1e9, -1e9, 1024.0, nil}
	strs := []any{"rhel8", "rhel", "rhel8-long-name", "rhel8-long-nam", "", "ubuntu", nil}
	bools := []any{true, false, nil}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(vs []any) any { return vs[rng.IntN(len(vs))] }
	type snap struct {
		txn  *reading
		want map[string][]string
	}
	var snaps []snap
	errAbort := errors.New("abort")
	for step := range 600 {
		ns, c := pick([]any{"a", "b"}).(string), pick([]any{"c1", "c2", "c10"}).(string)
		name := fmt.Sprintf("h%d", rng.IntN(30))
		if rng.IntN(3) == 0 { // longer than a record holds beside it
			name = fmt.Sprintf("host-with-a-name-longer-than-thirty-two-bytes-%d", rng.IntN(10))
		}
		ref := Ref{Type: "hosts", Namespace: ns, Keys: []string{c, name}}
		body := map[string]any{"Hosts": map[string]any{"cpu_count": pick(numbers), "os_type": pick(strs), "maintenance": pick(bools)}}
		err := s.Write(ctx, func(tx *Tx) error {
			switch _, err := tx.Get(ref); {
			case err != nil:
				b := map[string]any{"cluster_name": ref.Keys[0], "host_name": ref.Keys[1]}
				for k, v := range body["Hosts"].(map[string]any) {
					if v != nil {
						b[k] = v
					}
				}
				_, err = tx.Create("hosts", ns, map[string]any{"Hosts": b})
				if err != nil {
					return err
				}
			case rng.IntN(4) == 0:
				if err := tx.Delete(ref); err != nil {
					return err
				}
			default:
				if _, err := tx.Update(ref, body, 0); err != nil {
					return err
				}
			}
			if rng.IntN(5) == 0 {
				return errAbort
			}
			return nil
		})
		if err != nil && !errors.Is(err, errAbort) {
			t.Fatalf("step %d: %v", step, err)
		}
		txn := s.read()
		got := indexContents(s, txn)
		if diff := cmp.Diff(expectedContents(s, txn), got); diff != "" {
			t.Fatalf("step %d: indexes differ from the table (-want +got):\n%s", step, diff)
		}
		if step%100 == 0 {
			snaps = append(snaps, snap{txn, got})
		}
	}
	for i, sn := range snaps {
		if diff := cmp.Diff(sn.want, indexContents(s, sn.txn)); diff != "" {
			t.Errorf("snapshot %d changed (-then +now):\n%s", i, diff)
		}
	}
}

// indexContents lists each type's id tree and each property index's records, by id, in tree order.
func indexContents(s *Store, txn *reading) map[string][]string {
	out := map[string][]string{}
	for _, l := range s.order {
		txn.trees.t[l.ids].Scan(func(r *record) bool {
			out[l.t.Collection+" ids"] = append(out[l.t.Collection+" ids"], fmt.Sprintf("%q", r.id))
			return true
		})
		for _, x := range l.indexes {
			var ids []string
			txn.trees.t[x.n].Scan(func(r *record) bool {
				ids = append(ids, fmt.Sprintf("%q=%v", r.id, r.slots[x.slot]))
				return true
			})
			out[l.t.Collection+" "+x.path] = ids
		}
	}
	return out
}

// expectedContents is what each index must hold: the table's records with
// the property, sorted by encoded index key and then id.
func expectedContents(s *Store, txn *reading) map[string][]string {
	out := map[string][]string{}
	for _, l := range s.order {
		it, err := txn.Get(l.t.Collection, idIndex)
		if err != nil {
			panic(err)
		}
		var all []*record
		for obj := it.Next(); obj != nil; obj = it.Next() {
			r := obj.(*record)
			all = append(all, r)
			out[l.t.Collection+" ids"] = append(out[l.t.Collection+" ids"], fmt.Sprintf("%q", r.id))
		}
		for _, x := range l.indexes {
			var rs []*record
			for _, r := range all {
				if r.slots[x.slot] != nil {
					rs = append(rs, r)
				}
			}
			key := func(r *record) []byte { return append(indexKey(r, x.scope, x.slot), r.id...) }
			slices.SortFunc(rs, func(a, b *record) int { return bytes.Compare(key(a), key(b)) })
			var ids []string
			for _, r := range rs {
				ids = append(ids, fmt.Sprintf("%q=%v", r.id, r.slots[x.slot]))
			}
			out[l.t.Collection+" "+x.path] = ids
		}
	}
	return out
}
