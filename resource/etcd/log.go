package etcd

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ambitkit/ambit/resource"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// The limits of one etcd transaction, etcd's defaults: MaxOps operations
// (--max-txn-ops) and MaxBytes of request (--max-request-bytes, 1.5 MiB).
// A write beyond either is refused whole, a 413 naming the limit, rather
// than split: its parts would not be all or nothing.
const (
	MaxOps   = 128
	MaxBytes = 1536 * 1024
)

// overhead is what a transaction's request holds beside each change's key
// and value, generously: compares, operation headers.
const overhead = 64

// log is the resource.Log of records under a prefix of etcd.
type log struct {
	cli    *clientv3.Client
	prefix string // "/ambit/", with its slash
}

// key is where a change's record lives.
func (l *log) key(typ string, key []byte) string { return l.prefix + typ + "/" + string(key) }

// parse reads a record's type and store key back from its etcd key.
func (l *log) parse(k []byte) (string, []byte, bool) {
	rest, ok := bytes.CutPrefix(k, []byte(l.prefix))
	if !ok {
		return "", nil, false
	}
	typ, key, ok := bytes.Cut(rest, []byte("/"))
	return string(typ), key, ok
}

// Propose implements resource.Log: one transaction, if every record it
// replaces is at the revision the replica read.
func (l *log) Propose(ctx context.Context, cs *resource.ChangeSet, expect []resource.Expect) (uint64, error) {
	if len(cs.Changes) > MaxOps || len(expect) > MaxOps {
		return 0, resource.Errorf(resource.TooLarge, "", "A write to this server changes at most %d resources at once (etcd's limit on one transaction); this one changes %d: send it in parts.",
			MaxOps, len(cs.Changes))
	}
	size := 0
	for _, c := range cs.Changes {
		size += 2*len(l.key(c.Ref.Type, c.Key)) + len(c.Value) + overhead
	}
	if size > MaxBytes {
		return 0, resource.Errorf(resource.TooLarge, "", "A write to this server holds at most %d bytes at once (etcd's limit on one request); this one holds about %d: send it in parts.",
			MaxBytes, size)
	}
	cmps := make([]clientv3.Cmp, len(expect))
	for i, e := range expect {
		k := l.key(e.Ref.Type, e.Key)
		if e.Version == 0 {
			cmps[i] = clientv3.Compare(clientv3.CreateRevision(k), "=", 0)
		} else {
			cmps[i] = clientv3.Compare(clientv3.ModRevision(k), "=", int64(e.Version))
		}
	}
	ops := make([]clientv3.Op, len(cs.Changes))
	for i, c := range cs.Changes {
		k := l.key(c.Ref.Type, c.Key)
		if c.Deleted {
			ops[i] = clientv3.OpDelete(k)
		} else {
			ops[i] = clientv3.OpPut(k, string(c.Value))
		}
	}
	resp, err := l.cli.Txn(ctx).If(cmps...).Then(ops...).Commit()
	if err != nil {
		return 0, fmt.Errorf("etcd: %w", err)
	}
	if !resp.Succeeded {
		return 0, l.refused(ctx, expect)
	}
	return uint64(resp.Header.Revision), nil
}

// refused finds the record a refused transaction expected wrongly.
func (l *log) refused(ctx context.Context, expect []resource.Expect) error {
	for _, e := range expect {
		resp, err := l.cli.Get(ctx, l.key(e.Ref.Type, e.Key))
		if err != nil {
			return fmt.Errorf("etcd: %w", err)
		}
		var now uint64
		if len(resp.Kvs) > 0 {
			now = uint64(resp.Kvs[0].ModRevision)
		}
		if now != e.Version {
			return &resource.Refused{Ref: e.Ref, Exists: e.Version == 0}
		}
	}
	return &resource.Refused{Ref: expect[0].Ref} // changed back since: still not what was read
}

func cleanPrefix(p string) string {
	return "/" + strings.Trim(p, "/") + "/"
}

// Key is where a value of name beside the records of prefix lives in etcd:
// PREFIX/name, which no type of the store is named (the users of
// cmd/ambit-etcd, _users).
func Key(prefix, name string) string { return cleanPrefix(prefix) + name }
