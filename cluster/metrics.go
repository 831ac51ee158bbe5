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

func seriesKey(keys []string, path string) string { return strings.Join(keys, "/") + "|" + path }

func (m *metrics) record(keys []string, values map[string]float64, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := float64(at.Unix())
	for path, v := range values {
		k := seriesKey(keys, path)
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
	s := m.series[seriesKey(r.Keys(), path)]
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
// component of a cluster, and records them at the manager's time.
func (m *Manager) Sample(cluster string, d Sampler) error {
	at := m.now()
	all := paging.Request{Size: paging.All}
	hosts, err := m.store.List(context.Background(), resource.Query{Type: Hosts, Instance: true, Page: all,
		Scope: map[string]string{"Hosts/cluster_name": cluster}})
	if err != nil {
		return err
	}
	for _, h := range hosts.Items {
		name := category(h, "Hosts")["host_name"].(string)
		m.metrics.record([]string{cluster, name}, d.Sample(name, "", at), at)
	}
	hcs, err := m.store.List(context.Background(), resource.Query{Type: HostComponents, Instance: true, Page: all,
		Scope: map[string]string{"HostRoles/cluster_name": cluster}})
	if err != nil {
		return err
	}
	for _, hc := range hcs.Items {
		roles := category(hc, "HostRoles")
		host, comp := roles["host_name"].(string), roles["component_name"].(string)
		m.metrics.record([]string{cluster, host, comp}, d.Sample(host, comp, at), at)
	}
	return nil
}

// temporal declares metric paths as temporal number properties.
func temporal(paths []string) []resource.Property {
	out := make([]resource.Property, len(paths))
	for i, p := range paths {
		out[i] = resource.Property{Path: p, Kind: resource.Number, Temporal: true}
	}
	return out
}
