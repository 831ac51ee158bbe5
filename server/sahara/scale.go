package sahara

import (
	"maps"
	"net/http"
	"slices"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// scale answers PUT /clusters/{id} on an Active cluster:
// resize_node_groups changes groups' counts, add_node_groups adds groups.
// New instances are provisioned in one change of the domain that is
// refused whole; removed ones are stopped, and removed from the domain
// once stopped (settle). 202 with the cluster.
func (f *face) scale(c *server.Call) (server.Result, error) {
	if f.mgr == nil {
		return server.Result{}, errNoManager
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	r, err := f.store.Get(c.Context(), clusters.ref(c))
	if err != nil {
		return server.Result{}, err
	}
	obj, st, err := f.current(c, r)
	if err != nil {
		return server.Result{}, err
	}
	if obj["status"] != "Active" {
		return server.Result{}, apierr.BadRequest("Cluster cannot be scaled not in 'Active' status. Cluster status: %v", obj["status"]).
			WithName("INVALID_REFERENCE")
	}
	name := st.domain
	ngs, grow, shrink, err := f.resize(name, obj, asList(body["resize_node_groups"]))
	if err != nil {
		return server.Result{}, err
	}
	added, err := f.nodeGroups(c, body, "add_node_groups")
	if err != nil {
		return server.Result{}, err
	}
	more, provision := f.instances(name, added)
	ngs, grow = append(ngs, more...), append(grow, provision...)
	m := f.mgr.In(c.Namespace)
	if len(grow) > 0 {
		if err := f.register(c, m, grow); err != nil {
			return server.Result{}, err
		}
		id, err := m.Grow(c.Context(), name, grow)
		if err != nil {
			f.unregister(c, m, grow)
			return server.Result{}, err
		}
		if err := f.run(c, m, name, id); err != nil {
			return server.Result{}, err
		}
		st.request, st.op = float64(id), "scale"
	}
	if len(shrink) > 0 { // stopped now, removed when stopped (settle)
		id, err := f.stop(c, m, name, shrink)
		if err != nil {
			return server.Result{}, err
		}
		if err := f.run(c, m, name, id); err != nil {
			return server.Result{}, err
		}
		st.removing, st.stop = shrink, float64(id)
	}
	out, err := f.store.Update(c.Context(), clusters.ref(c), map[string]any{"cluster": map[string]any{"node_groups": ngs,
		"request_id": st.request, "operation": st.op, "removing": anyList(st.removing), "stop_id": st.stop, "updated_at": stamp()}}, 0)
	if err != nil {
		return server.Result{}, err
	}
	if _, err := f.settle(c, out.Tree()); err != nil { // at once when nothing ran
		return server.Result{}, err
	}
	view := clusters.view(out)
	f.live(c, view, st)
	return server.Result{Status: http.StatusAccepted, Body: map[string]any{"cluster": view}}, nil
}

// resize applies resize_node_groups to a cluster's node groups: the
// groups after, the instances to add by group, and the hosts to remove.
func (f *face) resize(name string, obj map[string]any, resizes []any) ([]any, []cluster.Group, []string, error) {
	ngs := slices.Clone(asList(obj["node_groups"]))
	var grow []cluster.Group
	var shrink []string
	for _, item := range resizes {
		want, _ := item.(map[string]any)
		i := slices.IndexFunc(ngs, func(ng any) bool { return asString(ng.(map[string]any)["name"]) == asString(want["name"]) })
		count, ok := want["count"].(float64)
		if i < 0 || !ok || count < 0 {
			return nil, nil, nil, apierr.BadRequest("Each of resize_node_groups needs the name of a node group of the cluster and a count; %v is not.", want["name"]).
				WithField("resize_node_groups", -1)
		}
		ng := maps.Clone(ngs[i].(map[string]any))
		insts := asList(ng["instances"])
		for len(insts) > int(count) {
			shrink = append(shrink, asString(insts[len(insts)-1].(map[string]any)["instance_name"]))
			insts = insts[:len(insts)-1]
		}
		more, hosts := f.members(name, asString(ng["name"]), len(insts), int(count))
		if len(hosts) > 0 {
			grow = append(grow, cluster.Group{Name: asString(ng["name"]), Components: asStrings(ng["node_processes"]), Hosts: hosts})
		}
		ng["instances"], ng["count"] = append(slices.Clone(insts), more...), count
		ngs[i] = ng
	}
	return ngs, grow, shrink, nil
}

// settle removes the instances a shrink stopped once their stop request
// has ended (stopping again what a task started meanwhile), and returns
// the cluster's tree as it is then.
func (f *face) settle(c *server.Call, tree map[string]any) (map[string]any, error) {
	st := stateOf(tree)
	if len(st.removing) == 0 || st.op == "delete" || f.mgr == nil {
		return tree, nil
	}
	name := stateOf(tree).domain
	if st.stop != 0 && !f.ended(c, name, st.stop) {
		return tree, nil
	}
	m := f.mgr.In(c.Namespace)
	ref := resource.Ref{Type: clusters.coll(), Namespace: c.Namespace, Keys: []string{asString(resource.Get(tree, "cluster/id"))}}
	change := map[string]any{"removing": []any{}, "stop_id": 0.0}
	if err := f.remove(c, m, name, st.removing); err != nil {
		id, err := f.stop(c, m, name, st.removing)
		if transient(err) {
			return tree, nil // processes mid-transition: the next read tries again
		} else if err != nil {
			return nil, err
		}
		if err := f.run(c, m, name, id); err != nil {
			return nil, err
		}
		change = map[string]any{"stop_id": float64(id)}
	}
	out, err := f.store.Update(c.Context(), ref, map[string]any{"cluster": change}, 0)
	if err != nil {
		return nil, err
	}
	return out.Tree(), nil
}

// stop makes the request that stops the processes of hosts, and returns
// its id (0 when none runs).
func (f *face) stop(c *server.Call, m *cluster.Manager, name string, hosts []string) (int64, error) {
	var hcs []resource.Ref
	res, err := f.store.List(c.Context(), resource.Query{Type: cluster.HostComponents, Namespace: c.Namespace, Instance: true,
		Page: paging.Request{Size: paging.All}, Scope: map[string]string{"HostRoles/cluster_name": name}})
	if err != nil {
		return 0, err
	}
	for _, it := range res.Items {
		hr, _ := it["HostRoles"].(map[string]any)
		if slices.Contains(hosts, asString(hr["host_name"])) {
			hcs = append(hcs, resource.Ref{Type: cluster.HostComponents, Namespace: c.Namespace,
				Keys: []string{name, asString(hr["host_name"]), asString(hr["component_name"])}})
		}
	}
	return m.Change(c.Context(), cluster.Change{Cluster: name, Target: cluster.Installed, Refs: hcs, Context: "Decommission", Explicit: true})
}

// remove removes hosts from the cluster and unregisters them.
func (f *face) remove(c *server.Call, m *cluster.Manager, name string, hosts []string) error {
	var refs, regs []resource.Ref
	for _, h := range hosts {
		refs = append(refs, resource.Ref{Type: cluster.Hosts, Namespace: c.Namespace, Keys: []string{name, h}})
		regs = append(regs, resource.Ref{Type: cluster.RegisteredHosts, Namespace: c.Namespace, Keys: []string{h}})
	}
	if err := m.Delete(c.Context(), refs, nil); err != nil {
		return err
	}
	return m.Delete(c.Context(), regs, nil)
}
