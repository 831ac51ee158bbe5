package cluster_test

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// sampled starts a cluster and samples it once a minute, n times, in a
// synctest bubble (fake time: no real wait); it returns the time of the
// first sample, in seconds.
func sampled(t *testing.T, n int) (*cluster.Manager, int64) {
	t.Helper()
	m := streaming(t)
	sim := cluster.NewSim()
	x := cluster.Execution{Driver: sim}
	drive(t, m, cluster.Installed, x)
	drive(t, m, cluster.Started, x)
	start := time.Now().Unix()
	for range n {
		if err := m.Sample(context.Background(), "c1", sim); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
	}
	return m, start
}

// TestTemporalMetrics samples a started cluster every minute for ten
// minutes and asks for a range of the points.
func TestTemporalMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, start := sampled(t, 10)
		// Minutes 2 to 7, one point per two minutes.
		l, _ := fields.Parse(fmtRange("metrics/jvm/gcCount", start+120, start+420, 120))
		res, err := m.Store().List(ctx, resource.Query{Type: cluster.HostComponents, Fields: l, Page: paging.Request{Size: paging.All},
			Scope: map[string]string{"HostRoles/cluster_name": "c1", "HostRoles/host_name": "h1", "HostRoles/component_name": "KAFKA_BROKER"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 1 {
			t.Fatalf("%d items", len(res.Items))
		}
		points := res.Items[0]["metrics"].(map[string]any)["jvm"].(map[string]any)["gcCount"].([]any)
		minute := float64(start / 60)
		want := []any{
			[]any{minute + 3, float64(start + 180)},
			[]any{minute + 5, float64(start + 300)},
			[]any{minute + 7, float64(start + 420)},
		}
		if diff := cmp.Diff(want, points); diff != "" {
			t.Errorf("points (-want +got)\n%s", diff)
		}

		// Hosts have their own metrics.
		l, _ = fields.Parse(fmtRange("metrics/cpu", start, start+60, 0))
		res, err = m.Store().List(ctx, resource.Query{Type: cluster.Hosts, Fields: l, Page: paging.Request{Size: paging.All},
			Scope: map[string]string{"Hosts/cluster_name": "c1", "Hosts/host_name": "h2"}})
		if err != nil {
			t.Fatal(err)
		}
		cpu := res.Items[0]["metrics"].(map[string]any)["cpu"].(map[string]any)
		if idle := cpu["cpu_idle"].([]any); len(idle) != 2 {
			t.Errorf("cpu_idle points %v", idle)
		}
	})
}

func fmtRange(path string, start, end, step int64) string {
	s := path + "[" + itoa64(start) + "," + itoa64(end)
	if step > 0 {
		s += "," + itoa64(step)
	}
	return s + "]"
}

func itoa64(n int64) string { return text(float64(n)) }

// TestLatestMetrics checks that requests without a time range, and
// predicates, read the latest sample, and that a component's metrics are
// the mean of its host components'.
func TestLatestMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _ := sampled(t, 3)
		last := time.Now().Add(-time.Minute)
		minute := float64(last.Unix() / 60)

		get := func(typ, pred, f string, scope map[string]string) []map[string]any {
			t.Helper()
			l, _ := fields.Parse(f)
			q := resource.Query{Type: typ, Fields: l, Scope: scope, Page: paging.Request{Size: paging.All}}
			if pred != "" {
				e, err := query.Parse(pred)
				if err != nil {
					t.Fatal(err)
				}
				q.Predicate = e
			}
			res, err := m.Store().List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return res.Items
		}
		host := get(cluster.Hosts, "", "metrics/disk/disk_free", map[string]string{"Hosts/cluster_name": "c1", "Hosts/host_name": "h1"})
		if got := host[0]["metrics"].(map[string]any)["disk"].(map[string]any)["disk_free"]; got != 100-float64(int(minute)%50) {
			t.Errorf("h1 disk_free = %v, want the latest sample", got)
		}
		comps := get(cluster.Components, "!metrics/jvm.isEmpty()", "metrics/jvm/gcCount", map[string]string{"ServiceComponentInfo/cluster_name": "c1"})
		var names []string
		for _, c := range comps {
			info := c["ServiceComponentInfo"].(map[string]any)
			names = append(names, info["component_name"].(string))
			if got := c["metrics"].(map[string]any)["jvm"].(map[string]any)["gcCount"]; got != minute {
				t.Errorf("%s gcCount = %v, want %v (the mean of its host components')", names[len(names)-1], got, minute)
			}
		}
		if len(names) == 0 {
			t.Fatal("no component has JVM metrics")
		}
		for _, n := range names {
			if n == "ZOOKEEPER_CLIENT" || strings.HasSuffix(n, "_CLIENT") {
				t.Errorf("a client component (%s) has JVM metrics", n)
			}
		}
	})
}
