package ohara

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// status is what the domain says of a cluster object.
type status struct {
	running bool     // its service is started, or starting
	state   string   // RUNNING, FAILED, or "" when stopped
	alive   []string // nodes whose component is started
	failure string   // the failed task's message
}

// state reads a cluster object's state from its service in the group's
// cluster: RUNNING while the service is started, FAILED when the latest
// request that touched it failed.
func (f *face) state(ctx context.Context, k *kind, o object) (status, error) {
	var st status
	if f.mgr == nil {
		return st, nil
	}
	svc, err := f.store.Get(ctx, resource.Ref{Type: cluster.Services, Namespace: o.group, Keys: []string{Domain, k.service}})
	if resource.IsKind(err, resource.NotFound) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	hcs, err := f.listAll(ctx, cluster.HostComponents, o.group, map[string]string{"HostRoles/cluster_name": Domain})
	if err != nil {
		return st, err
	}
	for _, hc := range hcs {
		r := hc["HostRoles"].(map[string]any)
		if r["component_name"] == k.component && r["state"] == "STARTED" {
			st.alive = append(st.alive, r["host_name"].(string))
		}
	}
	switch s, _ := svc.Value("ServiceInfo/state").(string); s {
	case "STARTED", "STARTING":
		st.running, st.state = true, "RUNNING"
	}
	if msg, failed, err := f.lastFailure(ctx, o.group, k); err != nil {
		return st, err
	} else if failed {
		st.state, st.failure = "FAILED", msg
	}
	return st, nil
}

// lastFailure reports whether the latest request of the group's cluster
// that ran tasks of the kind's component failed, and its failed task's
// message.
func (f *face) lastFailure(ctx context.Context, g string, k *kind) (string, bool, error) {
	reqs, err := f.listAll(ctx, cluster.Requests, g, map[string]string{"Requests/cluster_name": Domain})
	if err != nil {
		return "", false, err
	}
	for i := len(reqs) - 1; i >= 0; i-- {
		req := reqs[i]["Requests"].(map[string]any)
		id := strconv.FormatFloat(req["id"].(float64), 'f', -1, 64)
		tasks, err := f.listAll(ctx, cluster.Tasks, g, map[string]string{"Tasks/cluster_name": Domain, "Tasks/request_id": id})
		if err != nil {
			return "", false, err
		}
		mine := false
		for _, t := range tasks {
			tk := t["Tasks"].(map[string]any)
			if tk["role"] != k.component {
				continue
			}
			mine = true
			if s := tk["status"]; s == "FAILED" || s == "TIMEDOUT" {
				msg, _ := tk["stderr"].(string)
				return fmt.Sprintf("%s on %s: %s", tk["command"], tk["host_name"], msg), true, nil
			}
		}
		if mine {
			return "", false, nil
		}
	}
	return "", false, nil
}

// view is a cluster object as Ohara shows it: its settings, and its state.
func (f *face) view(ctx context.Context, k *kind, o object) (map[string]any, error) {
	v := maps.Clone(o.settings)
	v["name"], v["group"], v["lastModified"] = o.name, o.group, o.modified
	st, err := f.state(ctx, k, o)
	if err != nil {
		return nil, err
	}
	v["aliveNodes"] = strs(st.alive)
	if st.state != "" {
		v["state"] = st.state
	}
	if st.failure != "" {
		v["error"] = st.failure
	}
	metrics := map[string]any{}
	for _, n := range st.alive {
		metrics[n] = map[string]any{"meters": f.meters(ctx, o.group, n)}
	}
	v["nodeMetrics"] = metrics
	return v, nil
}

// meters are a node's latest sampled metrics, as Ohara's meters.
func (f *face) meters(ctx context.Context, g, host string) []any {
	r, err := f.store.Get(ctx, resource.Ref{Type: cluster.Hosts, Namespace: g, Keys: []string{Domain, host}})
	if err != nil {
		return []any{}
	}
	out := []any{}
	tree, _ := r.Tree()["metrics"].(map[string]any)
	for _, group := range slices.Sorted(maps.Keys(tree)) {
		m, _ := tree[group].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(m)) {
			if v, ok := m[name].(float64); ok {
				out = append(out, map[string]any{"name": group + "/" + name, "value": v, "unit": "", "document": name})
			}
		}
	}
	return out
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (f *face) listAll(ctx context.Context, typ, ns string, scope map[string]string) ([]map[string]any, error) {
	res, err := f.store.List(ctx, resource.Query{Type: typ, Namespace: ns, Instance: true, Scope: scope, Page: paging.Request{Size: paging.All}})
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}

