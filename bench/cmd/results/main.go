// Command results runs ambit's side-by-side benchmarks and writes their
// tables as Markdown: predicate engines, list queries against SQLite, and
// HTTP against a static handler. Every case is checked for equal answers
// before it is timed; a disagreement stops the run.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/bench"
)

func main() {
	out := flag.String("out", "RESULTS.md", "where to write the results")
	tasks := flag.Int("tasks", 1_000_000, "tasks in the list data set")
	hosts := flag.Int("hosts", 10_000, "hosts in every data set")
	load := flag.Duration("load", 10*time.Second, "how long wrk loads each server")
	writes := flag.Duration("writes", 5*time.Second, "how long each durable engine is written")
	only := flag.String("only", "", "run one section: predicates, lists, http, durable, faces, expanded or store")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var doc bytes.Buffer
	if err := run(context.Background(), &doc, log, settings{*tasks, *hosts, *load, *writes, *only}); err != nil {
		log.Error("benchmarks failed", "err", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, doc.Bytes(), 0o644); err != nil {
		log.Error("writing results", "err", err)
		os.Exit(1)
	}
}

// settings are the sizes and durations of a run, and the one section to
// run ("" for all).
type settings struct {
	tasks, hosts int
	load, writes time.Duration
	only         string
}

func run(ctx context.Context, w io.Writer, log *slog.Logger, s settings) error {
	fmt.Fprintf(w, "# ambit side by side\n\n")
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		gogc = "100 (the default)"
	}
	fmt.Fprintf(w, "Written by `bench/run` on %s. Machine: %s, %d cores, %s, %s/%s; GOGC %s.\n\n",
		time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, gogc)
	fmt.Fprintf(w, "Every case was checked for equal answers across engines before it was timed. "+
		"Ratios above 1 mean ambit is ahead.\n\n")
	sections := []struct {
		name string
		run  func() error
	}{
		{"predicates", func() error { return predicates(w, s.hosts) }},
		{"lists", func() error { return lists(ctx, w, log, s.tasks, s.hosts) }},
		{"http", func() error { return httpLoad(ctx, w, s.hosts, s.load) }},
		{"durable", func() error { return durable(ctx, w, log, s.writes, s.tasks) }},
		{"faces", func() error { return faces(ctx, w, log, s.load) }},
		{"expanded", func() error { return expanded(w, log) }},
		{"store", func() error { return store(ctx, w) }},
	}
	for _, sec := range sections {
		if s.only != "" && s.only != sec.name {
			continue
		}
		log.Info(sec.name)
		runtime.GC() // what the section before held is garbage now
		if err := sec.run(); err != nil {
			return err
		}
	}
	return nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return "unknown CPU"
}

func predicates(w io.Writer, n int) error {
	hosts := make([]map[string]any, n)
	for i := range hosts {
		hosts[i] = bench.Host(i)
	}
	engines := bench.Engines(hosts)
	fmt.Fprintf(w, "## 1. Predicate evaluation (%d hosts)\n\n", n)
	fmt.Fprintf(w, "One evaluation on one host record, cycling through all of them; compiled once. "+
		"ambit (slots) is how ambit's store evaluates (records laid out in slots); the other engines, and "+
		"ambit (trees), read the same nested `map[string]any` records. Ratio: the engine's ns/op over ambit (slots)'s.\n\n")
	fmt.Fprintf(w, "| predicate | matches | engine | ns/op | allocs/op | ratio |\n| --- | ---: | --- | ---: | ---: | ---: |\n")
	var compile bytes.Buffer
	fmt.Fprintf(&compile, "\nParse/compile cost, once per predicate (ambit: parse and bind):\n\n| predicate | engine | µs/op | allocs/op |\n| --- | --- | ---: | ---: |\n")
	for _, p := range bench.Predicates() {
		matches, err := bench.Agree(engines, p, n)
		if err != nil {
			return err
		}
		var base float64
		for _, e := range engines {
			m, err := e.Compile(p)
			if err != nil {
				return err
			}
			if m == nil {
				fmt.Fprintf(w, "| %s | %d | %s | cannot express | | |\n", p.Name, matches, e.Name)
				continue
			}
			r := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					m(i)
					if i++; i == n {
						i = 0
					}
				}
			})
			ns := float64(r.T.Nanoseconds()) / float64(r.N)
			if base == 0 {
				base = ns
			}
			fmt.Fprintf(w, "| %s | %d | %s | %.1f | %d | %.1f |\n", p.Name, matches, e.Name, ns, r.AllocsPerOp(), ns/base)
			c := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.Compile(p); err != nil {
						b.Fatal(err)
					}
				}
			})
			fmt.Fprintf(&compile, "| %s | %s | %.1f | %d |\n", p.Name, e.Name, float64(c.T.Nanoseconds())/float64(c.N)/1e3, c.AllocsPerOp())
		}
	}
	_, err := w.Write(compile.Bytes())
	fmt.Fprintln(w)
	return err
}

