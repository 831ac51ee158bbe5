package etcd

import (
	"context"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// TTL is how long a leader that stops answering holds its leadership: its
// lease's time to live, in seconds. Another server is elected within it.
const TTL = 3

// Leadership is one server's place in the election of the orchestrator,
// the one server that runs requests (drivers, sampling) while every server
// serves: Leading is closed once it leads, Lost once it no longer may
// (its lease ended: a server cut off from etcd must stop running tasks).
type Leadership struct {
	session *concurrency.Session
	leading chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
	err     error
}

// Campaign enters the election of prefix as name, on a lease of TTL
// seconds that the client keeps alive; it returns at once, and Leading
// says when the server leads.
func Campaign(cli *clientv3.Client, prefix, name string) (*Leadership, error) {
	s, err := concurrency.NewSession(cli, concurrency.WithTTL(TTL))
	if err != nil {
		return nil, fmt.Errorf("etcd: a lease for the election: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Leadership{session: s, leading: make(chan struct{}), cancel: cancel, done: make(chan struct{})}
	e := concurrency.NewElection(s, cleanPrefix(prefix)+"_leader")
	go func() {
		defer close(l.done)
		if l.err = e.Campaign(ctx, name); l.err == nil {
			close(l.leading)
		}
	}()
	return l, nil
}

// Leading is closed once the server leads.
func (l *Leadership) Leading() <-chan struct{} { return l.leading }

// Lost is closed once the server's lease has ended, leading or not.
func (l *Leadership) Lost() <-chan struct{} { return l.session.Done() }

// Resign leaves the election, handing leadership on at once if the server
// led, and ends its lease. With etcd out of reach it gives up after TTL
// seconds: the lease then expires on its own.
func (l *Leadership) Resign() error {
	l.cancel()
	select {
	case <-l.done:
	case <-time.After(TTL * time.Second):
		// etcd's Campaign, cancelled, withdraws on the client's context:
		// it ends when the client is closed.
	}
	return l.session.Close() // revokes the lease: the leader's key goes with it
}
