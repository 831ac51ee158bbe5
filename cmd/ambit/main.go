// Command ambit is the standalone server: Ambari's API v1 (and Sahara's)
// over a cluster manager. With no flags it listens on 127.0.0.1:8080
// with a demo cluster c1 (every service of the stack installed on three
// of four registered hosts),
// tasks run by the simulated driver, metrics sampled from it every minute,
// and the user admin/admin. It keeps its data in the directory ambit-data
// (-data; ” keeps everything in memory): clusters, requests, users and
// the token key outlive a restart or a crash, the demo is built on the
// first start only, and what a crash left running is resolved on the
// next (see cluster.Manager.Recover). Ended requests are kept up to
// -keep per cluster and -keep-for.
//
//	curl -u admin:admin -o backup.db http://127.0.0.1:8080/api/v1/operator/snapshot
//	ambit restore -data ambit-data backup.db   (with the server stopped)
//
//	go run ./cmd/ambit
//	curl -u admin:admin 'http://127.0.0.1:8080/api/v1/clusters/c1?fields=*'
//
// Every flag can also be set with an environment variable: -addr with
// AMBIT_ADDR, and so on.
package main

import (
	"bufio"
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
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource/bolt"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
	"github.com/ambitkit/ambit/server/cdap"
	"github.com/ambitkit/ambit/server/ohara"
	"github.com/ambitkit/ambit/server/openshift"
	"github.com/ambitkit/ambit/server/sahara"
	"golang.org/x/crypto/bcrypt"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ambit:", err)
		os.Exit(1)
	}
}

// config is the command's settings, from flags or the environment.
type config struct {
	addr          string
	users         string
	allowRemote   bool
	external      string
	driver        string
	taskDuration  time.Duration
	demo          bool
	logLevel      string
	sample        time.Duration
	maxWait       time.Duration
	maxRunning    int
	tokenKey      string
	stacks        stackFlags
	data          string // the data directory; "" keeps everything in memory
	keep          int
	readCache     int // MiB
	keepFor       time.Duration
	unrecoverable bool
	// oharaAnonymous serves the Ohara face's requests without credentials
	// as this user; allowAnonymous lets it beyond loopback.
	oharaAnonymous string
	allowAnonymous bool
	sync           string
	copy           string // restore's argument
}

// stackFlags are the -stack flags, in order: stack files, or "builtin".
type stackFlags []string

func (s *stackFlags) String() string     { return strings.Join(*s, ",") }
func (s *stackFlags) Set(v string) error { *s = append(*s, v); return nil }

func parse(args []string, out io.Writer) (config, error) { return parseArgs(args, out, false) }

