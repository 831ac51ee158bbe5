package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
	"github.com/ambitkit/ambit/server/ambari"
)

// HostsTarget is the GET of the HTTP comparison: a page of 100 hosts with a
// predicate and 4 fields.
const HostsTarget = "/api/v1/clusters/c1/hosts?Hosts/os_type=rhel8&Hosts/cpu_count>=2" +
	"&fields=Hosts/ip,Hosts/cpu_count,Hosts/os_type,Hosts/rack_info&page_size=100"

// ReadCache is the read cache ambit's servers run with here: cmd/ambit's
// default (-read-cache 64).
const ReadCache = 64 << 20

// Servers are ambit's server, as cmd/ambit runs it, the same server
// without its read cache (every answer computed), and the static one, on
// loopback.
type Servers struct {
	Ambit, Computed, Static string // base URLs
	Body                    []byte // what all answer
	close                   func()
}

// Close stops both.
func (s *Servers) Close() { s.close() }

// Serve starts ambit over a store of hosts, and a plain net/http handler
// that serves the bytes ambit answers to HostsTarget from memory.
func Serve(hosts int) (*Servers, error) {
	ctx := context.Background()
	s, err := resource.New(Types()...)
	if err != nil {
		return nil, err
	}
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		return nil, err
	}
	trees := make([]map[string]any, hosts)
	for i := range trees {
		trees[i] = Host(i)
	}
	if _, err := s.Create(ctx, "hosts", "", trees...); err != nil {
		return nil, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := []server.Option{server.WithFaces(ambari.Face()), server.WithLogger(quiet), server.WithExternalURL("http://ambari:8080")}
	cached, computed, closeBoth, err := serveBoth(s, opts)
	if err != nil {
		return nil, err
	}
	body, err := get(cached + HostsTarget)
	if err != nil {
		closeBoth()
		return nil, err
	}
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	st, closeS, err := listen(static)
	if err != nil {
		closeBoth()
		return nil, err
	}
	return &Servers{Ambit: cached, Computed: computed, Static: st, Body: body, close: func() { closeBoth(); closeS() }}, nil
}

// serveBoth starts ambit's server of store with opts twice: as cmd/ambit
// runs it (with its read cache) and with every answer computed.
func serveBoth(store *resource.Store, opts []server.Option) (cached, computed string, close func(), err error) {
	cached, closeA, err := listen(server.New(store, append(slices.Clip(opts), server.WithReadCache(ReadCache))...))
	if err != nil {
		return "", "", nil, err
	}
	computed, closeC, err := listen(server.New(store, opts...))
	if err != nil {
		closeA()
		return "", "", nil, err
	}
	return cached, computed, func() { closeA(); closeC() }, nil
}

func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

func get(url string) ([]byte, error) { return getWith(url, nil) }

// Same checks that the servers answer HostsTarget with the same bytes.
func (s *Servers) Same() error {
	st, err := get(s.Static + HostsTarget)
	if err != nil {
		return err
	}
	for _, base := range []string{s.Ambit, s.Computed} {
		a, err := get(base + HostsTarget)
		if err != nil {
			return err
		}
		if !bytes.Equal(a, st) || !bytes.Contains(a, []byte(`"itemTotal"`)) {
			return fmt.Errorf("ambit at %s answers %d bytes, the static handler %d", base, len(a), len(st))
		}
	}
	return nil
}

// Throughput is what wrk measured.
type Throughput struct {
	RPS      float64
	P50, P99 time.Duration
}

// Wrk loads url with wrk for d with conns connections on threads threads.
func Wrk(ctx context.Context, url string, d time.Duration, threads, conns int) (Throughput, error) {
	return WrkWith(ctx, url, nil, d, threads, conns)
}

// WrkWith is Wrk sending headers with every request.
func WrkWith(ctx context.Context, url string, h http.Header, d time.Duration, threads, conns int) (Throughput, error) {
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
	for k, vs := range h {
		for _, v := range vs {
			args = append(args, "-H", k+": "+v)
		}
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return Throughput{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkErrors  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads requests/s and the 50th and 99th percentiles of wrk's
// --latency report.
func parseWrk(out string) (Throughput, error) {
	var l Throughput
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return l, fmt.Errorf("no Requests/sec in wrk's output: %s", out)
	}
	if e := wrkErrors.FindStringSubmatch(out); e != nil {
		return l, fmt.Errorf("wrk saw %s failed responses", e[1])
	}
	l.RPS, _ = strconv.ParseFloat(m[1], 64)
	for _, m := range wrkLatency.FindAllStringSubmatch(out, -1) {
		d, err := time.ParseDuration(m[2] + m[3])
		if err != nil {
			return l, err
		}
		if m[1] == "50" {
			l.P50 = d
		} else {
			l.P99 = d
		}
	}
	if l.P50 == 0 || l.P99 == 0 {
		return l, fmt.Errorf("no latency distribution in wrk's output: %s", out)
	}
	return l, nil
}
