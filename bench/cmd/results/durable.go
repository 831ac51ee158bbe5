package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ambitkit/ambit/bench"
)

// durable writes the table of acknowledged writes per second, and the
// start-up of a large file.
func durable(ctx context.Context, w io.Writer, log *slog.Logger, d time.Duration, tasks int) error {
	fmt.Fprintf(w, "\n## 4. Durable writes\n\n")
	fmt.Fprintf(w, "Acknowledged writes per second: each writer creates one task at a time and waits until it is synced "+
		"to disk; %s per cell, in a fresh file. ambit's store on resource/bolt shares one sync among the writers "+
		"that commit together (group commit); SQLite (modernc.org/sqlite) runs in WAL mode with synchronous=FULL; "+
		"the last row is a plain bbolt transaction per write. Every engine held every acknowledged write after. "+
		"Ratio: the engine's rate over SQLite's.\n\n", d)
	fmt.Fprintf(w, "| writers | engine | writes/s | ratio |\n| ---: | --- | ---: | ---: |\n")
	for _, writers := range []int{1, 16} {
		var rates []float64
		for _, e := range bench.Durables() {
			log.Info("durable writes", "engine", e.Name, "writers", writers)
			r, err := bench.Rate(ctx, e, writers, d)
			if err != nil {
				return err
			}
			rates = append(rates, r)
		}
		for i, e := range bench.Durables() {
			fmt.Fprintf(w, "| %d | %s | %.0f | %.2f |\n", writers, e.Name, rates[i], rates[i]/rates[1])
		}
	}
	log.Info("start-up", "tasks", tasks)
	took, size, err := bench.Startup(ctx, tasks)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n## 5. Start-up\n\n")
	fmt.Fprintf(w, "A resource/bolt file of %d tasks (written in batches of 10,000), opened again: the time until the store "+
		"answers (every record read, decoded and indexed in memory) and the file's size.\n\n", tasks)
	fmt.Fprintf(w, "| tasks | start-up | file size |\n| ---: | ---: | ---: |\n| %d | %s | %.0f MiB |\n\n", tasks, short(took), float64(size)/(1<<20))
	return nil
}
