package etcd_test

import (
	"testing"
	"time"

	"github.com/ambitkit/ambit/resource/etcd"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// TestElection runs three candidates: exactly one leads; when it resigns
// the next leads at once, and when a leader's client dies (it stops
// keeping its lease alive) another is elected within the lease's TTL.
func TestElection(t *testing.T) {
	cli, prefix := startEtcd(t)
	var clients []*clientv3.Client
	var ls []*etcd.Leadership
	for i := range 3 {
		c, err := clientv3.New(clientv3.Config{Endpoints: cli.Endpoints(), DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
		l, err := etcd.Campaign(c, prefix, string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		if i == 0 {
			select {
			case <-l.Leading():
			case <-time.After(5 * time.Second):
				t.Fatal("the first candidate never led")
			}
		}
	}
	leaders := func() []int {
		var out []int
		for i, l := range ls {
			select {
			case <-l.Leading():
				select {
				case <-l.Lost():
				default:
					out = append(out, i)
				}
			default:
			}
		}
		return out
	}
	if got := leaders(); len(got) != 1 || got[0] != 0 {
		t.Fatalf("leaders %v, want the first alone", got)
	}
	if err := ls[0].Resign(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ls[1].Leading():
	case <-time.After(2 * etcd.TTL * time.Second): // at once, but an etcd that syncs under load takes its time
		t.Fatal("the second candidate did not lead after the first resigned")
	}
	start := time.Now()
	clients[1].Close() // the leader dies: its lease is no longer kept alive
	select {
	case <-ls[2].Leading():
	case <-time.After(3 * etcd.TTL * time.Second):
		t.Fatalf("no new leader %s after the leader died", time.Since(start))
	}
	if took := time.Since(start); took > 2*etcd.TTL*time.Second {
		t.Errorf("the new leader took %s, want within about the lease's %d s", took, etcd.TTL)
	}
	if err := ls[2].Resign(); err != nil {
		t.Error(err)
	}
	clients[0].Close()
	clients[2].Close()
}