// parseArgs reads the flags, and with restore set the copy to restore.
func parseArgs(args []string, out io.Writer, restore bool) (config, error) {
	var c config
	fs := flag.NewFlagSet("ambit", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: ambit [flags]\n       ambit restore -data DIR FILE   (makes a copy from /api/v1/operator/snapshot the data of DIR)\n       ambit passwd [-role admin|operator|read-only] [-grants ns1,ns2] NAME   (reads the password from standard input)\n       ambit openapi [flags] FACE   (writes the OpenAPI document FACE serves: ambari, sahara, cdap, openshift or ohara)\n\nflags (each also an AMBIT_ environment variable, -addr as AMBIT_ADDR):\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", env("AMBIT_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&c.users, "users", env("AMBIT_USERS", ""), "users file of name:bcrypt-hash:role lines, as 'ambit passwd' writes them (default: admin/admin, loopback only)")
	fs.BoolVar(&c.allowRemote, "allow-remote", env("AMBIT_ALLOW_REMOTE", "false") == "true", "allow listening beyond loopback (needs -users)")
	fs.StringVar(&c.tokenKey, "token-key", env("AMBIT_TOKEN_KEY", ""), "the key that signs bearer tokens, 32 bytes or more (default: a new random key at each start)")
	fs.StringVar(&c.data, "data", env("AMBIT_DATA", "ambit-data"), "the directory where the server keeps its clusters, requests, users and token key across restarts, made on the first start; '' keeps everything in memory")
	fs.StringVar(&c.sync, "sync", env("AMBIT_SYNC", "always"), "when writes reach the disk: always (before each is answered), batched (every 10 ms: a machine crash may lose the last ones) or never (left to the system)")
	fs.StringVar(&c.external, "external-url", env("AMBIT_EXTERNAL_URL", ""), "the server's URL as clients see it, for hrefs")
	if v := env("AMBIT_STACK", ""); v != "" {
		c.stacks = strings.Split(v, ",")
	}
	fs.Var(&c.stacks, "stack", "a stack definition in JSON, or builtin; repeat it for several, the first the default (default: builtin; examples/stacks/local.json runs real processes with -driver exec)")
	fs.StringVar(&c.driver, "driver", env("AMBIT_DRIVER", "sim"), "task driver: sim or exec")
	fs.BoolVar(&c.unrecoverable, "unrecoverable-deletes", env("AMBIT_UNRECOVERABLE_DELETES", "false") == "true", "let administrators delete namespaces, and everything in them, with CDAP's DELETE /v3/unrecoverable/namespaces/NS")
	fs.StringVar(&c.oharaAnonymous, "ohara-anonymous", env("AMBIT_OHARA_ANONYMOUS", ""), "serve Ohara's clients, which send no credentials, as this user: anyone who reaches the server acts as it (loopback only, unless -allow-remote-anonymous)")
	fs.BoolVar(&c.allowAnonymous, "allow-remote-anonymous", env("AMBIT_ALLOW_REMOTE_ANONYMOUS", "false") == "true", "let -ohara-anonymous serve beyond loopback")
	fs.BoolVar(&c.demo, "demo", env("AMBIT_DEMO", "true") == "true", "create the demo cluster c1")
	fs.StringVar(&c.logLevel, "log-level", env("AMBIT_LOG_LEVEL", "info"), "debug (every task's transitions), info, warn or error")
	running, err := strconv.Atoi(env("AMBIT_MAX_RUNNING", "8"))
	if err != nil {
		return c, fmt.Errorf("AMBIT_MAX_RUNNING: %w", err)
	}
	fs.IntVar(&c.maxRunning, "max-running", running, "how many requests run at once (more wait, PENDING)")
	keep, err := strconv.Atoi(env("AMBIT_KEEP", "1000"))
	if err != nil {
		return c, fmt.Errorf("AMBIT_KEEP: %w", err)
	}
	cache, err := strconv.Atoi(env("AMBIT_READ_CACHE", "64"))
	if err != nil {
		return c, fmt.Errorf("AMBIT_READ_CACHE: %w", err)
	}
	fs.IntVar(&c.readCache, "read-cache", cache, "MiB of answers to reads kept until the next write, to answer the same read again (0: none)")
	fs.IntVar(&c.keep, "keep", keep, "how many of its latest ended requests a cluster keeps, with their tasks (0: no bound)")
	durations := []struct {
		p          *time.Duration
		flag, def  string
		usage, env string
	}{
		{&c.taskDuration, "task-duration", "2s", "how long a simulated task takes (0: at once)", "AMBIT_TASK_DURATION"},
		{&c.sample, "sample", "1m", "how often the simulated driver's metrics are sampled (0: never)", "AMBIT_SAMPLE"},
		{&c.maxWait, "max-wait", "1m", "the longest an X-Ambit-Wait long-poll waits", "AMBIT_MAX_WAIT"},
		{&c.keepFor, "keep-for", "720h", "how long an ended request is kept, with its tasks (0: no bound)", "AMBIT_KEEP_FOR"},
	}
	for _, d := range durations {
		v, err := time.ParseDuration(env(d.env, d.def))
		if err != nil {
			return c, fmt.Errorf("%s: %w", d.env, err)
		}
		fs.DurationVar(d.p, d.flag, v, d.usage)
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case restore && fs.NArg() == 1:
		c.copy = fs.Arg(0)
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q: flags start with -, and the commands are passwd and restore (see -h)", fs.Arg(0))
	}
	if _, ok := syncs[c.sync]; !ok {
		return c, fmt.Errorf("-sync %q: want always, batched or never", c.sync)
	}
	if c.driver != "sim" && c.driver != "exec" {
		return c, fmt.Errorf("-driver %q: want sim or exec", c.driver)
	}
	if c.maxWait <= 0 {
		return c, fmt.Errorf("-max-wait %s: want a positive duration", c.maxWait)
	}
	if c.tokenKey != "" && len(c.tokenKey) < 32 {
		return c, fmt.Errorf("-token-key: %d bytes, want 32 or more", len(c.tokenKey))
	}
	return c, nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// run starts the server and serves until ctx ends or a signal comes; with
// the passwd command it makes a users-file line instead, and with restore
// it restores a copy of the data.
func run(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	if len(args) > 0 && args[0] == "passwd" {
		return passwd(args[1:], in, out)
	}
	if len(args) > 0 && args[0] == "restore" {
		return restore(args[1:])
	}
	if len(args) > 0 && args[0] == "openapi" {
		return document(args[1:], out)
	}
	c, err := parse(args, out)
	if errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage is printed, and asking for it is no failure
	} else if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if _, err := checkRemote(c); err != nil {
		return err
	}
	var db *bolt.DB
	if c.data != "" {
		if db, err = openData(c.data, syncs[c.sync]); err != nil {
			return err
		}
		defer db.Close()
	}
	users, who, err := loadUsers(c, db)
	if err != nil {
		return err
	}
	m, err := newManager(c, db, log)
	if err != nil {
		return err
	}
	var driver cluster.Driver = cluster.NewSim(cluster.Rule{Duration: c.taskDuration})
	if c.driver == "exec" {
		driver = cluster.NewExec()
	}
	x := cluster.Execution{Driver: driver}
	where, err := prepare(ctx, c, db, m, x)
	if err != nil {
		_ = m.Close(context.Background())
		return err
	}
	opts := []server.Option{server.WithCluster(m, x), server.WithUsers(users), server.WithLogger(log), server.WithMaxWait(c.maxWait),
		server.WithReadCache(c.readCache << 20)}
	if c.external != "" {
		opts = append(opts, server.WithExternalURL(c.external))
	}
	key := []byte(c.tokenKey)
	if db != nil {
		opts = append(opts, server.WithUsersSaved(saveUsers(db)), server.WithSnapshot(db))
		if len(key) == 0 {
			if key, err = tokenKey(db); err != nil {
				_ = m.Close(context.Background())
				return err
			}
		}
	}
	if len(key) > 0 {
		opts = append(opts, server.WithTokenKey(key))
	}
	handler := server.New(nil, append(opts, server.WithFaces(faces(c)...))...)
	srv := httpServer(c, handler)

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		_ = m.Close(context.Background())
		return err
	}
	fmt.Fprintf(out, "ambit %s serving http://%s%s (%s)\n", ambari.Version, ln.Addr(), ambari.Prefix, who.banner)
	fmt.Fprintf(out, "data: %s\n", where)
	fmt.Fprintf(out, "try: curl -u %s 'http://%s%s/clusters'\n", who.credentials, ln.Addr(), ambari.Prefix)

	var work sync.WaitGroup // the goroutines run owns, beside the manager's
	if s, ok := driver.(cluster.Sampler); ok && c.sample > 0 {
		work.Go(func() { m.SampleEvery(ctx, s, c.sample) })
	}
	work.Go(func() { m.PurgeEvery(ctx, cluster.Retention{Keep: c.keep, For: c.keepFor}, time.Minute) })
	errc := make(chan error, 1)
	work.Go(func() { errc <- srv.Serve(ln) })
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("ambit: shutting down: no new connections; waiting for requests in flight")
	}
	// Stop accepting and let what is in flight finish, then stop the
	// requests still running (their tasks end ABORTED), then return.
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	stop()
	err = errors.Join(ignoreClosed(err), srv.Shutdown(shutdown), m.Close(shutdown))
	work.Wait()
	return err
}

