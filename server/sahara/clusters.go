package sahara

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// clusters are Sahara's clusters: each is a cluster of the domain in the
// project's namespace, of the same name, whose hosts are its instances
// (registered as the driver's agents would) and whose host components are
// its node groups' processes. Its status follows the domain's request
// that provisions it.
var clusters = kind{path: "clusters", plural: "clusters", singular: "cluster",
	required: []string{"name", "plugin_name", "hadoop_version"},
	fields: []field{str("name"), str("plugin_name"), str("hadoop_version"), str("description"), str("cluster_template_id"),
		str("default_image_id"), str("user_keypair_id"), str("neutron_management_network"), list("node_groups"), list("anti_affinity"),
		flag("is_public", false), flag("is_protected", false), flag("is_transient", false), flag("use_autoconfig", true),
		str("status"), str("status_description"), num("request_id", 0), str("operation"), str("domain"), list("removing"), num("stop_id", 0), obj("cluster_configs")},
	always: []string{"description", "status_description", "cluster_template_id", "default_image_id", "user_keypair_id",
		"neutron_management_network", "anti_affinity"},
	hidden: []string{"request_id", "operation", "domain", "removing", "stop_id"}, // the cluster's state: see stateOf
	// The node groups and the status follow the domain.
	mutable: []string{"name", "description", "is_public", "is_protected"}}

// clusterRoutes mounts the clusters.
func (f *face) clusterRoutes(m *server.Mount) {
	k := clusters
	m.Handle(http.MethodGet, "/clusters", func(c *server.Call) (server.Result, error) { return f.list(c, k) })
	m.Handle(http.MethodGet, "/clusters/:id", f.showCluster)
	m.Handle(http.MethodPost, "/clusters", f.createCluster)
	m.Handle(http.MethodPost, "/clusters/multiple", f.createClusters)
	m.Handle(http.MethodPatch, "/clusters/:id", func(c *server.Call) (server.Result, error) {
		if _, err := f.update(c, k); err != nil {
			return server.Result{}, err
		}
		res, err := f.showCluster(c)
		res.Status = http.StatusAccepted
		return res, err
	})
	m.Handle(http.MethodPut, "/clusters/:id", f.scale)
	m.Handle(http.MethodDelete, "/clusters/:id", f.deleteCluster)
}

// showCluster answers GET /clusters/{id}[?show_progress=true] with the
// live status, after reaping a Deleting cluster that is done.
func (f *face) showCluster(c *server.Call) (server.Result, error) {
	r, err := f.store.Get(c.Context(), clusters.ref(c))
	if err != nil {
		return server.Result{}, err
	}
	if gone, err := f.reap(c, r.Tree()); gone || err != nil {
		if err == nil {
			_, err = f.store.Get(c.Context(), clusters.ref(c)) // the cluster's not found
		}
		return server.Result{}, err
	}
	obj, st, err := f.current(c, r)
	if err != nil {
		return server.Result{}, err
	}
	if show, _ := strconv.ParseBool(c.Request.URL.Query().Get("show_progress")); show { // the client sends True
		obj["provision_progress"] = f.progress(c, obj["id"], st.domain, st.request)
	}
	return server.OK(map[string]any{"cluster": obj}), nil
}

// current is a cluster as Sahara shows it, with its live status, and its
// state, once settled.
func (f *face) current(c *server.Call, r resource.Resource) (map[string]any, state, error) {
	tree, err := f.settle(c, r.Tree())
	if err != nil {
		return nil, state{}, err
	}
	st := stateOf(tree)
	obj := clusters.viewTree(tree)
	f.live(c, obj, st)
	return obj, st, nil
}

// hostname is what Sahara takes as the name of a cluster or a node group:
// their instances' host names are made of them.
var hostname = regexp.MustCompile(`^(([a-zA-Z]|[a-zA-Z][a-zA-Z0-9\-]*[a-zA-Z0-9])\.)*([A-Za-z]|[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9])$`)

// group is a node group as the cluster knows it.
type group struct {
	Name      string
	Count     int
	Processes []string
	Flavor    string
	Template  string
}

