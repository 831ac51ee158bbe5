package bolt_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/bolt"
	"github.com/google/go-cmp/cmp"
)

var ctx = context.Background()

func types() []resource.Type {
	return []resource.Type{
		{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"},
			Properties: []resource.Property{
				{Path: "Clusters/version", Kind: resource.String},
				{Path: "Clusters/desired_configs", Kind: resource.Object},
			}},
		{Name: "Task", Collection: "tasks", Parent: "clusters", Keys: []string{"Tasks/cluster_name", "Tasks/id"},
			Properties: []resource.Property{
				{Path: "Tasks/id", Kind: resource.Number},
				{Path: "Tasks/status", Kind: resource.String, Indexed: true, Default: "PENDING"},
				{Path: "Tasks/hosts", Kind: resource.List},
				{Path: "Tasks/done", Kind: resource.Bool},
			}},
	}
}

func open(t testing.TB, path string, o bolt.Options) (*bolt.DB, *resource.Store) {
	t.Helper()
	db, err := bolt.Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	s, err := resource.Open(db, types()...)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, s
}

func task(id int, status string) map[string]any {
	return map[string]any{"Tasks": map[string]any{"cluster_name": "c1", "id": id, "status": status}}
}

func everything(t testing.TB, s *resource.Store) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, typ := range s.Types() {
		for ns := range strings.SplitSeq("default,proj1", ",") {
			res, err := s.List(ctx, resource.Query{Instance: true, Type: typ.Collection, Namespace: ns, Page: paging.Request{Size: paging.All}})
			if err != nil {
				t.Fatal(err)
			}
			out[ns+"/"+typ.Collection] = res.Items
		}
	}
	return out
}

