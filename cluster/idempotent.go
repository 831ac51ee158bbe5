package cluster

import (
	"context"
	"fmt"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// keyOf is the context key of an idempotency key.
type keyOf struct{}

// WithIdempotencyKey returns a context under which the request a change
// makes is kept with key: a change made again under the same key, in the
// same namespace, makes no request, but fails with a *Replay naming the
// first, for as long as the retention keeps it. That is what a client's
// retry after a timeout needs (an Idempotency-Key header).
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, keyOf{}, key)
}

// Replay is the error of a change made again under an idempotency key: it
// names the request the first made. Nothing of the change is written.
type Replay struct {
	Cluster string
	ID      int64
}

// Error says which request the key made.
func (r *Replay) Error() string {
	return fmt.Sprintf("cluster: request %d of %s was made under this idempotency key already", r.ID, r.Cluster)
}

// Replayed returns the request made under the idempotency key of ctx, if
// there is one: a face answers a retry with it before doing anything.
func (m *Manager) Replayed(ctx context.Context) (*Replay, error) {
	key, _ := ctx.Value(keyOf{}).(string)
	if key == "" {
		return nil, nil
	}
	res, err := m.store.List(ctx, resource.Query{Type: Requests, Namespace: m.ns, Predicate: keyIs(key), Instance: true, Page: paging.Request{Size: 1}})
	if err != nil || len(res.Items) == 0 {
		return nil, err
	}
	return replayOf(res.Items[0]), nil
}

// idempotent returns the idempotency key a transaction's request is made
// under, or the Replay of the request made under it before.
func (m *Manager) idempotent(tx *resource.Tx) (string, error) {
	key, _ := tx.Context().Value(keyOf{}).(string)
	if key == "" {
		return "", nil
	}
	found, err := tx.Find(Requests, m.ns, nil, keyIs(key))
	if err != nil {
		return "", err
	}
	if len(found) > 0 {
		return "", replayOf(found[0].Tree())
	}
	return key, nil
}

func keyIs(key string) query.Expr {
	return &query.Comparison{Path: query.Path{"Requests", "idempotency_key"}, Op: query.Eq, Value: query.Literal{Text: key}}
}

func replayOf(item map[string]any) *Replay {
	req := category(item, "Requests")
	return &Replay{Cluster: str(req["cluster_name"]), ID: int64(num64(req["id"]))}
}
