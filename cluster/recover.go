package cluster

import (
	"context"
	"fmt"
	"slices"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// UnfinishedRequests is the predicate of the requests that have not ended.
const UnfinishedRequests = "Requests/request_status.in(PENDING,QUEUED,IN_PROGRESS)"

// Restarted is the stderr of a task that was running when the server
// stopped without closing its manager.
const Restarted = "The server restarted while the task ran: its outcome is unknown, and it was not run again."

// Recover resolves what a server that stopped without closing its manager
// (a crash, a kill) left unfinished, in every namespace, as Ambari does
// when its server restarts. A task that was queued or running is FAILED
// with the Restarted message, unless its command is one its stack declares
// Idempotent, which runs again; once one has failed, the request's later
// tasks are ABORTED and its status, progress and host components' states
// follow. Requests with nothing failed go on with x, from where they
// stopped. It returns how many requests it resolved.
func (m *Manager) Recover(ctx context.Context, x Execution) (int, error) {
	namespaces, err := m.store.Namespaces(Requests)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ns := range namespaces {
		v := m.In(ns)
		reqs, err := v.unfinished(ctx, "")
		if err != nil {
			return n, err
		}
		for _, r := range reqs {
			if err := v.recover(ctx, r.cluster, r.id, x); err != nil {
				return n, fmt.Errorf("cluster: recovering request %d of %s: %w", r.id, r.cluster, err)
			}
			n++
		}
	}
	return n, nil
}

// requestOf names a request.
type requestOf struct {
	cluster string
	id      int64
}

// unfinished lists the requests of the manager's namespace that have not
// ended: a cluster's, or every cluster's when cluster is "".
func (m *Manager) unfinished(ctx context.Context, cluster string) ([]requestOf, error) {
	pred, err := query.Parse(UnfinishedRequests)
	if err != nil {
		return nil, err
	}
	q := resource.Query{Type: Requests, Namespace: m.ns, Predicate: pred, Instance: true, Page: paging.Request{Size: paging.All}}
	if cluster != "" {
		q.Scope = map[string]string{"Requests/cluster_name": cluster}
	}
	res, err := m.store.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]requestOf, 0, len(res.Items))
	for _, item := range res.Items {
		req := category(item, "Requests")
		out = append(out, requestOf{str(req["cluster_name"]), int64(num64(req["id"]))})
	}
	return out, nil
}

// AbortUnfinished aborts the requests of the manager's namespace that have
// not ended, with reason: a cluster's, or every cluster's when cluster is
// "" — before the cluster, or the namespace, goes.
func (m *Manager) AbortUnfinished(ctx context.Context, cluster, reason string) error {
	reqs, err := m.unfinished(ctx, cluster)
	if err != nil {
		return err
	}
	for _, r := range reqs {
		if err := m.Abort(ctx, r.cluster, r.id, reason); err != nil {
			return err
		}
	}
	return nil
}

func (m *Manager) recover(ctx context.Context, cluster string, id int64, x Execution) error {
	r, err := m.load(ctx, cluster, id, x)
	if err != nil {
		return err
	}
	r.writes = ctx
	failed := false
	err = m.store.Write(ctx, func(tx *resource.Tx) error {
		for _, t := range r.tasks {
			if t.status != Queued && t.status != InProgress {
				continue
			}
			if slices.Contains(r.stack.Idempotent, t.command) {
				if err := r.moveWith(tx, t, Pending, t.attempt, map[string]any{"stderr": "", "exit_code": 999}); err != nil {
					return err
				}
				continue
			}
			failed = true
			body := map[string]any{"exit_code": 1, "stderr": Restarted, "end_time": m.millis()}
			if err := r.moveWith(tx, t, Failed, t.attempt, body); err != nil {
				return err
			}
		}
		return r.flush(tx)
	})
	if err != nil {
		return err
	}
	m.log.Info("ambit: recovering a request the server left unfinished", "namespace", m.ns, "cluster", cluster, "request", id, "failed", failed)
	if failed {
		return r.finish()
	}
	return m.Go(cluster, id, x)
}
