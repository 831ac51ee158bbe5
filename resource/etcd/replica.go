package etcd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ambitkit/ambit/resource"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// listPage is how many records one read of the initial list takes.
const listPage = 1000

// Replica is a store whose records are in etcd: its Store answers queries
// from memory and proposes writes to etcd, and a watch it owns applies
// every write, from any server, in revision order. Close stops the watch.
type Replica struct {
	Store *resource.Store

	log    *log
	types  map[string]bool
	logger *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	err    error // why the watch stopped, when it did
}

// Option configures a replica.
type Option func(*Replica)

// WithLogger sets the logger of the replica's watch (slog.Default() by
// default).
func WithLogger(l *slog.Logger) Option { return func(r *Replica) { r.logger = l } }

// Open lists the records under prefix at one revision, page by page,
// builds the store of types from them, and watches from the next
// revision on.
func Open(ctx context.Context, cli *clientv3.Client, prefix string, types []resource.Type, opts ...Option) (*Replica, error) {
	r := &Replica{log: &log{cli: cli, prefix: cleanPrefix(prefix)}, types: map[string]bool{}, logger: slog.Default(), done: make(chan struct{})}
	for _, o := range opts {
		o(r)
	}
	for _, t := range types {
		r.types[t.Collection] = true
	}
	src, err := r.list(ctx)
	if err != nil {
		return nil, err
	}
	s, err := resource.OpenReplica(src, r.log, types...)
	if err != nil {
		return nil, err
	}
	r.Store = s
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	go r.follow(wctx, src.version)
	return r, nil
}

// Close stops following etcd; the store stays as it was.
func (r *Replica) Close() error {
	r.cancel()
	<-r.done
	return nil
}

// Err is why the replica stopped following etcd (nil while it follows).
func (r *Replica) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// snapshot is the records under the prefix at one revision: the replica's
// resource.Source.
type snapshot struct {
	version uint64
	changes []resource.Change
}

func (s *snapshot) State() (resource.State, error) { return resource.State{Version: s.version}, nil }

func (s *snapshot) Scan(put func(resource.Change) error) error {
	for _, c := range s.changes {
		if err := put(c); err != nil {
			return err
		}
	}
	return nil
}

// list reads every record under the prefix at the revision of the first
// page.
func (r *Replica) list(ctx context.Context) (*snapshot, error) {
	s := &snapshot{}
	from, end := r.log.prefix, clientv3.GetPrefixRangeEnd(r.log.prefix)
	var rev int64
	for {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(listPage)}
		if rev != 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		resp, err := r.log.cli.Get(ctx, from, opts...)
		if err != nil {
			return nil, fmt.Errorf("etcd: listing %s: %w", r.log.prefix, err)
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		for _, kv := range resp.Kvs {
			c, ok := r.change(kv, false)
			if ok {
				s.changes = append(s.changes, c)
			}
		}
		if !resp.More || len(resp.Kvs) == 0 {
			break
		}
		from = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
	s.version = uint64(rev)
	return s, nil
}

// change is a record of etcd as a change of the store; false for a key
// under the prefix that is not one of the store's types.
func (r *Replica) change(kv *mvccpb.KeyValue, deleted bool) (resource.Change, bool) {
	typ, key, ok := r.log.parse(kv.Key)
	if !ok || !r.types[typ] {
		return resource.Change{}, false
	}
	c := resource.Change{Ref: resource.Ref{Type: typ}, Key: append([]byte(nil), key...), Deleted: deleted, Version: uint64(kv.ModRevision)}
	if !deleted {
		c.Value = append([]byte(nil), kv.Value...)
	}
	return c, true
}

// errCompacted is a watch that starts at a revision etcd no longer keeps.
var errCompacted = errors.New("etcd: the revisions to apply are compacted")

// follow applies every write after version, in revision order, until ctx
// ends. When etcd has compacted revisions the replica has yet to apply
// (it fell behind), it lists again and reloads the store from that.
func (r *Replica) follow(ctx context.Context, version uint64) {
	defer close(r.done)
	var err error
	for {
		err = r.watch(ctx, version)
		if !errors.Is(err, errCompacted) || ctx.Err() != nil {
			break
		}
		r.logger.Warn("etcd: the replica fell behind a compaction: listing again", "prefix", r.log.prefix, "version", version)
		var src *snapshot
		if src, err = r.list(ctx); err != nil {
			break
		}
		if err = r.Store.Reload(src); err != nil {
			break
		}
		version = src.version
	}
	if ctx.Err() != nil {
		return
	}
	r.mu.Lock()
	r.err = err
	r.mu.Unlock()
	r.logger.Error("etcd: the replica stopped following etcd", "prefix", r.log.prefix, "err", err)
}

func (r *Replica) watch(ctx context.Context, version uint64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the watch
	wch := r.log.cli.Watch(clientv3.WithRequireLeader(ctx), r.log.prefix, clientv3.WithPrefix(), clientv3.WithRev(int64(version)+1))
	for resp := range wch {
		if resp.CompactRevision != 0 {
			return errCompacted
		}
		if err := resp.Err(); err != nil {
			return fmt.Errorf("etcd: watching %s: %w", r.log.prefix, err)
		}
		var cs *resource.ChangeSet
		for _, ev := range resp.Events {
			rev := uint64(ev.Kv.ModRevision)
			if cs != nil && cs.Version != rev {
				if err := r.Store.Apply(cs); err != nil {
					return err
				}
				cs = nil
			}
			if cs == nil {
				cs = &resource.ChangeSet{Version: rev}
			}
			if c, ok := r.change(ev.Kv, ev.Type == mvccpb.DELETE); ok {
				cs.Changes = append(cs.Changes, c)
			}
		}
		if cs != nil {
			if err := r.Store.Apply(cs); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.New("etcd: the watch ended")
}
