package etcd_test

import (
	"context"
	"testing"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/etcd"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// orchestrator is one server of several: a cluster manager over a replica,
// in the election, with a driver of its own.
type orchestrator struct {
	cli  *clientv3.Client
	m    *cluster.Manager
	lead *etcd.Leadership
}

func orchestrate(t *testing.T, endpoints []string, prefix, name string, rule cluster.Rule) *orchestrator {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	var rep *etcd.Replica
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(quiet), cluster.WithElection(),
		cluster.WithStore(func(types ...resource.Type) (*resource.Store, error) {
			r, err := etcd.Open(context.Background(), cli, prefix, types, etcd.WithLogger(quiet))
			if err != nil {
				return nil, err
			}
			rep = r
			return r.Store, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	l, err := etcd.Campaign(cli, prefix, name)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = m.Lead(ctx, cluster.Execution{Driver: cluster.NewSim(rule)}, l.Leading(), l.Lost())
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		stop, end := context.WithTimeout(context.Background(), 5*time.Second)
		defer end()
		_ = m.Close(stop)
		rep.Close()
		cli.Close()
	})
	return &orchestrator{cli: cli, m: m, lead: l}
}

// TestFailover kills the orchestrator while a request's task runs: another
// server is elected within the lease's time to live, resolves the request
// as after a restart (the install is idempotent: it runs again) and
// finishes it. The request was made through the server that did not lead.
func TestFailover(t *testing.T) {
	ctx := context.Background()
	cli, prefix := startEtcd(t)
	a := orchestrate(t, cli.Endpoints(), prefix, "a", cluster.Rule{Duration: time.Minute}) // its tasks outlive it
	select {
	case <-a.lead.Leading():
	case <-time.After(5 * time.Second):
		t.Fatal("a never led")
	}
	b := orchestrate(t, cli.Endpoints(), prefix, "b", cluster.Rule{})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.m.CreateCluster(ctx, "c1"))
	must(a.m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": "h1", "cpu_count": 4, "os_type": "rhel8"}}))
	must(a.m.AddService(ctx, "c1", "ZOOKEEPER", nil))
	must(a.m.AddHostComponent(ctx, "c1", "h1", "ZOOKEEPER_SERVER"))
	must(b.m.Store().AtLeast(ctx, a.m.Store().Version()))
	id, err := b.m.Drive(ctx, "c1", cluster.Installed, nil, "Install ZooKeeper") // through the follower
	must(err)
	status := func(s *resource.Store) string {
		r, err := s.Get(ctx, resource.Ref{Type: cluster.Requests, Keys: []string{"c1", "1"}})
		if err != nil {
			return err.Error()
		}
		return resource.Text(r.Value("Requests/request_status"))
	}
	waitFor := func(what string, s *resource.Store, want string, d time.Duration) {
		t.Helper()
		deadline := time.Now().Add(d)
		for status(s) != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: request %d is %s, want %s", what, id, status(s), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("the leader runs what the follower recorded", b.m.Store(), "IN_PROGRESS", 10*time.Second)
	killed := time.Now()
	a.cli.Close() // a dies: its lease is no longer kept alive, its writes fail
	select {
	case <-b.lead.Leading():
	case <-time.After(3 * etcd.TTL * time.Second):
		t.Fatal("b was not elected after a died")
	}
	t.Logf("b led %s after a died", time.Since(killed).Round(time.Millisecond))
	waitFor("the new leader finishes it", b.m.Store(), "COMPLETED", 20*time.Second)
}