// faces are the faces the server serves, as the settings configure them.
func faces(c config) []server.Face {
	var cdapOpts []cdap.Option
	if c.unrecoverable {
		cdapOpts = append(cdapOpts, cdap.WithUnrecoverableDeletes())
	}
	var oharaOpts []ohara.Option
	if c.oharaAnonymous != "" {
		oharaOpts = append(oharaOpts, ohara.WithAnonymous(c.oharaAnonymous))
	}
	if c.logLevel == "debug" {
		oharaOpts = append(oharaOpts, ohara.WithDebug())
	}
	return append([]server.Face{ambari.Face(), sahara.Face(), openshift.Face(), ohara.Face(oharaOpts...)}, cdap.Faces(cdapOpts...)...)
}

// newManager builds the cluster manager of the settings, on db when it is
// not nil.
func newManager(c config, db *bolt.DB, log *slog.Logger) (*cluster.Manager, error) {
	stacks, err := loadStacks(c.stacks)
	if err != nil {
		return nil, err
	}
	opts := []cluster.Option{cluster.WithStacks(stacks[1:]...), cluster.WithLogger(log), cluster.WithMaxRunning(c.maxRunning),
		cluster.WithTypes(slices.Concat(sahara.Types(), cdap.Types(), openshift.Types(), ohara.Types())...)}
	if db != nil {
		opts = append(opts, cluster.WithBackend(db))
	}
	return cluster.NewManager(stacks[0], nil, opts...)
}