// fill writes one of each kind of change.
func fill(t testing.TB, s *resource.Store) {
	t.Helper()
	for _, ns := range []string{"", "proj1"} {
		if _, err := s.Create(ctx, "clusters", ns, map[string]any{"Clusters": map[string]any{"cluster_name": "c1", "version": "HDP-2.0",
			"desired_configs": map[string]any{"core-site": map[string]any{"tag": "v1", "n": 1.5}}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Create(ctx, "tasks", "", task(1, "COMPLETED"), task(2, "IN_PROGRESS"), task(3, "PENDING")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, resource.Ref{Type: "tasks", Keys: []string{"c1", "2"}},
		map[string]any{"Tasks": map[string]any{"hosts": []any{"h1", "h2"}, "done": true}}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, resource.Ref{Type: "tasks", Keys: []string{"c1", "3"}}); err != nil {
		t.Fatal(err)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ambit.db")
	db, s := open(t, path, bolt.Options{})
	fill(t, s)
	want, version := everything(t, s), s.Version()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, s = open(t, path, bolt.Options{})
	defer db.Close()
	if diff := cmp.Diff(want, everything(t, s)); diff != "" {
		t.Errorf("reopened (-before +after)\n%s", diff)
	}
	if s.Version() != version {
		t.Errorf("version %d, want %d", s.Version(), version)
	}
	// The history is kept too: a client resumes across the restart.
	got, _, err := s.Changes(ctx, version-2)
	if err != nil {
		t.Fatal(err)
	}
	want2 := []resource.Changed{
		{Ref: resource.Ref{Type: "tasks", Namespace: "default", Keys: []string{"c1", "2"}}, Version: version - 1},
		{Ref: resource.Ref{Type: "tasks", Namespace: "default", Keys: []string{"c1", "3"}}, Version: version, Deleted: true},
	}
	if diff := cmp.Diff(want2, got); diff != "" {
		t.Errorf("changes across a restart (-want +got)\n%s", diff)
	}
}

func TestInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ambit.db")
	db, _ := open(t, path, bolt.Options{})
	defer db.Close()
	_, err := bolt.Open(path)
	if want := fmt.Sprintf("bolt: %s is in use by another process", path); err == nil || err.Error() != want {
		t.Errorf("opening a file in use: %v, want %s", err, want)
	}
}

func TestIncompatible(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ambit.db")
	db, s := open(t, path, bolt.Options{})
	fill(t, s)
	db.Close()
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ts := types()
	ts[1].Properties[0].Kind = resource.String
	_, err = resource.Open(db, ts...)
	want := "resource: the data was written by incompatible declarations: tasks/Tasks/id was a number, now a string"
	if err == nil || err.Error() != want {
		t.Errorf("Open = %v\nwant   %s", err, want)
	}
}

func TestSnapshot(t *testing.T) {
	dir := t.TempDir()
	db, s := open(t, filepath.Join(dir, "ambit.db"), bolt.Options{})
	defer db.Close()
	fill(t, s)
	want := everything(t, s)
	var copy bytes.Buffer
	if _, err := db.WriteTo(&copy); err != nil {
		t.Fatal(err)
	}
	fill2 := func() { // writes after the copy are not in it
		if _, err := s.Create(ctx, "tasks", "", task(9, "PENDING")); err != nil {
			t.Fatal(err)
		}
	}
	fill2()
	restored := filepath.Join(dir, "restored.db")
	if err := os.WriteFile(restored, copy.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	rdb, rs := open(t, restored, bolt.Options{})
	defer rdb.Close()
	if diff := cmp.Diff(want, everything(t, rs)); diff != "" {
		t.Errorf("restored (-at the copy +restored)\n%s", diff)
	}
}

// TestHistoryBound: the file keeps the latest change sets only, and a
// store opened on it serves changes after the oldest of them.
func TestHistoryBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ambit.db")
	db, s := open(t, path, bolt.Options{History: 3})
	fill(t, s) // 5 writes
	v := s.Version()
	db.Close()
	db, s = open(t, path, bolt.Options{History: 3})
	defer db.Close()
	if _, _, err := s.Changes(ctx, v-3); err != nil {
		t.Errorf("changes after the oldest change set kept: %v", err)
	}
	if _, _, err := s.Changes(ctx, v-4); err == nil {
		t.Error("changes after a change set no longer kept were served")
	}
}

// TestCrash kills a writer with SIGKILL while it writes, under every sync
// policy: every write it acknowledged is there after, with its value, and
// every batch is whole.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	for _, p := range []struct {
		name string
		sync bolt.Sync
	}{{"always", bolt.Always}, {"batched", bolt.Batched}, {"never", bolt.Never}} {
		t.Run(p.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ambit.db")
			acked := map[int]bool{}
			for round := range 3 {
				cmd := exec.Command(os.Args[0], "-test.run=^TestWriter$")
				cmd.Env = append(os.Environ(), "BOLT_WRITER="+path, "BOLT_SYNC="+strconv.Itoa(int(p.sync)), "BOLT_FROM="+strconv.Itoa(round*100000))
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				sc := bufio.NewScanner(out)
				for n := 0; n < 200 && sc.Scan(); n++ {
					id, err := strconv.Atoi(sc.Text())
					if err != nil {
						t.Fatalf("writer: %q", sc.Text())
					}
					acked[id] = true
				}
				_ = cmd.Process.Signal(syscall.SIGKILL)
				for sc.Scan() { // acknowledged before the kill landed
					if id, err := strconv.Atoi(sc.Text()); err == nil {
						acked[id] = true
					}
				}
				_ = cmd.Wait()
				db, s := open(t, path, bolt.Options{Sync: p.sync})
				checkAcked(t, s, acked)
				db.Close()
			}
		})
	}
}

func checkAcked(t *testing.T, s *resource.Store, acked map[int]bool) {
	t.Helper()
	res, err := s.List(ctx, resource.Query{Instance: true, Type: "tasks", Page: paging.Request{Size: paging.All}})
	if err != nil {
		t.Fatal(err)
	}
	present := map[int]int{}
	for _, item := range res.Items {
		tk := item["Tasks"].(map[string]any)
		id := int(tk["id"].(float64))
		present[id/2]++ // a batch is tasks 2n and 2n+1
		if acked[id] && tk["status"] != "COMPLETED" {
			t.Errorf("task %d: %v, want COMPLETED", id, tk["status"])
		}
		delete(acked, id)
	}
	for id := range acked {
		t.Errorf("acknowledged task %d is missing", id)
	}
	for batch, n := range present {
		if n != 2 {
			t.Errorf("batch %d holds %d tasks of 2", batch, n)
		}
	}
	for id := range acked {
		delete(acked, id)
	}
}

// TestWriter is the subprocess of TestCrash: 16 writers each create tasks
// two at a time, print the ids once acknowledged, until killed.
func TestWriter(t *testing.T) {
	path := os.Getenv("BOLT_WRITER")
	if path == "" {
		t.Skip("the subprocess of TestCrash")
	}
	policy, _ := strconv.Atoi(os.Getenv("BOLT_SYNC"))
	from, _ := strconv.Atoi(os.Getenv("BOLT_FROM"))
	_, s := open(t, path, bolt.Options{Sync: bolt.Sync(policy)})
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil && from == 0 {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := from + 2*(w*5000+i)
				if _, err := s.Create(ctx, "tasks", "", task(id, "COMPLETED"), task(id+1, "COMPLETED")); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Printf("%d\n%d\n", id, id+1)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	time.Sleep(time.Hour)
}

func TestBlob(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ambit.db")
	db, err := bolt.Open(path, bolt.Options{Sync: bolt.Never})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.Blob("users"); v != nil || err != nil {
		t.Errorf("a blob never set = %q, %v", v, err)
	}
	if err := db.SetBlob("users", []byte(`{"admin":{}}`)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.Blob("users"); string(v) != `{"admin":{}}` || err != nil {
		t.Errorf("after reopening = %q, %v", v, err)
	}
}
