// Package etcdtest runs an etcd member in a test, for the tests of
// resource/etcd and of what uses it: embedded, on free loopback ports, or,
// with AMBIT_ETCD set (host:port), the etcd found there.
package etcdtest

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Start returns the client endpoint of an etcd for the test, and a key
// prefix of the test's own; t's cleanup stops an embedded member.
func Start(t testing.TB) (endpoint, prefix string) {
	t.Helper()
	prefix = fmt.Sprintf("ambit-test/%s-%d", t.Name(), time.Now().UnixNano())
	if ep := os.Getenv("AMBIT_ETCD"); ep != "" {
		return ep, prefix
	}
	cfg := embed.NewConfig()
	cfg.Dir = t.TempDir()
	client, peer := freeURL(t), freeURL(t)
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		t.Fatal("etcd did not start")
	}
	return client.Host, prefix
}

// Dial returns a client of endpoint, closed by t's cleanup.
func Dial(t testing.TB, endpoint string) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// freeURL is a loopback URL on a port nothing listens on.
func freeURL(t testing.TB) url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}
}
