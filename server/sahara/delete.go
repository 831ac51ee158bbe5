package sahara

import (
	"errors"
	"net/http"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// deleteCluster answers DELETE /clusters/{id}: 204, and the cluster is
// Deleting while the domain stops its processes (a request still
// provisioning it is aborted); when that ends, reap removes it.
func (f *face) deleteCluster(c *server.Call) (server.Result, error) {
	r, err := f.store.Get(c.Context(), clusters.ref(c))
	if err != nil {
		return server.Result{}, err
	}
	tree := r.Tree()
	if f.mgr != nil && resource.Get(tree, "cluster/operation") != "delete" {
		name, m := stateOf(tree).domain, f.mgr.In(c.Namespace)
		if id, _ := r.Value("cluster/request_id").(float64); id != 0 && !f.ended(c, name, id) {
			_ = m.Abort(c.Context(), name, int64(id), "The cluster is being deleted.") // fails only when it has just ended
		}
		var id int64
		if _, err := f.store.Get(c.Context(), resource.Ref{Type: cluster.Clusters, Namespace: c.Namespace, Keys: []string{name}}); err == nil {
			if id, err = f.stop(c, m, name, hostsOf(tree)); transient(err) {
				id = 0 // processes mid-transition after the abort: reap stops them when they settle
			} else if err != nil {
				return server.Result{}, err
			}
		}
		change := map[string]any{"cluster": map[string]any{"status": "Deleting", "operation": "delete", "request_id": float64(id)}}
		if r, err = f.store.Update(c.Context(), clusters.ref(c), change, 0); err != nil {
			return server.Result{}, err
		}
		if err := f.run(c, m, name, id); err != nil {
			return server.Result{}, err
		}
		tree = r.Tree()
	}
	if _, err := f.reap(c, tree); err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusNoContent), nil
}

// reap removes a Deleting cluster whose stop request has ended: its
// instances, the domain's cluster, then the cluster. It reports whether
// the cluster is gone.
func (f *face) reap(c *server.Call, tree map[string]any) (bool, error) {
	if resource.Get(tree, "cluster/operation") != "delete" {
		return false, nil
	}
	name := stateOf(tree).domain
	if id, _ := resource.Get(tree, "cluster/request_id").(float64); id != 0 && !f.ended(c, name, id) {
		return false, nil
	}
	if f.mgr != nil {
		m, ref := f.mgr.In(c.Namespace), resource.Ref{Type: cluster.Clusters, Namespace: c.Namespace, Keys: []string{name}}
		if _, err := f.store.Get(c.Context(), ref); err == nil {
			if err := f.remove(c, m, name, hostsOf(tree)); err != nil {
				// A task of an aborted request started a process after the
				// stop was planned: stop again, and reap after that.
				return false, f.restop(c, m, tree)
			}
			if err := m.Delete(c.Context(), []resource.Ref{ref}, nil); err != nil {
				return false, err
			}
		}
	}
	err := f.store.Delete(c.Context(), resource.Ref{Type: clusters.coll(), Namespace: c.Namespace, Keys: []string{asString(resource.Get(tree, "cluster/id"))}})
	if resource.IsKind(err, resource.NotFound) { // reaped by another call meanwhile
		err = nil
	}
	return err == nil, err
}

// restop stops a Deleting cluster's processes again.
func (f *face) restop(c *server.Call, m *cluster.Manager, tree map[string]any) error {
	name := stateOf(tree).domain
	id, err := f.stop(c, m, name, hostsOf(tree))
	if transient(err) {
		return nil // processes mid-transition: the next read tries again
	} else if err != nil {
		return err
	}
	ref := resource.Ref{Type: clusters.coll(), Namespace: c.Namespace, Keys: []string{asString(resource.Get(tree, "cluster/id"))}}
	if _, err := f.store.Update(c.Context(), ref, map[string]any{"cluster": map[string]any{"request_id": float64(id)}}, 0); err != nil {
		return err
	}
	return f.run(c, m, name, id)
}

// transient reports the domain's refusal of a stop or a removal while
// processes are between states, which a later try gets past.
func transient(err error) bool {
	var e *resource.Error
	return errors.As(err, &e) && (e.Kind == resource.Invalid || e.Kind == resource.Conflict)
}

// hostsOf are the host names of a cluster's instances, and of those being
// removed.
func hostsOf(tree map[string]any) []string {
	hosts := stateOf(tree).removing
	for _, ng := range asList(resource.Get(tree, "cluster/node_groups")) {
		for _, in := range asList(ng.(map[string]any)["instances"]) {
			hosts = append(hosts, asString(in.(map[string]any)["instance_name"]))
		}
	}
	return hosts
}
