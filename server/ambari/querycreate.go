package ambari

import (
	"net/http"
	"slices"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// queryCreate answers a POST with a predicate, Ambari's query-create: the
// predicate
// selects resources of the URL's collection, and the body names one child
// collection with the resources to create under each of them:
//
//	POST /api/v1/clusters?Clusters/cluster_name.in(c1,c2)
//	{"services": [{"ServiceInfo": {"service_name": "HDFS"}}]}
//
// With no match it creates nothing and answers 200; otherwise 201.
func (f *face) queryCreate(c *server.Call, a at, pred query.Expr, bodies []requestBody) (server.Result, error) {
	if len(bodies) != 1 || len(bodies[0].props) == 0 {
		return server.Result{}, apierr.BadRequest("Invalid Request: A minimum of one sub-resource must be specified for creation.")
	}
	if len(bodies[0].props) > 1 {
		return server.Result{}, apierr.BadRequest("Invalid Request: Multiple sub-resource types may not be created in the same request.")
	}
	var name string
	var items []any
	for k, v := range bodies[0].props {
		name, items = k, asList(v)
	}
	if name == "" {
		return server.Result{}, apierr.BadRequest("Invalid Request: A sub-resource name must be supplied.")
	}
	child, ok := f.child(a.rt.typ, name)
	if !ok {
		return server.Result{}, apierr.BadRequest("Invalid Request: The specified sub-resource name is not valid: '%s'.", name)
	}
	parents, err := f.targets(c.Context(), a, pred)
	if err != nil {
		return server.Result{}, err
	}
	if len(parents) == 0 {
		return server.Status(http.StatusOK), nil
	}
	if n := len(items) * len(parents); f.limits.MaxBatch > 0 && n > f.limits.MaxBatch {
		return server.Result{}, apierr.BadRequest("Invalid Request: %d resources to create, more than the limit of %d in one request.", n, f.limits.MaxBatch).WithField("body", -1)
	}
	var trees []map[string]any
	for _, parent := range parents {
		for i, item := range items {
			body, ok := item.(map[string]any)
			if !ok {
				return server.Result{}, apierr.BadRequest("Invalid Request: element %d of %s must be a JSON object.", i, name).WithField(name, -1)
			}
			tree := copyTree(body) // each parent gets its own, categories and all
			for i, k := range parent.Keys {
				resource.Set(tree, child.Keys[i], k)
			}
			trees = append(trees, tree)
		}
	}
	if err := f.createAll(c, child.Collection, trees); err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusCreated), nil
}

// child returns the child collection of a type called name.
func (f *face) child(t resource.Type, name string) (resource.Type, bool) {
	types := f.store.Types()
	i := slices.IndexFunc(types, func(c resource.Type) bool { return c.Parent == t.Collection && c.Segment() == name })
	if i < 0 {
		return resource.Type{}, false
	}
	return types[i], true
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// copyTree copies a JSON object's nested objects, so that setting keys in
// the copy leaves the original alone; other values are shared.
func copyTree(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = copyTree(sub)
		}
		out[k] = v
	}
	return out
}
