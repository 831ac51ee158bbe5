package etcd

import "context"

// Pause stops the replica following etcd, as a watch that falls behind
// does; Resume follows again from the version the store holds.
func (r *Replica) Pause() { _ = r.Close() }

func (r *Replica) Resume() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan struct{})
	go r.follow(ctx, r.Store.Version())
}
