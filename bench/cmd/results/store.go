package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// storeBenchmarks are the resource package's own benchmarks of a store of
// a million tasks, run as `go test -bench` runs them in the repository:
// the heap, a full scan and the writes, against the targets the
// performance issue set, and go-memdb alone under the single writes: what
// one memdb transaction costs before the store does any work of its own.
var storeBenchmarks = []struct {
	name, metric, unit, what string
	target                   float64
	below                    bool // the target is a ceiling
}{
	{"BenchmarkBuild", "heap-B/task", "B", "heap per task (with two property indexes)", 1024, true},
	{"BenchmarkListFullScan", "ns/op", "ms", "full scan of an unindexed predicate over 1M tasks, with its total", 150e6, true},
	{"BenchmarkCreateTask", "ns/op", "µs", "single create in the 1M store", 10e3, true},
	{"BenchmarkUpdateTask", "ns/op", "µs", "single update in the 1M store", 10e3, true},
	{"BenchmarkMemdbCreate", "ns/op", "µs", "go-memdb alone: a create of one record to a transaction in a table of 1M (the floor under a single create)", 10e3, true},
	{"BenchmarkMemdbUpdate", "ns/op", "µs", "go-memdb alone: an update of one record to a transaction in a table of 1M (the floor under a single update)", 10e3, true},
	{"BenchmarkUpdateTasksBatched", "records/s", "records/s", "task updates, 1000 to a transaction, far apart (every 7,919th task)", 200e3, false},
	{"BenchmarkUpdateTasksBatched10k", "records/s", "records/s", "task updates, 10,000 to a transaction, far apart", 200e3, false},
	{"BenchmarkUpdateStageTasks", "records/s", "records/s", "task updates, a stage's 1,000 to a transaction (orchestration's flush)", 200e3, false},
}

func store(ctx context.Context, w io.Writer) error {
	names := make([]string, len(storeBenchmarks), len(storeBenchmarks)+1)
	for i, b := range storeBenchmarks {
		names[i] = b.name
	}
	names = append(names, "BenchmarkSubPredicate")
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^("+strings.Join(names, "|")+")$", "-benchtime", "2s", "./resource")
	cmd.Dir = ".." // the repository, from bench/
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the resource benchmarks: %w\n%s", err, out.String())
	}
	got := map[string]map[string]float64{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0][:strings.LastIndexByte(f[0], '-')]
		got[name] = map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				got[name][f[i+1]] = v
			}
		}
	}
	fmt.Fprintf(w, "## 8. The store at a million tasks\n\n")
	fmt.Fprintf(w, "The resource package's benchmarks (`go test -bench` in `resource/`) on its store of 1,000,000 tasks and 10,000 hosts, against the targets of the performance issue. The go-memdb rows are memdb on its own, in the same process: one record to a transaction, in a table of a million keyed as the tasks are.\n\n")
	fmt.Fprintf(w, "| benchmark | measured | target | met |\n| --- | ---: | ---: | --- |\n")
	for _, b := range storeBenchmarks {
		v, ok := got[b.name][b.metric]
		if !ok {
			return fmt.Errorf("%s reported no %s:\n%s", b.name, b.metric, out.String())
		}
		met := v <= b.target
		if !b.below {
			met = v >= b.target
		}
		fmt.Fprintf(w, "| %s | %s | %s %s | %s |\n", b.what, scaled(v, b.unit), comparison(b.below), scaled(b.target, b.unit), yes(met))
	}
	sub, plain := got["BenchmarkSubPredicate/sub-resource"]["ns/op"], got["BenchmarkSubPredicate/plain"]["ns/op"]
	if sub == 0 || plain == 0 {
		return fmt.Errorf("BenchmarkSubPredicate reported no ns/op:\n%s", out.String())
	}
	const within = 5
	fmt.Fprintf(w, "| a sub-resource predicate (`host_components/HostRoles/component_name=NAMENODE`) over a plain one on the same 1,000 hosts (%s against %s) | %.2f× | ≤ %d× | %s |\n",
		scaled(sub, "µs"), scaled(plain, "µs"), sub/plain, within, yes(sub/plain <= within))
	fmt.Fprintln(w)
	return nil
}

func yes(met bool) string {
	if met {
		return "yes"
	}
	return "no"
}

func comparison(below bool) string {
	if below {
		return "≤"
	}
	return "≥"
}

// scaled writes a value in a unit: nanoseconds as µs or ms, the rest as
// they are.
func scaled(v float64, unit string) string {
	switch unit {
	case "µs":
		return fmt.Sprintf("%.1f µs", v/1e3)
	case "ms":
		return fmt.Sprintf("%.0f ms", v/1e6)
	case "records/s":
		return fmt.Sprintf("%.0f records/s", v)
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}
