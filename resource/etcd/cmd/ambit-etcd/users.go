package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/ambitkit/ambit/resource/etcd"
	"github.com/ambitkit/ambit/server"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// sharedUsers keeps the users made through the API (Ambari's /users) in
// etcd, beside the store, so that every server of the prefix has them: a
// save is a transaction on the revision this server last saw (a 503 to
// retry when another server saved since), and a watch hands every save
// to the server's accounts.
type sharedUsers struct {
	cli *clientv3.Client
	key string
	rev atomic.Int64 // the mod_revision of the users this server holds
}

func newSharedUsers(cli *clientv3.Client, prefix string) *sharedUsers {
	return &sharedUsers{cli: cli, key: etcd.Key(prefix, "_users")}
}

// load reads the users saved in etcd, none the first time.
func (u *sharedUsers) load(ctx context.Context) (server.Users, error) {
	resp, err := u.cli.Get(ctx, u.key)
	if err != nil {
		return nil, fmt.Errorf("etcd: the users: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return server.Users{}, nil
	}
	u.rev.Store(resp.Kvs[0].ModRevision)
	return decode(resp.Kvs[0].Value)
}

func decode(b []byte) (server.Users, error) {
	var users server.Users
	if err := json.Unmarshal(b, &users); err != nil {
		return nil, fmt.Errorf("the users in etcd do not read: %w", err)
	}
	return users, nil
}

// save is the server's WithUsersSaved: the users as JSON, as cmd/ambit
// keeps them in its data file.
func (u *sharedUsers) save(users server.Users) error {
	b, err := json.Marshal(users)
	if err != nil {
		return err
	}
	rev := u.rev.Load()
	resp, err := u.cli.Txn(context.Background()).If(clientv3.Compare(clientv3.ModRevision(u.key), "=", rev)).
		Then(clientv3.OpPut(u.key, string(b))).Commit()
	if err != nil {
		return err
	}
	if !resp.Succeeded {
		return errors.New("another server changed the users since this one read them")
	}
	u.rev.Store(resp.Header.Revision)
	return nil
}

// follow hands every save of another server to accounts until ctx ends.
func (u *sharedUsers) follow(ctx context.Context, accounts *server.Accounts) {
	for resp := range u.cli.Watch(ctx, u.key, clientv3.WithRev(u.rev.Load()+1)) {
		for _, ev := range resp.Events {
			if ev.Kv.ModRevision <= u.rev.Load() {
				continue // this server's own save
			}
			users, err := decode(ev.Kv.Value)
			if err != nil {
				continue
			}
			u.rev.Store(ev.Kv.ModRevision)
			accounts.Replace(users)
		}
	}
}
