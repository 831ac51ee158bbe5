package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
)

// Option configures a Manager.
type Option func(*Manager)

// WithLogger sets the logger of request and task transitions and of
// failures; the default is slog.Default().
func WithLogger(l *slog.Logger) Option { return func(m *Manager) { m.log = l } }

// WithMaxRunning bounds how many requests Go runs at once (default 8):
// more wait, PENDING, for a free slot.
func WithMaxRunning(n int) Option {
	return func(m *Manager) {
		if n > 0 {
			m.slots = make(chan struct{}, n)
		}
	}
}

// WithTypes adds resource types to the manager's store beside the
// domain's: the types of faces whose objects live in the same store
// (Sahara's templates, say).
func WithTypes(types ...resource.Type) Option {
	return func(m *Manager) { m.extra = append(m.extra, types...) }
}

// WithBackend makes the manager's store durable on b (resource/bolt, say):
// it opens with what b holds, and every write goes to b before it is seen.
func WithBackend(b resource.Backend) Option { return func(m *Manager) { m.backend = b } }

// ErrClosed is returned by Go once Close has been called.
var ErrClosed = resource.Errorf(resource.Unavailable, "", "The server is shutting down: no new request can start.").Named("SHUTTING_DOWN")

// Go runs a request on a goroutine the manager owns, once one of its slots
// is free, with x. Close stops what Go started: tasks that are running are
// cancelled and end ABORTED, and requests still waiting for a slot are
// aborted. A manager in an election (WithElection) that does not lead
// leaves the request PENDING: the leader runs it (Lead).
func (m *Manager) Go(cluster string, id int64, x Execution) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if m.elected && !m.leading.Load() {
		return nil // the leader runs it (Lead)
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		select {
		case m.slots <- struct{}{}:
			defer func() { <-m.slots }()
		case <-m.base.Done():
			m.abandon(cluster, id, "the server shut down before the request started")
			return
		}
		m.guard("request "+cluster+"/"+strconv.FormatInt(id, 10), func() {
			if err := m.Execute(m.base, cluster, id, x); err != nil {
				m.log.Error("ambit: request failed", "cluster", cluster, "request", id, "err", err)
			}
		}, func() { m.abandon(cluster, id, "an internal error ended the request") })
	}()
	return nil
}

// Close stops the manager: Go refuses new requests, running ones are
// cancelled (their tasks end ABORTED), and Close waits until every
// goroutine Go started has returned, or ctx ends.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.cancel()
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cluster: closing the manager: %w", ctx.Err())
	}
}

// abandon aborts a request the manager will not run, so that it does not
// stay PENDING for ever.
func (m *Manager) abandon(cluster string, id int64, reason string) {
	m.guard("aborting request "+cluster+"/"+strconv.FormatInt(id, 10), func() {
		if err := m.Abort(context.WithoutCancel(m.base), cluster, id, reason); err != nil {
			m.log.Error("ambit: aborting a request", "cluster", cluster, "request", id, "err", err)
		}
	}, nil)
}

// guard runs fn and turns a panic into a log line with the stack, and a
// call of failed (when not nil): no panic in a goroutine of the manager
// ends the process.
func (m *Manager) guard(what string, fn func(), failed func()) {
	defer func() {
		if v := recover(); v != nil {
			m.log.Error("ambit: panic", "in", what, "panic", v, "stack", string(debug.Stack()))
			if failed != nil {
				failed()
			}
		}
	}()
	fn()
}

// SampleEvery samples a driver's metrics for every cluster at once and
// then every period, until ctx ends. A failed or panicking sample is
// logged, and sampling goes on.
func (m *Manager) SampleEvery(ctx context.Context, d Sampler, every time.Duration) {
	sample := func() {
		res, err := m.store.List(ctx, resource.Query{Type: Clusters, Namespace: m.ns, Page: paging.Request{Size: paging.All}})
		if err != nil {
			m.log.Warn("ambit: listing clusters to sample", "err", err)
			return
		}
		for _, c := range res.Items {
			name := str(category(c, "Clusters")["cluster_name"])
			m.guard("sampling "+name, func() {
				if err := m.Sample(ctx, name, d); err != nil && ctx.Err() == nil {
					m.log.Warn("ambit: sampling metrics", "cluster", name, "err", err)
				}
			}, nil)
		}
	}
	sample()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sample()
		}
	}
}