// nodeGroups reads node groups from a body, or from the cluster template
// it names, taking each one's processes from its node group template when
// it names one.
func (f *face) nodeGroups(c *server.Call, body map[string]any, key string) ([]group, error) {
	list, _ := body[key].([]any)
	if tid, ok := body["cluster_template_id"].(string); ok && tid != "" && key == "node_groups" && len(list) == 0 {
		ct, err := f.store.Get(c.Context(), resource.Ref{Type: clusterTemplates.coll(), Namespace: c.Namespace, Keys: []string{tid}})
		if err != nil {
			return nil, err
		}
		list, _ = ct.Value("cluster_template/node_groups").([]any)
	}
	var out []group
	for i, item := range list {
		m, _ := item.(map[string]any)
		g := group{Name: asString(m["name"]), Count: asInt(m["count"]), Flavor: asString(m["flavor_id"]), Template: asString(m["node_group_template_id"])}
		for _, p := range asList(m["node_processes"]) {
			g.Processes = append(g.Processes, asString(p))
		}
		if g.Template != "" {
			t, err := f.store.Get(c.Context(), resource.Ref{Type: nodeGroupTemplates.coll(), Namespace: c.Namespace, Keys: []string{g.Template}})
			if err != nil {
				return nil, apierr.BadRequest("Node group %s names the node group template %s, which does not exist.", g.Name, g.Template).
					WithName("INVALID_REFERENCE").WithField(key, -1)
			}
			g.Processes = nil
			for _, p := range asList(t.Value("node_group_template/node_processes")) {
				g.Processes = append(g.Processes, asString(p))
			}
			g.Flavor = asString(t.Value("node_group_template/flavor_id"))
		}
		if !hostname.MatchString(g.Name) || g.Count < 0 || len(g.Processes) == 0 {
			return nil, apierr.BadRequest("Node group %d needs a name, a count and node processes (or a node group template).", i).WithField(key, -1)
		}
		out = append(out, g)
	}
	return out, nil
}

