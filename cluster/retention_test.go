package cluster_test

import (
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

func TestPurge(t *testing.T) {
	tests := []struct {
		name   string
		r      cluster.Retention
		purged int
		left   []string // request ids
	}{
		{"off", cluster.Retention{}, 0, []string{"1", "2", "3", "4", "5"}},
		{"keep 2", cluster.Retention{Keep: 2}, 3, []string{"4", "5"}},
		{"younger than 90 minutes", cluster.Retention{For: 90 * time.Minute}, 3, []string{"4", "5"}},
		{"the latest stays", cluster.Retention{For: time.Second}, 4, []string{"5"}},
		{"either bound", cluster.Retention{Keep: 4, For: 150 * time.Minute}, 2, []string{"3", "4", "5"}},
		{"the newest 4, or younger than 5 hours", cluster.Retention{Keep: 4, For: 5 * time.Hour}, 1, []string{"2", "3", "4", "5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := streaming(t)
				x := cluster.Execution{Driver: cluster.NewSim()}
				// Five requests, an hour apart; the last ends now.
				for i, target := range []cluster.State{cluster.Installed, cluster.Started, cluster.Installed, cluster.Started, cluster.Installed} {
					if i > 0 {
						time.Sleep(time.Hour)
					}
					drive(t, m, target, x)
				}
				n, err := m.Purge(ctx, tt.r)
				if err != nil || n != tt.purged {
					t.Errorf("Purge = %d, %v; want %d", n, err, tt.purged)
				}
				if diff := cmp.Diff(tt.left, requestIDs(t, m)); diff != "" {
					t.Errorf("requests left (-want +got)\n%s", diff)
				}
				res, err := m.Store().List(ctx, resource.Query{Type: cluster.Tasks, Page: paging.Request{Size: paging.All}})
				if err != nil {
					t.Fatal(err)
				}
				for _, item := range res.Items {
					id := text(item["Tasks"].(map[string]any)["request_id"])
					if !contains(tt.left, id) {
						t.Errorf("a task of purged request %s is left", id)
					}
				}
			})
		})
	}
}

func TestDeleteRequest(t *testing.T) {
	m := streaming(t)
	x := cluster.Execution{Driver: cluster.NewSim()}
	drive(t, m, cluster.Installed, x)
	drive(t, m, cluster.Started, x)
	ref := func(id string) []resource.Ref {
		return []resource.Ref{{Type: cluster.Requests, Keys: []string{"c1", id}}}
	}
	err := m.Delete(ctx, ref("2"), nil)
	if e := storeError(err); e.Kind != resource.Conflict || e.Msg != "Request 2 is the latest of the cluster c1, which is kept: the next request's id follows from it." {
		t.Errorf("deleting the latest request: %v", err)
	}
	if err := m.Delete(ctx, ref("1"), nil); err != nil {
		t.Errorf("deleting a completed request: %v", err)
	}
	if diff := cmp.Diff([]string{"2"}, requestIDs(t, m)); diff != "" {
		t.Errorf("requests left (-want +got)\n%s", diff)
	}
}

func requestIDs(t *testing.T, m *cluster.Manager) []string {
	t.Helper()
	res, err := m.Store().List(ctx, resource.Query{Type: cluster.Requests, Page: paging.Request{Size: paging.All}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, item := range res.Items {
		out = append(out, text(item["Requests"].(map[string]any)["id"]))
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestLaunch starts host components from where they stand: INIT ones are
// installed first, then started; started ones are left alone.
func TestLaunch(t *testing.T) {
	m := streaming(t)
	x := cluster.Execution{Driver: cluster.NewSim()}
	hc := func(host, comp string) resource.Ref {
		return resource.Ref{Type: cluster.HostComponents, Keys: []string{"c1", host, comp}}
	}
	refs := []resource.Ref{hc("h1", "ZOOKEEPER_SERVER"), hc("h2", "ZOOKEEPER_SERVER")}
	id, err := m.Launch(ctx, "c1", refs, "launch")
	if err != nil || id == 0 {
		t.Fatalf("Launch = %d, %v", id, err)
	}
	if err := m.Execute(ctx, "c1", id, x); err != nil {
		t.Fatal(err)
	}
	want := []string{"h1 ZOOKEEPER_SERVER INSTALL COMPLETED ", "h1 ZOOKEEPER_SERVER START COMPLETED ",
		"h2 ZOOKEEPER_SERVER INSTALL COMPLETED ", "h2 ZOOKEEPER_SERVER START COMPLETED "}
	if diff := cmp.Diff(want, taskLines(t, m, strconv.FormatInt(id, 10))); diff != "" {
		t.Errorf("tasks (-want +got)\n%s", diff)
	}
	if id, err := m.Launch(ctx, "c1", refs, "again"); err != nil || id != 0 {
		t.Errorf("Launch of started components = %d, %v; want nothing to do", id, err)
	}
}
