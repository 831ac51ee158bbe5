package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// ExpandedTarget is the Ambari UI's services page (AMBARI-25422): every
// service with its components and their host components' states.
const ExpandedTarget = "/api/v1/clusters/c1/services?fields=ServiceInfo/state,components/ServiceComponentInfo/component_name," +
	"components/host_components/HostRoles/state&minimal_response=true"

// Expanded measures ExpandedTarget on a cluster of hosts hosts (HDFS with
// a DataNode on each, ZooKeeper on three): the mean time of one answer,
// in process, and its size.
func Expanded(hosts int) (time.Duration, int, error) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet))
	if err != nil {
		return 0, 0, err
	}
	defer m.Close(ctx)
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		return 0, 0, err
	}
	sim := cluster.NewSim()
	names := make([]string, hosts)
	facts := make([]map[string]any, hosts)
	joins := make([]map[string]any, hosts)
	for i := range names {
		names[i] = fmt.Sprintf("h%05d.example.com", i)
		facts[i] = sim.Facts(names[i])
		joins[i] = map[string]any{"Hosts": map[string]any{"host_name": names[i]}}
	}
	if err := m.RegisterHosts(ctx, facts...); err != nil {
		return 0, 0, err
	}
	if err := m.AddHosts(ctx, "c1", joins...); err != nil {
		return 0, 0, err
	}
	for _, svc := range []string{"HDFS", "ZOOKEEPER"} {
		if err := m.AddService(ctx, "c1", svc, nil); err != nil {
			return 0, 0, err
		}
	}
	place := []struct {
		host, component string
	}{{names[0], "NAMENODE"}, {names[1%hosts], "SECONDARY_NAMENODE"}}
	for i := range min(3, hosts) {
		place = append(place, struct{ host, component string }{names[i], "ZOOKEEPER_SERVER"})
	}
	for _, h := range names {
		place = append(place, struct{ host, component string }{h, "DATANODE"})
	}
	for _, p := range place {
		if err := m.AddHostComponent(ctx, "c1", p.host, p.component); err != nil {
			return 0, 0, err
		}
	}
	h := server.New(nil, server.WithCluster(m, cluster.Execution{Driver: sim}), server.WithFaces(ambari.Face()), server.WithLogger(quiet))
	size := 0
	var failed error
	r := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ExpandedTarget, nil))
			if rec.Code != http.StatusOK {
				failed = fmt.Errorf("GET %s: %d %s", ExpandedTarget, rec.Code, rec.Body.Bytes())
				b.SkipNow()
			}
			size = rec.Body.Len()
		}
	})
	if failed != nil {
		return 0, 0, failed
	}
	return r.T / time.Duration(max(1, r.N)), size, nil
}
