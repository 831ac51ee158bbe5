package etcd_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/etcd"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Two servers on one etcd (here a member embedded in the program): a host
// created through one is read through the other at the create's version.
func Example() {
	dir, _ := os.MkdirTemp("", "etcd")
	defer os.RemoveAll(dir)
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	client, peer := url.URL{Scheme: "http", Host: "127.0.0.1:23790"}, url.URL{Scheme: "http", Host: "127.0.0.1:23800"}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		panic(err)
	}
	defer e.Close()
	<-e.Server.ReadyNotify()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{client.Host}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		panic(err)
	}
	defer cli.Close()

	ctx := context.Background()
	types := []resource.Type{{Name: "Host", Collection: "hosts", Keys: []string{"Hosts/host_name"},
		Properties: []resource.Property{{Path: "Hosts/cpu_count", Kind: resource.Number}}}}
	a, err := etcd.Open(ctx, cli, "example", types)
	if err != nil {
		panic(err)
	}
	defer a.Close()
	b, err := etcd.Open(ctx, cli, "example", types)
	if err != nil {
		panic(err)
	}
	defer b.Close()

	made, err := a.Store.Create(ctx, "hosts", "", map[string]any{"Hosts": map[string]any{"host_name": "h1", "cpu_count": 8}})
	if err != nil {
		panic(err)
	}
	if err := b.Store.AtLeast(ctx, made[0].Version()); err != nil {
		panic(err)
	}
	h, err := b.Store.Get(ctx, resource.Ref{Type: "hosts", Keys: []string{"h1"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(h.Value("Hosts/cpu_count"), h.Version() == made[0].Version())
	// Output: 8 true
}