func lists(ctx context.Context, w io.Writer, log *slog.Logger, tasks, hosts int) error {
	start := time.Now()
	d, err := bench.Load(ctx, tasks, hosts)
	if err != nil {
		return err
	}
	defer d.DB.Close()
	log.Info("list queries: loaded", "took", time.Since(start).Round(time.Second))
	fmt.Fprintf(w, "## 2. List queries (%d tasks, %d hosts)\n\n", tasks, hosts)
	fmt.Fprintf(w, "ambit's store against SQLite (modernc.org/sqlite, in memory, journal off, an index on each column "+
		"ambit indexes), listing the tasks of one request and returning a page of 100: ambit encodes each item's keys "+
		"and href as JSON, as its server answers (Query.JSON); SQLite returns the id column. The trees column is ambit "+
		"rendering the same items as Go maps instead (Result.Items), for a Go caller of the store. Loading both took %s. "+
		"Latency: the median of three runs. Ratio: SQLite's latency over ambit's.\n\n", time.Since(start).Round(time.Second))
	fmt.Fprintf(w, "| query | ambit | ambit, trees | SQLite | ratio |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, q := range bench.ListQueries(d.Tasks) {
		if err := d.Same(ctx, q); err != nil {
			return err
		}
		a := latency(func() error { _, err := d.Ambit(ctx, q); return err })
		t := latency(func() error { _, err := d.Trees(ctx, q); return err })
		s := latency(func() error { _, err := d.SQLite(ctx, q); return err })
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.1f |\n", q.Name, short(a), short(t), short(s), float64(s)/float64(a))
	}
	fmt.Fprintln(w)
	return nil
}

// short writes a duration with three significant digits.
func short(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3g s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3g ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.3g µs", float64(d)/1e3)
}

// latency is the median of three benchmark runs' mean time of f, each
// run after a collection: with a million resources in the heap, a
// collection running through a measurement moves it by a factor of two.
func latency(f func() error) time.Duration {
	var runs []time.Duration
	for range 3 {
		runtime.GC()
		r := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
		if r.N == 0 {
			return 0
		}
		runs = append(runs, r.T/time.Duration(r.N))
	}
	slices.Sort(runs)
	return runs[1]
}

func httpLoad(ctx context.Context, w io.Writer, hosts int, d time.Duration) error {
	s, err := bench.Serve(hosts)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Same(); err != nil {
		return err
	}
	const threads, conns = 1, 8
	results := map[string]bench.Throughput{}
	names := []string{"ambit (read cache, as cmd/ambit runs)", "ambit, every answer computed", "static net/http"}
	for i, url := range []string{s.Ambit, s.Computed, s.Static} {
		srv := struct{ name, url string }{names[i], url}
		if _, err := bench.Wrk(ctx, srv.url+bench.HostsTarget, 2*time.Second, threads, conns); err != nil { // warm up
			return err
		}
		l, err := bench.Wrk(ctx, srv.url+bench.HostsTarget, d, threads, conns)
		if err != nil {
			return err
		}
		results[srv.name] = l
	}
	fmt.Fprintf(w, "## 3. HTTP (loopback, wrk)\n\n")
	fmt.Fprintf(w, "`GET %s` (%d bytes, %d hosts in the store) from ambit's server as cmd/ambit runs it (its read "+
		"cache answers a read again until the next write), from the same server with every answer computed, and from "+
		"a plain net/http handler that writes the same bytes from memory, the limit on this machine; wrk with %d thread and %d connections "+
		"for %s each, on the same cores as the servers. Ratio: ambit's requests/s over the static handler's.\n\n",
		bench.HostsTarget, len(s.Body), hosts, threads, conns, d)
	fmt.Fprintf(w, "| server | requests/s | p50 | p99 |\n| --- | ---: | ---: | ---: |\n")
	for _, name := range names {
		l := results[name]
		fmt.Fprintf(w, "| %s | %.0f | %s | %s |\n", name, l.RPS, short(l.P50), short(l.P99))
	}
	fmt.Fprintf(w, "\nRatio: %.2f (every answer computed: %.2f)\n", results[names[0]].RPS/results[names[2]].RPS,
		results[names[1]].RPS/results[names[2]].RPS)
	return nil
}