// prepare builds the demo on a first start, or resolves on a later one
// what the last left unfinished; it says where the data is, for the banner.
func prepare(ctx context.Context, c config, db *bolt.DB, m *cluster.Manager, x cluster.Execution) (string, error) {
	first := true
	if db != nil {
		var err error
		if first, err = seeded(db); err != nil {
			return "", err
		}
		first = !first
	}
	if first && c.demo {
		if err := demo(ctx, m); err != nil {
			return "", fmt.Errorf("building the demo cluster: %w (remove -data %s to start afresh)", err, c.data)
		}
	}
	if db == nil {
		return "in memory only, gone when the server stops (-data keeps it)", nil
	}
	path := filepath.Join(c.data, dataFile)
	if first {
		return path + ", new", db.SetBlob(seededBlob, []byte(time.Now().UTC().Format(time.RFC3339)))
	}
	n, err := m.Recover(ctx, x)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, at version %d; unfinished requests resolved: %d", path, m.Store().Version(), n), nil
}

// httpServer is the HTTP server of a handler, with its timeouts: the write
// timeout outlasts the longest long-poll, so that its answer gets out, and
// a shutdown ends the long-polls rather than waiting for them.
func httpServer(c config, h *server.Server) *http.Server {
	srv := &http.Server{Addr: c.addr, Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, WriteTimeout: c.maxWait + time.Minute, IdleTimeout: 2 * time.Minute}
	srv.RegisterOnShutdown(h.EndWaits)
	return srv
}

