package ambari

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// create answers POST: 201 for resources created, 202 for a request of
// work (custom commands). Every URL form (an instance, a collection with
// the keys in the body, several bodies, a predicate) creates through the
// same path, and so through the cluster manager's rules when there is one.
func (f *face) create(c *server.Call, a at) (server.Result, error) {
	bodies, err := readBodies(c.Request, f.limits.MaxBatch)
	if err != nil {
		return server.Result{}, err
	}
	scope, err := f.scope(c.Context(), a)
	if err != nil {
		return server.Result{}, err
	}
	if len(bodies) == 0 {
		bodies = []requestBody{{props: map[string]any{}}}
	}
	if isBatch(bodies) {
		return f.batch(c, a, f.create, bodies)
	}
	if p, err := f.parseQuery(c.Request); err != nil {
		return server.Result{}, err
	} else if p.pred != nil {
		return f.queryCreate(c, a, p.pred, bodies)
	}
	if f.cluster != nil && isRequests(a.rt.typ) {
		return f.command(c, a.params[0], bodies[0])
	}
	if _, ok := bodies[0].props["blueprint"]; ok && f.cluster != nil && a.rt.typ.Collection == cluster.Clusters && a.instance {
		// a cluster creation template: the cluster, installed and started
		id, err := f.mgr(c).CreateFromBlueprint(c.Context(), a.params[0], bodies[0].props)
		if err != nil {
			return server.Result{}, err
		}
		return f.accepted(c, a.params[0], id)
	}
	trees := make([]map[string]any, len(bodies))
	for i, b := range bodies {
		for path, v := range scope {
			resource.Set(b.props, path, v)
		}
		trees[i] = b.props
	}
	if err := f.createAll(c, a.rt.typ.Collection, trees); err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusCreated), nil
}

// createAll creates resources of one type, all or none: through the
// cluster manager, which applies the domain's rules, when there is one.
func (f *face) createAll(c *server.Call, typ string, trees []map[string]any) error {
	if f.cluster != nil {
		return f.mgr(c).Create(c.Context(), typ, trees...)
	}
	_, err := f.store.Create(c.Context(), typ, c.Namespace, trees...)
	return err
}

// update answers PUT on an instance, or on every member of a collection
// that matches the predicate (the URL's, or RequestInfo.query, which
// wins), all or none.
func (f *face) update(c *server.Call, a at) (server.Result, error) {
	bodies, err := readBodies(c.Request, f.limits.MaxBatch)
	if err != nil {
		return server.Result{}, err
	}
	if len(bodies) == 0 {
		return server.Result{}, apierr.BadRequest("A PUT needs a body.").WithField("body", 0)
	}
	if len(bodies) > 1 {
		// Several property maps, with or without their own RequestInfo,
		// are applied one after the other: none is dropped.
		return f.batch(c, a, f.update, bodies)
	}
	b := bodies[0]
	p, err := f.parseQuery(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	if q, ok := b.info["query"].(string); ok && q != "" {
		if p.pred, err = f.preds.Parse(q); err != nil {
			return server.Result{}, apierr.BadRequest("Unable to compile query predicate: %v", err).WithField("RequestInfo/query", -1).WithCause(err)
		}
	}
	refs, err := f.targets(c.Context(), a, p.pred)
	if err != nil {
		return server.Result{}, err
	}
	check := server.IfMatch(c.Request).Check()
	if f.cluster != nil {
		if res, done, err := f.updateInCluster(c, a, b, refs, check, p.pred != nil); done || err != nil {
			return res, err
		}
		return server.Status(http.StatusOK), f.mgr(c).Update(c.Context(), refs, b.props, check)
	}
	err = f.store.Write(c.Context(), func(tx *resource.Tx) error {
		for i, ref := range refs {
			if err := checkIn(tx, ref, check); err != nil {
				return resource.ItemError(err, i, len(refs))
			}
			if _, err := tx.Update(ref, b.props, 0); err != nil {
				return resource.ItemError(err, i, len(refs))
			}
		}
		return nil
	})
	return server.Status(http.StatusOK), err
}

// checkIn applies a precondition (nil: none) to a resource as the
// transaction sees it.
func checkIn(tx *resource.Tx, ref resource.Ref, check func(resource.Resource) error) error {
	if check == nil {
		return nil
	}
	cur, err := tx.Get(ref)
	if err != nil {
		return err
	}
	return check(cur)
}

// remove answers DELETE on an instance, or on every member of a collection
// that matches the predicate, all or none.
func (f *face) remove(c *server.Call, a at) (server.Result, error) {
	if a.rt.typ.Collection == cluster.Requests && c.User.Role != server.Administrator {
		return server.Result{}, apierr.Forbidden("The user %s may not purge requests: it takes an administrator.", c.User.Name)
	}
	p, err := f.parseQuery(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	refs, err := f.targets(c.Context(), a, p.pred)
	if err != nil {
		return server.Result{}, err
	}
	check := server.IfMatch(c.Request).Check()
	if f.cluster != nil {
		return server.Status(http.StatusOK), f.mgr(c).Delete(c.Context(), refs, check)
	}
	err = f.store.Write(c.Context(), func(tx *resource.Tx) error {
		for _, ref := range refs {
			if err := checkIn(tx, ref, check); err != nil {
				return err
			}
			if err := tx.Delete(ref); err != nil {
				return err
			}
		}
		return nil
	})
	return server.Status(http.StatusOK), err
}

// targets are the resources a write applies to: those of the URL's scope
// that match the predicate. A missing instance is a 404.
func (f *face) targets(ctx context.Context, a at, pred query.Expr) ([]resource.Ref, error) {
	scope, err := f.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	res, err := f.store.List(ctx, resource.Query{Type: a.rt.typ.Collection, Namespace: a.ns, Scope: scope, Predicate: pred,
		Page: paging.Request{Size: paging.All}})
	if err != nil {
		return nil, err
	}
	if a.instance && len(res.Items) == 0 {
		return nil, notFound(a.rt.typ, scope, "specified")
	}
	refs := make([]resource.Ref, len(res.Items))
	for i, item := range res.Items {
		refs[i] = resource.Ref{Type: a.rt.typ.Collection, Namespace: a.ns, Keys: keysOf(a.rt.typ, item)}
	}
	return refs, nil
}

// keysOf reads a rendered item's key values.
func keysOf(t resource.Type, item map[string]any) []string {
	out := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		switch x := resource.Get(item, k).(type) {
		case string:
			out[i] = x
		case float64:
			out[i] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			out[i] = fmt.Sprint(x)
		}
	}
	return out
}