// createCluster answers POST /clusters: the domain's cluster is
// provisioned on new instances, and the answer is 202 with the cluster.
func (f *face) createCluster(c *server.Call) (server.Result, error) {
	if f.mgr == nil {
		return server.Result{}, errNoManager
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	delete(body, "count") // one cluster: see createClusters
	return f.launch(c, body)
}

// createClusters answers POST /clusters/multiple, as the client sends a
// create with count > 1: count clusters NAME-1 … NAME-count, all of whose
// names must be free, and 202 with {"clusters": [ids]}.
func (f *face) createClusters(c *server.Call) (server.Result, error) {
	if f.mgr == nil {
		return server.Result{}, errNoManager
	}
	body, err := readObject(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	count, ok := body["count"].(float64)
	if !ok || count < 1 || count != float64(int(count)) || int(count) > f.limits.MaxBatch && f.limits.MaxBatch > 0 {
		return server.Result{}, apierr.BadRequest("count must be a whole number from 1 to the batch limit, not %v.", body["count"]).WithField("count", -1)
	}
	delete(body, "count")
	name := asString(body["name"])
	bodies := make([]map[string]any, int(count))
	for i := range bodies {
		bodies[i] = maps.Clone(body)
		bodies[i]["name"] = fmt.Sprintf("%s-%d", name, i+1)
		if err := f.store.Write(c.Context(), func(tx *resource.Tx) error { return f.unique(tx, c, clusters, bodies[i]["name"], "") }); err != nil {
			return server.Result{}, err
		}
	}
	ids := []any{}
	for _, b := range bodies {
		res, err := f.launch(c, b)
		if err != nil {
			return server.Result{}, err
		}
		ids = append(ids, res.Body.(map[string]any)["cluster"].(map[string]any)["id"])
	}
	return server.Result{Status: http.StatusAccepted, Body: map[string]any{"clusters": ids}}, nil
}

// launch creates a cluster from a body.
func (f *face) launch(c *server.Call, body map[string]any) (server.Result, error) {
	for _, name := range clusters.required {
		if _, ok := body[name]; !ok {
			return server.Result{}, apierr.BadRequest("'%s' is a required property", name).WithField(name, -1)
		}
	}
	name := asString(body["name"])
	if !hostname.MatchString(name) {
		return server.Result{}, apierr.BadRequest("'%s' is not a 'valid_name'", name).WithField("name", -1)
	}
	if err := f.store.Write(c.Context(), func(tx *resource.Tx) error { return f.unique(tx, c, clusters, name, "") }); err != nil {
		return server.Result{}, err
	}
	if _, err := f.store.Get(c.Context(), resource.Ref{Type: cluster.Clusters, Namespace: c.Namespace, Keys: []string{name}}); err == nil {
		return server.Result{}, apierr.BadRequest("The name %s is still the domain's cluster of a cluster since renamed, or of an Ambari client's.", name).
			WithName("CLUSTER_NAME_ALREADY_EXISTS").WithField("name", -1)
	}
	st := f.stack(strings.ToLower(asString(body["plugin_name"])), asString(body["hadoop_version"]))
	if st == nil {
		return server.Result{}, apierr.BadRequest("Plugin %s version %s is not loaded.", body["plugin_name"], body["hadoop_version"]).WithField("plugin_name", -1)
	}
	groups, err := f.nodeGroups(c, body, "node_groups")
	if err != nil {
		return server.Result{}, err
	}
	if len(groups) == 0 {
		return server.Result{}, apierr.BadRequest("A cluster needs node_groups, or a cluster_template_id whose template has them.").WithField("node_groups", -1)
	}
	m := f.mgr.In(c.Namespace)
	ngs, provision := f.instances(name, groups)
	if err := f.register(c, m, provision); err != nil {
		return server.Result{}, err
	}
	id, err := m.Provision(c.Context(), name, st.Name+"-"+st.Version, provision)
	if err != nil {
		f.unregister(c, m, provision)
		return server.Result{}, err
	}
	body["node_groups"], body["status"], body["request_id"], body["operation"], body["domain"] = ngs, "Validating", id, "create", name
	res, err := f.insert(c, clusters, body)
	if err != nil {
		return res, err
	}
	if err := f.run(c, m, name, id); err != nil {
		return server.Result{}, err
	}
	obj := res.Body.(map[string]any)["cluster"].(map[string]any)
	f.live(c, obj, state{request: float64(id), op: "create", domain: name})
	return res, nil
}

// instances are node groups as Sahara shows them (with their instances)
// and as the domain provisions them.
func (f *face) instances(name string, groups []group) ([]any, []cluster.Group) {
	var ngs []any
	var provision []cluster.Group
	for _, g := range groups {
		insts, hosts := f.members(name, g.Name, 0, g.Count)
		ngs = append(ngs, map[string]any{"name": g.Name, "count": g.Count, "node_processes": anyList(g.Processes),
			"flavor_id": g.Flavor, "node_group_template_id": orNull(g.Template), "instances": insts})
		provision = append(provision, cluster.Group{Name: g.Name, Components: g.Processes, Hosts: hosts})
	}
	return ngs, provision
}

// members are the instances numbered from+1 to count of a node group, and
// their host names.
func (f *face) members(name, group string, from, count int) ([]any, []string) {
	insts, hosts := []any{}, []string{}
	for i := from + 1; i <= count; i++ {
		h := fmt.Sprintf("%s-%s-%03d", name, group, i)
		hosts = append(hosts, h)
		insts = append(insts, map[string]any{"instance_name": h, "instance_id": uuid(), "internal_ip": ip(f.facts(h))})
	}
	return insts, hosts
}

// register registers groups' hosts, as the driver's agents would.
func (f *face) register(c *server.Call, m *cluster.Manager, groups []cluster.Group) error {
	var bodies []map[string]any
	for _, g := range groups {
		for _, h := range g.Hosts {
			bodies = append(bodies, f.facts(h))
		}
	}
	if len(bodies) == 0 {
		return nil
	}
	return m.RegisterHosts(c.Context(), bodies...)
}

// facts are what a host's agent reports: the driver's, when it can say.
func (f *face) facts(host string) map[string]any {
	if d, ok := f.exec.Driver.(interface{ Facts(string) map[string]any }); ok {
		return d.Facts(host)
	}
	return map[string]any{"Hosts": map[string]any{"host_name": host}}
}

func ip(facts map[string]any) any {
	h, _ := facts["Hosts"].(map[string]any)
	return h["ip"]
}

// unregister undoes instances' registration after a failed provision.
func (f *face) unregister(c *server.Call, m *cluster.Manager, groups []cluster.Group) {
	var refs []resource.Ref
	for _, g := range groups {
		for _, h := range g.Hosts {
			refs = append(refs, resource.Ref{Type: cluster.RegisteredHosts, Namespace: m.Namespace(), Keys: []string{h}})
		}
	}
	_ = m.Delete(context.WithoutCancel(c.Context()), refs, nil) // even when the client has gone
}

// run runs a domain request: at once when its tasks take no time, else on
// the manager's goroutines.
func (f *face) run(c *server.Call, m *cluster.Manager, name string, id int64) error {
	if id == 0 {
		return nil
	}
	if f.exec.Instant() {
		return m.Execute(c.Context(), name, id, f.exec)
	}
	return m.Go(name, id, f.exec)
}

// scale answers PUT /clusters/{id} on an Active cluster:
// resize_node_groups changes groups' counts, add_node_groups adds groups.
// New instances are provisioned first, in one change of the domain that
// is refused whole; then removed ones are stopped and removed. 202 with
// the cluster.
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
	if isNotFound(err) { // reaped by another call meanwhile
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

// errNoManager answers cluster calls on a server without clusters.
var errNoManager = apierr.NotImplemented("This server has no cluster manager: it keeps no clusters.")