// loadStacks reads the -stack definitions ("builtin" for the built-in
// stack, which is also what none gives).
func loadStacks(paths []string) ([]*cluster.Stack, error) {
	if len(paths) == 0 {
		paths = []string{"builtin"}
	}
	var out []*cluster.Stack
	for _, path := range paths {
		if path == "builtin" {
			out = append(out, cluster.BuiltinStack())
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("-stack: %w", err)
		}
		s, err := cluster.LoadStack(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("-stack %s: %w", path, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// login is who may log in, for the banner and the line to try.
type login struct{ banner, credentials string }

// loadUsers reads the users the data keeps and the users file (whose
// users replace those of the same name), or makes the default admin/admin
// user when there are none. Listening beyond loopback needs -allow-remote,
// and a users file: never admin/admin.
func loadUsers(c config, db *bolt.DB) (server.Users, login, error) {
	remote, err := checkRemote(c)
	if err != nil {
		return nil, login{}, err
	}
	users := server.Users{}
	if db != nil {
		saved, err := savedUsers(db)
		if err != nil {
			return nil, login{}, err
		}
		maps.Copy(users, saved)
	}
	who := login{fmt.Sprintf("%d users", len(users)), "NAME:PASSWORD"}
	if c.users != "" {
		f, err := os.Open(c.users)
		if err != nil {
			return nil, login{}, err
		}
		defer f.Close()
		file, err := server.LoadUsers(f)
		if err != nil {
			return nil, login{}, fmt.Errorf("-users %s: %w", c.users, err)
		}
		who.banner = fmt.Sprintf("%d users from %s", len(file), c.users)
		if extra := len(users) - overlap(users, file); extra > 0 {
			who.banner += fmt.Sprintf(" and %d more from the data", extra)
		}
		maps.Copy(users, file)
	}
	if len(users) == 0 {
		admin, err := server.NewUser("admin", server.Administrator)
		if err != nil {
			return nil, login{}, err
		}
		users["admin"] = admin
	}
	if admin, ok := users["admin"]; ok && bcrypt.CompareHashAndPassword(admin.Hash, []byte("admin")) == nil {
		if remote {
			return nil, login{}, errors.New("refusing to listen beyond loopback while the user admin has the password admin: change it, or remove the user")
		}
		who = login{"user admin, password admin", "admin:admin"}
	}
	return users, who, nil
}

// overlap counts the users of a that b has too.
func overlap(a, b server.Users) int {
	n := 0
	for name := range a {
		if _, ok := b[name]; ok {
			n++
		}
	}
	return n
}

// checkRemote refuses to listen beyond loopback without -allow-remote and
// a users file, and reports whether the address is beyond loopback.
func checkRemote(c config) (bool, error) {
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return false, fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return false, nil
	}
	switch {
	case !c.allowRemote:
		return true, fmt.Errorf("refusing to listen on %s, beyond loopback, without -allow-remote", c.addr)
	case c.users == "":
		return true, errors.New("refusing to listen beyond loopback with the default admin/admin user: give -users")
	case c.oharaAnonymous != "" && !c.allowAnonymous:
		return true, errors.New("refusing to serve anonymous Ohara clients beyond loopback without -allow-remote-anonymous")
	}
	return true, nil
}

// passwd writes the users-file line of a user whose password is the first
// line of in.
func passwd(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("ambit passwd", flag.ContinueOnError)
	fs.SetOutput(out)
	role := fs.String("role", "admin", "admin, operator or read-only")
	grants := fs.String("grants", "", "the namespaces the user may use, comma-separated (* for all; default: all for admin, default for the others)")
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: ambit passwd [-role admin|operator|read-only] [-grants ns1,ns2] NAME < password\n\nwrites NAME's line of a -users file\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if fs.NArg() != 1 || strings.ContainsAny(fs.Arg(0), ": \t") {
		return errors.New("passwd: give one user name, without colons or spaces (see passwd -h)")
	}
	r := map[string]server.Role{"admin": server.Administrator, "operator": server.Operator, "read-only": server.ReadOnly}
	rl, ok := r[*role]
	if !ok {
		return fmt.Errorf("passwd: -role %q: want admin, operator or read-only", *role)
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return fmt.Errorf("passwd: no password on standard input: %w", errors.Join(err, errors.New("empty")))
	}
	u, err := server.NewUser(password, rl)
	if err != nil {
		return fmt.Errorf("passwd: %w", err)
	}
	if *grants != "" {
		u.Grants = strings.Split(*grants, ",")
	}
	if _, err := server.LoadUsers(strings.NewReader(server.Line(fs.Arg(0), u))); err != nil {
		return fmt.Errorf("passwd: %w", err) // an empty grant, say
	}
	_, err = fmt.Fprintln(out, server.Line(fs.Arg(0), u))
	return err
}

// demo registers the seed's hosts as the simulator's agents would, and
// builds cluster c1 on three of them with every service of the stack,
// laid out by the components' cardinalities, installed; the fourth host
// stays registered, for a client to add. Everything it shows comes from
// the stack and the domain.
func demo(ctx context.Context, m *cluster.Manager) error {
	sim := cluster.NewSim()
	hosts := []string{"c6401.ambari.apache.org", "c6402.ambari.apache.org", "c6403.ambari.apache.org", "c6404.ambari.apache.org"}
	if err := sim.Register(ctx, m, hosts...); err != nil {
		return err
	}
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		return err
	}
	members := hosts[:3]
	for _, h := range members {
		if err := m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": h}}); err != nil {
			return err
		}
	}
	for _, svc := range m.Stack().Services {
		if err := m.AddService(ctx, "c1", svc.Name, nil); err != nil {
			return err
		}
	}
	layout := cluster.Layout(m.Stack(), members)
	for _, h := range members {
		for _, comp := range layout[h] {
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
	return m.Execute(ctx, "c1", id, cluster.Execution{Driver: sim})
}