// nodesOf are an object's nodeNames.
func nodesOf(o object) []string {
	var out []string
	for _, n := range o.settings["nodeNames"].([]any) {
		if s, ok := n.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// target reads the object a start, stop or node route names.
func (f *face) target(c *server.Call, k *kind) (*cluster.Manager, object, status, error) {
	if f.mgr == nil {
		return nil, object{}, status{}, badState("This server runs no cluster manager: clusters cannot run.")
	}
	g, err := group(c, nil, true)
	if err != nil {
		return nil, object{}, status{}, err
	}
	o, err := f.get(c.Context(), k, g, c.Param("name"))
	if err != nil {
		return nil, object{}, status{}, err
	}
	st, err := f.state(c.Context(), k, o)
	return f.mgr.In(g), o, st, err
}

// start answers PUT /{name}/start: the group's cluster gets the nodes,
// the service with the settings as configuration overrides, and the
// component on each node; a request installs what needs it and starts
// them. 202 with no body, and the client polls GET.
func (f *face) start(c *server.Call, k *kind) (server.Result, error) {
	m, o, _, err := f.target(c, k)
	if err != nil {
		return server.Result{}, err
	}
	if k.needs != nil {
		ref, _ := objectKey(o.settings[k.needKey], o.group)
		need, err := f.get(c.Context(), k.needs, ref.group, ref.name)
		if err != nil {
			return server.Result{}, err
		}
		if st, err := f.state(c.Context(), k.needs, need); err != nil {
			return server.Result{}, err
		} else if st.state != "RUNNING" {
			return server.Result{}, badState("The %s %s/%s is not running: start it before the %s %s.", k.needs.category, ref.group, ref.name, k.category, o.name)
		}
	}
	if err := f.deploy(c.Context(), m, k, o, nodesOf(o)); err != nil {
		return server.Result{}, err
	}
	var refs []resource.Ref
	for _, n := range nodesOf(o) {
		refs = append(refs, resource.Ref{Type: cluster.HostComponents, Namespace: o.group, Keys: []string{Domain, n, k.component}})
	}
	id, err := m.Launch(c.Context(), Domain, refs, "Start "+k.category+" "+o.name)
	if err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusAccepted), f.run(c, m, id)
}

// deploy makes the group's cluster hold the object's service on nodes:
// the cluster, the hosts, the service with its overrides, the components.
func (f *face) deploy(ctx context.Context, m *cluster.Manager, k *kind, o object, nodes []string) error {
	if _, err := f.store.Get(ctx, resource.Ref{Type: cluster.Clusters, Namespace: o.group, Keys: []string{Domain}}); resource.IsKind(err, resource.NotFound) {
		if err := m.CreateCluster(ctx, Domain); err != nil {
			return err
		}
	}
	sim := cluster.NewSim()
	for _, n := range nodes {
		if _, err := f.store.Get(ctx, resource.Ref{Type: cluster.RegisteredHosts, Namespace: o.group, Keys: []string{n}}); resource.IsKind(err, resource.NotFound) {
			if err := m.RegisterHosts(ctx, sim.Facts(n)); err != nil {
				return err
			}
		}
		if _, err := f.store.Get(ctx, resource.Ref{Type: cluster.Hosts, Namespace: o.group, Keys: []string{Domain, n}}); resource.IsKind(err, resource.NotFound) {
			if err := m.AddHosts(ctx, Domain, map[string]any{"Hosts": map[string]any{"host_name": n}}); err != nil {
				return err
			}
		}
	}
	overrides := f.overrides(k, o)
	if _, err := f.store.Get(ctx, resource.Ref{Type: cluster.Services, Namespace: o.group, Keys: []string{Domain, k.service}}); resource.IsKind(err, resource.NotFound) {
		if err := m.AddService(ctx, Domain, k.service, overrides); err != nil {
			return err
		}
	} else {
		for typ, props := range overrides {
			if err := m.ApplyConfig(ctx, Domain, typ, fmt.Sprintf("ohara-%d", int64(o.modified)), props); err != nil {
				return err
			}
		}
	}
	for _, n := range nodes {
		if _, err := f.store.Get(ctx, resource.Ref{Type: cluster.HostComponents, Namespace: o.group, Keys: []string{Domain, n, k.component}}); resource.IsKind(err, resource.NotFound) {
			if err := m.AddHostComponent(ctx, Domain, n, k.component); err != nil {
				return err
			}
		}
	}
	return nil
}

// overrides are the settings that name properties of the service's
// configurations, by configuration type: what users override of what
// the stack configures.
func (f *face) overrides(k *kind, o object) map[string]map[string]string {
	svc, ok := f.mgr.Stack().Service(k.service)
	if !ok {
		return nil
	}
	out := map[string]map[string]string{}
	for typ, props := range svc.Configs {
		for p := range props {
			if v, ok := o.settings[p]; ok {
				if out[typ] == nil {
					out[typ] = map[string]string{}
				}
				out[typ][p] = resource.Text(v)
			}
		}
	}
	return out
}

// stop answers PUT /{name}/stop[?force=true]: refused while a cluster that
// runs on it runs; otherwise a request stops its components.
func (f *face) stop(c *server.Call, k *kind) (server.Result, error) {
	m, o, st, err := f.target(c, k)
	if err != nil {
		return server.Result{}, err
	}
	if d := k.dependent(); d != nil {
		users, err := f.users(c.Context(), d, o)
		if err != nil {
			return server.Result{}, err
		}
		for _, u := range users {
			if ust, err := f.state(c.Context(), d, u); err != nil {
				return server.Result{}, err
			} else if ust.running {
				return server.Result{}, badState("The %s %s/%s runs on %s %s: stop it first.", d.category, u.group, u.name, k.category, o.name)
			}
		}
	}
	if !st.running {
		return server.Status(http.StatusAccepted), nil
	}
	id, err := m.Change(c.Context(), cluster.Change{Cluster: Domain, Target: cluster.Installed, Explicit: true,
		Refs: []resource.Ref{{Type: cluster.Services, Namespace: o.group, Keys: []string{Domain, k.service}}}, Context: "Stop " + k.category + " " + o.name})
	if err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusAccepted), f.run(c, m, id)
}

