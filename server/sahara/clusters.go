package sahara

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
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
	mutable: []string{"name", "description", "is_public", "is_protected"},
	taken:   "CLUSTER_NAME_ALREADY_EXISTS", live: true}

// clusterRoutes mounts the clusters.
func (f *face) clusterRoutes(m *server.Mount) {
	k := clusters
	list := m.Handle(http.MethodGet, "/clusters", func(c *server.Call) (server.Result, error) { return f.list(c, k) })
	show := m.Handle(http.MethodGet, "/clusters/:id", f.showCluster)
	create := m.Handle(http.MethodPost, "/clusters", f.createCluster)
	m.Handle(http.MethodPost, "/clusters/multiple", f.createClusters)
	patch := m.Handle(http.MethodPatch, "/clusters/:id", func(c *server.Call) (server.Result, error) {
		if _, err := f.update(c, k); err != nil {
			return server.Result{}, err
		}
		res, err := f.showCluster(c)
		res.Status = http.StatusAccepted
		return res, err
	})
	m.Handle(http.MethodPut, "/clusters/:id", f.scale) // a scale request, not an update: undescribed
	k.describe(m.Document(), list, create, show, nil, patch, m.Handle(http.MethodDelete, "/clusters/:id", f.deleteCluster))
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
	key, err := server.IdempotencyKey(c.Request)
	if err != nil || key == "" {
		if err != nil {
			return server.Result{}, err
		}
		return f.launch(c, body)
	}
	// A retry with the key of a try that made its cluster gets that
	// cluster; a try at the same time is refused as a duplicate name.
	c.Request = c.Request.WithContext(cluster.WithIdempotencyKey(c.Context(), key))
	if res, ok, err := f.replayed(c); ok || err != nil {
		return res, err
	}
	res, err := f.launch(c, body)
	if replay := (*cluster.Replay)(nil); errors.As(err, &replay) {
		if res, ok, err := f.replayed(c); ok || err != nil {
			return res, err
		}
		return server.Result{}, apierr.Conflict("A cluster created with this Idempotency-Key is on its way: ask again.").WithField("Idempotency-Key", -1)
	}
	return res, err
}

// replayed answers a retry with the cluster its first try made, if the
// key of c made one: 202, as the first try was answered.
func (f *face) replayed(c *server.Call) (server.Result, bool, error) {
	replay, err := f.mgr.In(c.Namespace).Replayed(c.Context())
	if err != nil || replay == nil {
		return server.Result{}, false, err
	}
	res, err := f.store.List(c.Context(), resource.Query{Type: clusters.coll(), Namespace: c.Namespace, Instance: true, Page: paging.Request{Size: paging.All}})
	if err != nil {
		return server.Result{}, false, err
	}
	for _, tree := range res.Items {
		if st := stateOf(tree); st.domain == replay.Cluster && st.request == float64(replay.ID) && st.op == "create" {
			r, err := f.store.Get(c.Context(), resource.Ref{Type: clusters.coll(), Namespace: c.Namespace, Keys: []string{asString(clusters.viewTree(tree)["id"])}})
			if err != nil {
				return server.Result{}, false, err
			}
			obj, _, err := f.current(c, r)
			return server.Result{Status: http.StatusAccepted, Body: map[string]any{"cluster": obj}}, err == nil, err
		}
	}
	return server.Result{}, false, nil
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

// errNoManager answers cluster calls on a server without clusters.
var errNoManager = apierr.NotImplemented("This server has no cluster manager: it keeps no clusters.")
