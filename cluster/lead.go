package cluster

import (
	"context"
	"strconv"

	"github.com/ambitkit/ambit/resource"
)

// WithStore makes the manager's store with open, from the types the
// manager declares: a replica of a store several servers share
// (resource/etcd), say.
func WithStore(open func(types ...resource.Type) (*resource.Store, error)) Option {
	return func(m *Manager) { m.open = open }
}

// WithElection makes the manager one of several on a shared store, of
// which one runs requests: this one runs them only while it leads (Lead),
// and Go leaves a request it does not run PENDING for the leader.
func WithElection() Option { return func(m *Manager) { m.elected = true } }

// Lead runs requests while the server leads: once leading is closed, it
// resolves what the previous leader left unfinished as after a restart
// (Recover: a task that was running is failed, or run again when the stack
// declares its command idempotent) and runs every request that other
// servers record, until lost is closed (the server's lease ended) or ctx
// ends. A server that lost leadership must not run tasks: it stops
// starting them, and its caller should stop the server, whose running
// requests the next leader resolves.
func (m *Manager) Lead(ctx context.Context, x Execution, leading, lost <-chan struct{}) error {
	select {
	case <-leading:
	case <-lost:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-lost:
		case <-ctx.Done():
		}
		cancel()
	}()
	m.leading.Store(true)
	defer m.leading.Store(false)
	after := m.store.Version()
	if _, err := m.Recover(ctx, x); err != nil {
		return err
	}
	for {
		changes, v, err := m.store.Changes(ctx, after)
		if ctx.Err() != nil {
			return nil
		}
		if resource.IsKind(err, resource.Gone) { // fell behind: look at every request again
			if _, err := m.Recover(ctx, x); err != nil {
				return err
			}
			after = m.store.Version()
			continue
		} else if err != nil {
			return err
		}
		for _, c := range changes {
			if c.Ref.Type == Requests && !c.Deleted && len(c.Ref.Keys) == 2 {
				m.In(c.Ref.Namespace).runPending(ctx, c.Ref.Keys[0], c.Ref.Keys[1], x)
			}
		}
		after = v
	}
}

// runPending runs a request another server recorded, when it waits to
// start and this manager does not run it yet.
func (m *Manager) runPending(ctx context.Context, cluster, id string, x Execution) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return
	}
	r, err := m.store.Get(ctx, resource.Ref{Type: Requests, Namespace: m.ns, Keys: []string{cluster, id}})
	if err != nil || r.Value("Requests/request_status") != Pending.String() {
		return
	}
	m.mu.Lock()
	_, running := m.running[m.key(cluster)+"/"+id]
	m.mu.Unlock()
	if running {
		return
	}
	if err := m.Go(cluster, n, x); err != nil {
		m.log.Error("ambit: a request recorded by another server could not start", "cluster", cluster, "request", id, "err", err)
	}
}

// awaitEnd waits until a request another server runs has ended, or ctx
// ends.
func (m *Manager) awaitEnd(ctx context.Context, cluster string, id int64) error {
	ref := resource.Ref{Type: Requests, Namespace: m.ns, Keys: []string{cluster, strconv.FormatInt(id, 10)}}
	for {
		v := m.store.Version()
		r, err := m.store.Get(ctx, ref)
		if err != nil {
			return err
		}
		if s, err := ParseStatus(resource.Text(r.Value("Requests/request_status"))); err == nil && s.Done() {
			return nil
		}
		if _, _, err := m.store.Changes(ctx, v); err != nil && !resource.IsKind(err, resource.Gone) {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}
