// Command ambit-etcd is ambit's server for more than one: every instance
// serves every face from the records of one etcd cluster, which it holds
// in memory as a watch cache, and one of them, elected, runs the requests.
// Start as many as the read load needs, each with the same -token-key so
// that a token one issues works on all:
//
//	go run ./cmd/ambit-etcd -etcd 127.0.0.1:2379 -addr 127.0.0.1:8081 -token-key KEY
//	go run ./cmd/ambit-etcd -etcd 127.0.0.1:2379 -addr 127.0.0.1:8082 -token-key KEY
//
// Without -users it accepts admin/admin and listens on loopback only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/etcd"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/cdap"
	"github.com/ambitkit/ambit/server/ohara"
	"github.com/ambitkit/ambit/server/openshift"
	"github.com/ambitkit/ambit/server/sahara"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "ambit-etcd:", err)
		os.Exit(1)
	}
}

type config struct {
	endpoints, prefix, addr, name, users, tokenKey string
	taskDuration                                   time.Duration
}

func parse(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("ambit-etcd", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.endpoints, "etcd", "127.0.0.1:2379", "the etcd cluster's client endpoints, comma-separated")
	fs.StringVar(&c.prefix, "prefix", "ambit", "the key prefix of the store in etcd: servers with the same one serve the same store")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.name, "name", "", "the server's name in the election (default: its address)")
	fs.StringVar(&c.users, "users", "", "users file of name:bcrypt-hash:role lines, as 'ambit passwd' writes them (default: admin/admin, loopback only)")
	fs.StringVar(&c.tokenKey, "token-key", "", "the key that signs bearer tokens, 32 bytes or more, the same on every server (default: a new random key, good for this server only)")
	fs.DurationVar(&c.taskDuration, "task-duration", 2*time.Second, "how long a simulated task takes")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.name == "" {
		c.name = c.addr
	}
	if c.tokenKey != "" && len(c.tokenKey) < 32 {
		return c, fmt.Errorf("-token-key: %d bytes, want 32 or more", len(c.tokenKey))
	}
	return c, nil
}

// users are the -users file's, or admin/admin on loopback.
func users(c config) (server.Users, error) {
	if c.users != "" {
		f, err := os.Open(c.users)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return server.LoadUsers(f)
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return nil, fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, errors.New("listening beyond loopback takes -users: admin/admin is for loopback only")
	}
	admin, err := server.NewUser("admin", server.Administrator)
	if err != nil {
		return nil, err
	}
	return server.Users{"admin": admin}, nil
}

// run serves until ctx ends or the server loses its place in the election
// while it leads (it must then stop running tasks: the next leader
// resolves them).
func run(ctx context.Context, args []string, out io.Writer) error {
	c, err := parse(args, out)
	if err != nil {
		return err
	}
	us, err := users(c)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(c.endpoints, ","), DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return err
	}
	defer cli.Close()
	shared := newSharedUsers(cli, c.prefix)
	saved, err := shared.load(ctx)
	if err != nil {
		return err
	}
	maps.Copy(saved, us) // the file's users over those saved: as cmd/ambit does
	us = saved
	var replica *etcd.Replica
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil, cluster.WithLogger(log), cluster.WithElection(),
		cluster.WithTypes(slices.Concat(sahara.Types(), cdap.Types(), openshift.Types(), ohara.Types())...),
		cluster.WithStore(func(types ...resource.Type) (*resource.Store, error) {
			r, err := etcd.Open(ctx, cli, c.prefix, types, etcd.WithLogger(log))
			if err != nil {
				return nil, err
			}
			replica = r
			return r.Store, nil
		}))
	if err != nil {
		return err
	}
	defer replica.Close()
	lead, err := etcd.Campaign(cli, c.prefix, c.name)
	if err != nil {
		return err
	}
	x := cluster.Execution{Driver: cluster.NewSim(cluster.Rule{Duration: c.taskDuration})}
	leadCtx, endLead := context.WithCancel(ctx)
	defer endLead()
	var work sync.WaitGroup // what the leader runs beside the requests
	leading := make(chan error, 1)
	go func() { leading <- m.Lead(leadCtx, x, lead.Leading(), lead.Lost()) }()

	opts := []server.Option{server.WithCluster(m, x), server.WithUsers(us), server.WithUsersSaved(shared.save), server.WithLogger(log),
		server.WithFaces(append([]server.Face{ambari.Face(), sahara.Face(), openshift.Face(), ohara.Face()}, cdap.Faces()...)...)}
	if c.tokenKey != "" {
		opts = append(opts, server.WithTokenKey([]byte(c.tokenKey)))
	}
	h := server.New(nil, opts...)
	work.Go(func() { shared.follow(leadCtx, h.Accounts()) }) // the users other servers save
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ambit-etcd %s serving http://%s%s, store %s in etcd %s\n", c.name, ln.Addr(), ambari.Prefix, c.prefix, c.endpoints)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	case <-lead.Lost():
		err = errors.New("the server lost its lease in etcd: it stops, and the next leader resolves its requests")
	case <-lead.Leading():
		fmt.Fprintf(out, "ambit-etcd %s leads: it runs the requests\n", c.name)
		// The leader alone samples the simulated driver's metrics and
		// purges ended requests, as it alone runs them.
		if sampler, ok := x.Driver.(cluster.Sampler); ok {
			work.Go(func() { m.SampleEvery(leadCtx, sampler, time.Minute) })
		}
		work.Go(func() { m.PurgeEvery(leadCtx, cluster.Retention{Keep: 1000, For: 30 * 24 * time.Hour}, time.Minute) })
		select {
		case err = <-errc:
		case <-ctx.Done():
		case <-lead.Lost():
			err = errors.New("the leader lost its lease in etcd: it stops, and the next leader resolves its requests")
		}
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	err = errors.Join(err, srv.Shutdown(shutdown))
	endLead()
	<-leading
	work.Wait()
	return errors.Join(err, m.Close(shutdown), lead.Resign())
}
