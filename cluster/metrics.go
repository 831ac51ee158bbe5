package cluster

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
)

// The metrics hosts and host components have, as temporal properties: a
// request with a time range (fields=metrics/jvm[start,end,step]) gets their
// points.
var (
	hostMetrics      = []string{"metrics/cpu/cpu_idle", "metrics/cpu/cpu_user", "metrics/disk/disk_free", "metrics/memory/mem_free"}
	componentMetrics = []string{"metrics/jvm/gcCount", "metrics/jvm/memHeapUsedM"}
)

// seriesSize bounds every series: at one sample a minute, half a day.
const seriesSize = 720

// Sampler is a driver that can report metrics of hosts and of the
// components running on them. The simulated driver is one.
type Sampler interface {
	// Sample returns metric values by path (metrics/cpu/cpu_idle); an
	// empty component asks for the host's metrics.
	Sample(host, component string, at time.Time) map[string]float64
}

// metrics is a bounded in-memory time-series store: one ring of points per
// resource and metric.
type metrics struct {
	mu     sync.Mutex
	series map[string]*series // by resource key and metric path
}

type series struct {
	points [][2]float64 // [value, timestamp in seconds], oldest first
}

func (s *series) add(v float64, ts float64) {
	if len(s.points) == seriesSize {
		copy(s.points, s.points[1:])
		s.points = s.points[:seriesSize-1]
	}
	s.points = append(s.points, [2]float64{v, ts})
}

func seriesKey(ref resource.Ref, path string) string {
	ns := ref.Namespace
	if ns == "" {
		ns = resource.Default
	}
	return ns + "/" + ref.Type + "/" + strings.Join(ref.Keys, "/") + "|" + path
}

func (m *metrics) record(ref resource.Ref, values map[string]float64, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := float64(at.Unix())
	for path, v := range values {
		k := seriesKey(ref, path)
		s := m.series[k]
		if s == nil {
			s = &series{}
			m.series[k] = s
		}
		s.add(v, ts)
	}
}

// points returns a resource's points of a metric within a time range, at
// most one per step, as Ambari's temporal queries do.
func (m *metrics) points(r resource.Resource, path string, t fields.Temporal) ([][2]float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.series[seriesKey(r.Ref(), path)]
	if s == nil {
		return [][2]float64{}, nil
	}
	start, end := float64(t.Start)/1000, float64(t.End)/1000
	out := [][2]float64{}
	lastBucket := -1.0
	for _, p := range s.points {
		if p[1] < start || (t.End >= 0 && p[1] > end) {
			continue
		}
		if t.Step > 0 {
			bucket := float64(int64((p[1] - start) / float64(t.Step)))
			if bucket == lastBucket && len(out) > 0 {
				out[len(out)-1] = p // keep the last point of each step
				continue
			}
			lastBucket = bucket
		}
		out = append(out, p)
	}
	return slices.Clip(out), nil
}

// Sample asks a sampling driver for the metrics of every host and host
// component of a cluster, and records them at the manager's time: in the
// series that time ranges read, and as the resources' current values, which
// requests without a time range and predicates read (Ambari answers those
// with the latest point). A component's metrics are the mean of its host
// components'. A driver that reports workloads (Workloads) adds the
// workflows, jobs and task attempts run since the last sample.
//
// The values are measurements, not state: a sample leaves the resources'
// versions alone (see resource.Tx.Measure), so that it does not fail a
// client's If-Match.
func (m *Manager) Sample(ctx context.Context, cluster string, d Sampler) error {
	at := m.now()
	all := paging.Request{Size: paging.All}
	hosts, err := m.store.List(ctx, resource.Query{Type: Hosts, Namespace: m.ns, Instance: true, Page: all,
		Scope: map[string]string{"Hosts/cluster_name": cluster}})
	if err != nil {
		return err
	}
	hcs, err := m.store.List(ctx, resource.Query{Type: HostComponents, Namespace: m.ns, Instance: true, Page: all,
		Scope: map[string]string{"HostRoles/cluster_name": cluster}})
	if err != nil {
		return err
	}
	type sample struct {
		ref    resource.Ref
		values map[string]float64
		n      map[string]float64 // for a component: host components summed, by path
	}
	var latest []*sample
	for _, h := range hosts.Items {
		name := str(category(h, "Hosts")["host_name"])
		latest = append(latest, &sample{ref: resource.Ref{Namespace: m.ns, Type: Hosts, Keys: []string{cluster, name}}, values: d.Sample(name, "", at)})
	}
	comps := map[string]*sample{}
	for _, hc := range hcs.Items {
		roles := category(hc, "HostRoles")
		host, comp, svc := str(roles["host_name"]), str(roles["component_name"]), str(roles["service_name"])
		values := d.Sample(host, comp, at)
		latest = append(latest, &sample{ref: resource.Ref{Namespace: m.ns, Type: HostComponents, Keys: []string{cluster, host, comp}}, values: values})
		c := comps[svc+"/"+comp]
		if c == nil {
			c = &sample{ref: resource.Ref{Namespace: m.ns, Type: Components, Keys: []string{cluster, svc, comp}}, values: map[string]float64{}, n: map[string]float64{}}
			comps[svc+"/"+comp] = c
			latest = append(latest, c)
		}
		for path, v := range values {
			c.values[path] += v
			c.n[path]++
		}
	}
	for _, c := range comps {
		for path := range c.values {
			c.values[path] /= c.n[path]
		}
	}
	var wfs []Workflow
	if w, ok := d.(Workloads); ok { // the workload history since the last sample
		m.mu.Lock()
		since := m.sampled[m.key(cluster)]
		m.sampled[m.key(cluster)] = at
		m.mu.Unlock()
		wfs = w.Workflows(cluster, since, at)
	}
	err = m.store.Write(ctx, func(tx *resource.Tx) error {
		for _, s := range latest {
			if _, err := tx.Measure(s.ref, nested(s.values)); err != nil {
				return err
			}
		}
		return m.recordWorkload(tx, cluster, wfs)
	})
	if err != nil {
		return err
	}
	for _, s := range latest {
		m.metrics.record(s.ref, s.values, at)
	}
	return nil
}

// nested turns values by path into a property tree.
func nested(values map[string]float64) map[string]any {
	root := map[string]any{}
	for path, v := range values {
		resource.Set(root, path, v)
	}
	return root
}

// temporal declares metric paths as temporal number properties.
func temporal(paths []string) []resource.Property {
	out := make([]resource.Property, len(paths))
	for i, p := range paths {
		out[i] = resource.Property{Path: p, Kind: resource.Number, Temporal: true}
	}
	return out
}
