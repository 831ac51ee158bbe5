package cluster

import (
	"context"
	"strconv"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
)

// Retention bounds the history of requests, which would otherwise grow
// without end and slow every listing of it (Ambari needs db-purge-history
// for that). A request that has ended is purged, with its stages and
// tasks, once it is beyond the Keep latest of its cluster, or has ended
// more than For ago; zero turns either bound off. The latest request of a
// cluster is always kept: the next one's id follows from it.
type Retention struct {
	Keep int
	For  time.Duration
}

// purgeChunk is how many requests one transaction purges: small, so that
// a purge never holds the store's writers up for long.
const purgeChunk = 50

// Purge removes the requests the retention no longer keeps, in every
// namespace, and returns how many it removed.
func (m *Manager) Purge(ctx context.Context, r Retention) (int, error) {
	if r.Keep <= 0 && r.For <= 0 {
		return 0, nil
	}
	namespaces, err := m.store.Namespaces(Requests)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ns := range namespaces {
		v := m.In(ns)
		clusters, err := m.store.List(ctx, resource.Query{Type: Clusters, Namespace: ns, Page: paging.Request{Size: paging.All}})
		if err != nil {
			return n, err
		}
		for _, c := range clusters.Items {
			refs, err := v.purgeable(ctx, str(category(c, "Clusters")["cluster_name"]), r)
			if err != nil {
				return n, err
			}
			for start := 0; start < len(refs); start += purgeChunk {
				chunk := refs[start:min(start+purgeChunk, len(refs))]
				if err := v.Delete(ctx, chunk, nil); err != nil {
					return n, err
				}
				n += len(chunk)
			}
		}
	}
	return n, nil
}

// purgeable lists the requests of a cluster that the retention drops.
func (m *Manager) purgeable(ctx context.Context, cluster string, r Retention) ([]resource.Ref, error) {
	res, err := m.store.List(ctx, resource.Query{Type: Requests, Namespace: m.ns, Instance: true, Page: paging.Request{Size: paging.All},
		Scope: map[string]string{"Requests/cluster_name": cluster}})
	if err != nil {
		return nil, err
	}
	var out []resource.Ref
	before := float64(m.now().Add(-r.For).UnixMilli())
	for i, item := range res.Items[:max(0, len(res.Items)-1)] { // oldest first; never the latest
		req := category(item, "Requests")
		st, _ := ParseStatus(str(req["request_status"]))
		if !st.Done() {
			continue
		}
		beyond := r.Keep > 0 && len(res.Items)-i > r.Keep
		old := r.For > 0 && num64(req["end_time"]) > 0 && num64(req["end_time"]) < before
		if beyond || old {
			out = append(out, resource.Ref{Namespace: m.ns, Type: Requests, Keys: []string{cluster, strconv.FormatInt(int64(num64(req["id"])), 10)}})
		}
	}
	return out, nil
}

// PurgeEvery purges at once and then every period, until ctx ends; a
// failed purge is logged, and purging goes on.
func (m *Manager) PurgeEvery(ctx context.Context, r Retention, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		m.guard("purging requests", func() {
			if n, err := m.Purge(ctx, r); err != nil && ctx.Err() == nil {
				m.log.Warn("ambit: purging requests", "err", err)
			} else if n > 0 {
				m.log.Info("ambit: purged requests the retention no longer keeps", "requests", n)
			}
		}, nil)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
