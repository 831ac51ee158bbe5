// Command ambit is the standalone server: Ambari's API v1 over an
// in-memory cluster manager. With no flags it listens on 127.0.0.1:8080
// with a demo cluster c1 (HDFS and ZooKeeper installed on three hosts),
// tasks run by the simulated driver, metrics sampled from it every minute,
// and the user admin/admin.
//
//	go run ./cmd/ambit
//	curl -u admin:admin 'http://127.0.0.1:8080/api/v1/clusters/c1?fields=*'
//
// Every flag can also be set with an environment variable: -addr with
// AMBIT_ADDR, and so on.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ambit:", err)
		os.Exit(1)
	}
}

// config is the command's settings, from flags or the environment.
type config struct {
	addr         string
	users        string
	external     string
	driver       string
	taskDuration time.Duration
	demo         bool
	logLevel     string
	sample       time.Duration
}

func parse(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("ambit", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", env("AMBIT_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&c.users, "users", env("AMBIT_USERS", ""), "users file: name:bcrypt-hash:role lines (default: admin/admin, loopback only)")
	fs.StringVar(&c.external, "external-url", env("AMBIT_EXTERNAL_URL", ""), "the server's URL as clients see it, for hrefs")
	fs.StringVar(&c.driver, "driver", env("AMBIT_DRIVER", "sim"), "task driver: sim or exec")
	dur, err := time.ParseDuration(env("AMBIT_TASK_DURATION", "2s"))
	if err != nil {
		return c, fmt.Errorf("AMBIT_TASK_DURATION: %w", err)
	}
	fs.DurationVar(&c.taskDuration, "task-duration", dur, "how long a simulated task takes (0: at once)")
	every, err := time.ParseDuration(env("AMBIT_SAMPLE", "1m"))
	if err != nil {
		return c, fmt.Errorf("AMBIT_SAMPLE: %w", err)
	}
	fs.DurationVar(&c.sample, "sample", every, "how often the simulated driver's metrics are sampled (0: never)")
	fs.BoolVar(&c.demo, "demo", env("AMBIT_DEMO", "true") == "true", "create the demo cluster c1")
	fs.StringVar(&c.logLevel, "log-level", env("AMBIT_LOG_LEVEL", "info"), "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.driver != "sim" && c.driver != "exec" {
		return c, fmt.Errorf("-driver %q: want sim or exec", c.driver)
	}
	return c, nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// run starts the server and serves until ctx ends or a signal comes.
func run(ctx context.Context, args []string, out io.Writer) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	users, banner, err := loadUsers(c)
	if err != nil {
		return err
	}

	m, err := cluster.NewManager(cluster.BuiltinStack(), nil)
	if err != nil {
		return err
	}
	var driver cluster.Driver = cluster.NewSim(cluster.Rule{Duration: c.taskDuration})
	if c.driver == "exec" {
		driver = cluster.NewExec()
	}
	x := cluster.Execution{Driver: driver}
	if c.demo {
		if err := demo(ctx, m, x); err != nil {
			return fmt.Errorf("building the demo cluster: %w", err)
		}
	}
	if s, ok := driver.(cluster.Sampler); ok && c.sample > 0 {
		sampleAll(ctx, m, s, log) // at once, so that metrics are there from the start
		go func() {
			t := time.NewTicker(c.sample)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					sampleAll(ctx, m, s, log)
				}
			}
		}()
	}
	opts := []server.Option{server.WithCluster(m, x), server.WithUsers(users), server.WithLogger(log)}
	if c.external != "" {
		opts = append(opts, server.WithExternalURL(c.external))
	}
	handler := server.New(nil, opts...)
	srv := &http.Server{Addr: c.addr, Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ambit %s serving http://%s%s (%s)\n", server.Version, ln.Addr(), server.Prefix, banner)
	fmt.Fprintf(out, "try: curl -u admin:admin 'http://%s%s/clusters/c1?fields=*'\n", ln.Addr(), server.Prefix)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// sampleAll records the metrics of every cluster.
func sampleAll(ctx context.Context, m *cluster.Manager, s cluster.Sampler, log *slog.Logger) {
	res, err := m.Store().List(ctx, resource.Query{Type: cluster.Clusters, Page: paging.Request{Size: paging.All}})
	if err != nil {
		log.Warn("ambit: listing clusters to sample", "err", err)
		return
	}
	for _, c := range res.Items {
		name, _ := c["Clusters"].(map[string]any)["cluster_name"].(string)
		if err := m.Sample(name, s); err != nil {
			log.Warn("ambit: sampling metrics", "cluster", name, "err", err)
		}
	}
}

// loadUsers reads the users file, or makes the default admin/admin user,
// which is allowed only on loopback.
func loadUsers(c config) (server.Users, string, error) {
	if c.users != "" {
		f, err := os.Open(c.users)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		users, err := server.LoadUsers(f)
		if err != nil {
			return nil, "", fmt.Errorf("-users: %w", err)
		}
		return users, fmt.Sprintf("%d users from %s", len(users), c.users), nil
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return nil, "", fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, "", errors.New("refusing to listen beyond loopback with the default admin/admin user: give -users")
	}
	admin, err := server.NewUser("admin", server.Administrator)
	if err != nil {
		return nil, "", err
	}
	return server.Users{"admin": admin}, "user admin, password admin", nil
}

// demo builds cluster c1 with the seed's host names, HDFS and ZooKeeper,
// installed.
func demo(ctx context.Context, m *cluster.Manager, x cluster.Execution) error {
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		return err
	}
	hosts := []string{"c6401.ambari.apache.org", "c6402.ambari.apache.org", "c6403.ambari.apache.org"}
	for i, h := range hosts {
		facts := map[string]any{"host_name": h, "ip": fmt.Sprintf("192.168.64.%d", 101+i), "cpu_count": 2 * (i + 1),
			"total_mem": 8 << 20, "os_type": "centos7", "os_arch": "x86_64"}
		if err := m.AddHosts(ctx, "c1", map[string]any{"Hosts": facts}); err != nil {
			return err
		}
	}
	for _, svc := range []string{"HDFS", "ZOOKEEPER"} {
		if err := m.AddService(ctx, "c1", svc, nil); err != nil {
			return err
		}
	}
	placements := map[string][]string{
		hosts[0]: {"NAMENODE", "DATANODE", "ZOOKEEPER_SERVER", "HDFS_CLIENT"},
		hosts[1]: {"SECONDARY_NAMENODE", "DATANODE", "ZOOKEEPER_SERVER"},
		hosts[2]: {"DATANODE", "ZOOKEEPER_SERVER", "ZOOKEEPER_CLIENT"},
	}
	for _, h := range hosts {
		for _, comp := range placements[h] {
			if err := m.AddHostComponent(ctx, "c1", h, comp); err != nil {
				return err
			}
		}
	}
	id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "Install the demo cluster")
	if err != nil {
		return err
	}
	// Installing at once: the demo starts ready, whatever -task-duration.
	return m.Execute(ctx, "c1", id, cluster.Execution{Driver: cluster.NewSim()})
}
