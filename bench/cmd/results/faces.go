package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ambitkit/ambit/bench"
)

// faces writes a row per face: ambit's answer to a GET its clients send
// often, against a static handler that writes the same bytes, under wrk.
func faces(ctx context.Context, w io.Writer, log *slog.Logger, d time.Duration) error {
	const objects = 20
	s, err := bench.ServeFaces(objects)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Same(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n## 6. HTTP, a row per face (loopback, wrk)\n\n")
	fmt.Fprintf(w, "Each face's answer to a GET its clients send often, with %d objects of each face in the store, from ambit "+
		"as cmd/ambit runs it (its read cache answers a read again until the next write), from ambit with every answer "+
		"computed (no read cache), and from a static handler that writes the same bytes; wrk with 1 thread and 8 "+
		"connections for %s each. Ratio: ambit's requests/s over the static handler's (target ≥ 0.4).\n\n", objects, d)
	fmt.Fprintf(w, "| face: request | bytes | ambit req/s | computed req/s | static req/s | ratio | ratio computed |\n"+
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, t := range s.Targets {
		log.Info("http per face", "target", t.Name)
		var rps [3]float64
		for i, base := range []string{s.Ambit, s.Computed, s.Static} {
			url := base + t.Path
			if _, err := bench.WrkWith(ctx, url, t.Header, 2*time.Second, 1, 8); err != nil { // warm up
				return err
			}
			l, err := bench.WrkWith(ctx, url, t.Header, d, 1, 8)
			if err != nil {
				return err
			}
			rps[i] = l.RPS
		}
		fmt.Fprintf(w, "| %s `%s` | %d | %.0f | %.0f | %.0f | %.2f | %.2f |\n", t.Name, t.Path, len(t.Body),
			rps[0], rps[1], rps[2], rps[0]/rps[2], rps[1]/rps[2])
	}
	return nil
}

// expanded writes the growth of the Ambari UI's services page with the
// cluster's hosts.
func expanded(w io.Writer, log *slog.Logger) error {
	fmt.Fprintf(w, "\n## 7. Expanded lists as clusters grow (AMBARI-25422)\n\n")
	fmt.Fprintf(w, "`GET %s` on a cluster of HDFS (a DataNode on every host) and ZooKeeper, in process: the mean time of one "+
		"answer. The answer holds every host component, so it grows with the hosts; what must not grow is the time per "+
		"host component.\n\n", bench.ExpandedTarget)
	fmt.Fprintf(w, "| hosts | time | bytes | µs per 1,000 host components |\n| ---: | ---: | ---: | ---: |\n")
	var first time.Duration
	for _, hosts := range []int{1000, 10000} {
		log.Info("expanded list", "hosts", hosts)
		d, size, err := bench.Expanded(hosts)
		if err != nil {
			return err
		}
		if first == 0 {
			first = d
		}
		fmt.Fprintf(w, "| %d | %s | %d | %.0f |\n", hosts, short(d), size, float64(d.Microseconds())/float64(hosts+5)*1000)
		if hosts == 10000 {
			fmt.Fprintf(w, "\nGrowth from 1,000 to 10,000 hosts: %.1f× (linear is 10×).\n", float64(d)/float64(first))
		}
	}
	return nil
}