// run runs a request: at once when its tasks take no time.
func (f *face) run(c *server.Call, m *cluster.Manager, id int64) error {
	if id == 0 {
		return nil
	}
	if f.exec.Instant() {
		return m.Execute(c.Context(), Domain, id, f.exec)
	}
	return m.Go(Domain, id, f.exec)
}

// addNode answers PUT /{name}/{node} of a broker or worker cluster: the
// node joins it, and a request installs and starts its component there.
func (f *face) addNode(c *server.Call, k *kind) (server.Result, error) {
	if k == zookeepers {
		return server.Result{}, badArg("Adding a node to a running zookeeper cluster is not supported.")
	}
	m, o, st, err := f.target(c, k)
	if err != nil {
		return server.Result{}, err
	}
	node := c.Param("action")
	if _, err := f.store.Get(c.Context(), resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{node}}); err != nil {
		return server.Result{}, notFound("The node %s does not exist.", node)
	}
	if !st.running {
		return server.Result{}, badState("%s %s/%s is not running: nodes join a running cluster.", k.category, o.group, o.name)
	}
	if !slices.Contains(nodesOf(o), node) {
		o.settings["nodeNames"] = append(o.settings["nodeNames"].([]any), node)
		if err := f.save(c.Context(), k, o, false); err != nil {
			return server.Result{}, err
		}
	}
	if err := f.deploy(c.Context(), m, k, o, []string{node}); err != nil {
		return server.Result{}, err
	}
	id, err := m.Launch(c.Context(), Domain, []resource.Ref{{Type: cluster.HostComponents, Namespace: o.group, Keys: []string{Domain, node, k.component}}},
		"Add "+node+" to "+o.name)
	if err != nil {
		return server.Result{}, err
	}
	return server.Status(http.StatusAccepted), f.run(c, m, id)
}

// removeNode answers DELETE /{name}/{node}: the component on the node is
// stopped, then removed, and the node leaves the settings.
func (f *face) removeNode(c *server.Call, k *kind) (server.Result, error) {
	m, o, _, err := f.target(c, k)
	if err != nil {
		return server.Result{}, err
	}
	node := c.Param("action")
	nodes := nodesOf(o)
	if !slices.Contains(nodes, node) {
		return server.Status(http.StatusNoContent), nil
	}
	if len(nodes) == 1 {
		return server.Result{}, badState("%s is the last node of %s %s/%s: delete the cluster instead.", node, k.category, o.group, o.name)
	}
	hc := resource.Ref{Type: cluster.HostComponents, Namespace: o.group, Keys: []string{Domain, node, k.component}}
	if _, err := f.store.Get(c.Context(), hc); err == nil {
		id, err := m.Change(c.Context(), cluster.Change{Cluster: Domain, Target: cluster.Installed, Explicit: true, Refs: []resource.Ref{hc},
			Context: "Remove " + node + " from " + o.name})
		if err != nil {
			return server.Result{}, err
		}
		if id != 0 { // wait: a running component cannot be removed
			if err := m.Execute(c.Context(), Domain, id, f.exec); err != nil {
				return server.Result{}, err
			}
		}
		if err := m.Delete(c.Context(), []resource.Ref{hc}, nil); err != nil {
			return server.Result{}, err
		}
	}
	left := []any{}
	for _, n := range nodes {
		if n != node {
			left = append(left, n)
		}
	}
	o.settings["nodeNames"] = left
	return server.Status(http.StatusNoContent), f.save(c.Context(), k, o, false)
}
