package ohara

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// nodeSpace is the namespace of nodes: Ohara's nodes belong to no group.
// A node a group's cluster runs on is registered in the group's namespace
// too, when the cluster starts.
const nodeSpace = resource.Default

func (f *face) nodeRoutes(m *server.Mount) {
	m.HandleGlobal(http.MethodPost, "/nodes", f.addNodeObject)
	m.HandleGlobal(http.MethodGet, "/nodes", f.nodes)
	m.HandleGlobal(http.MethodGet, "/nodes/:name", f.node)
	m.HandleGlobal(http.MethodPut, "/nodes/:name", f.putNode)
	m.HandleGlobal(http.MethodDelete, "/nodes/:name", f.deleteNode)
}

// writer refuses readers the writes on nodes.
func writer(c *server.Call) error {
	if c.User.Role == server.ReadOnly {
		return apierr.Forbidden("The user %s may not change nodes.", c.User.Name).WithName("ForbiddenException")
	}
	return nil
}

func (f *face) addNodeObject(c *server.Call) (server.Result, error) {
	if err := writer(c); err != nil {
		return server.Result{}, err
	}
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	host, _ := body["hostname"].(string)
	if host == "" || strings.ContainsAny(host, "/ ") {
		return server.Result{}, badArg("hostname is required: the node's DNS name.")
	}
	if _, err := f.store.Get(c.Context(), resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{host}}); err == nil {
		return server.Result{}, badArg("The node %s exists already.", host)
	}
	if err := f.writeNode(c.Context(), host, body, true); err != nil {
		return server.Result{}, err
	}
	return f.nodeAnswer(c, host)
}

// putNode answers PUT /nodes/{name}: an upsert.
func (f *face) putNode(c *server.Call) (server.Result, error) {
	if err := writer(c); err != nil {
		return server.Result{}, err
	}
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	host := c.Param("name")
	_, err = f.store.Get(c.Context(), resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{host}})
	if err := f.writeNode(c.Context(), host, body, resource.IsKind(err, resource.NotFound)); err != nil {
		return server.Result{}, err
	}
	return f.nodeAnswer(c, host)
}

// writeNode stores a node's settings and registers it as a host.
func (f *face) writeNode(ctx context.Context, host string, body map[string]any, create bool) error {
	props := map[string]any{"hostname": host, "lastModified": float64(time.Now().UnixMilli())}
	for _, k := range []string{"port", "user", "password", "tags"} {
		if v, ok := body[k]; ok {
			props[k] = v
		}
	}
	tree := map[string]any{"node": props}
	return f.store.Write(ctx, func(tx *resource.Tx) error {
		if create {
			if _, err := tx.Create(nodesType, nodeSpace, tree); err != nil {
				return err
			}
			if _, err := tx.Get(resource.Ref{Type: cluster.RegisteredHosts, Namespace: nodeSpace, Keys: []string{host}}); resource.IsKind(err, resource.NotFound) {
				_, err = tx.Create(cluster.RegisteredHosts, nodeSpace, cluster.NewSim().Facts(host))
				return err
			}
			return nil
		}
		_, err := tx.Update(resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{host}}, tree, 0)
		return err
	})
}

func (f *face) nodeAnswer(c *server.Call, host string) (server.Result, error) {
	v, err := f.nodeView(c, host)
	return server.OK(v), err
}

// nodeView is a node as Ohara shows it: its settings (not its password),
// the services on it, its resources and state.
func (f *face) nodeView(c *server.Call, host string) (map[string]any, error) {
	r, err := f.store.Get(c.Context(), resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{host}})
	if resource.IsKind(err, resource.NotFound) {
		return nil, notFound("The node %s does not exist.", host)
	} else if err != nil {
		return nil, err
	}
	t := r.Tree()["node"].(map[string]any)
	v := map[string]any{"hostname": host, "port": t["port"], "user": t["user"], "tags": orObject(t["tags"]),
		"lastModified": t["lastModified"], "state": "AVAILABLE"}
	services := []any{}
	for _, k := range kinds {
		var keys []any
		nss, err := f.store.Namespaces(k.coll)
		if err != nil {
			return nil, err
		}
		for _, g := range nss {
			if !c.User.Can(g) {
				continue
			}
			objs, err := f.objects(c.Context(), k, g)
			if err != nil {
				return nil, err
			}
			for _, o := range objs {
				if slices.Contains(nodesOf(o), host) {
					keys = append(keys, map[string]any{"group": g, "name": o.name})
				}
			}
		}
		if keys != nil {
			services = append(services, map[string]any{"name": strings.TrimSuffix(k.path, "s"), "clusterKeys": keys})
		}
	}
	v["services"] = services
	resources := []any{}
	if h, err := f.store.Get(c.Context(), resource.Ref{Type: cluster.RegisteredHosts, Namespace: nodeSpace, Keys: []string{host}}); err == nil {
		if cpu, ok := h.Value("Hosts/cpu_count").(float64); ok {
			resources = append(resources, map[string]any{"name": "CPU", "value": cpu, "unit": "cores"})
		}
		if mem, ok := h.Value("Hosts/total_mem").(float64); ok {
			resources = append(resources, map[string]any{"name": "Memory", "value": mem / (1 << 20), "unit": "GB"})
		}
	}
	v["resources"] = resources
	return v, nil
}

func orObject(v any) any {
	if v == nil {
		return map[string]any{}
	}
	return v
}

func (f *face) nodes(c *server.Call) (server.Result, error) {
	res, err := f.listAll(c.Context(), nodesType, nodeSpace, nil)
	if err != nil {
		return server.Result{}, err
	}
	out := []any{}
	for _, item := range res {
		v, err := f.nodeView(c, item["node"].(map[string]any)["hostname"].(string))
		if err != nil {
			return server.Result{}, err
		}
		out = append(out, v)
	}
	return server.OK(out), nil
}

func (f *face) node(c *server.Call) (server.Result, error) { return f.nodeAnswer(c, c.Param("name")) }

// deleteNode answers DELETE /nodes/{name}: refused while a cluster runs on
// it; 204 also when it is missing.
func (f *face) deleteNode(c *server.Call) (server.Result, error) {
	if err := writer(c); err != nil {
		return server.Result{}, err
	}
	host := c.Param("name")
	v, err := f.nodeView(c, host)
	if isNoSuch(err) {
		return server.Status(http.StatusNoContent), nil
	} else if err != nil {
		return server.Result{}, err
	}
	if svcs := v["services"].([]any); len(svcs) > 0 {
		return server.Result{}, badState("The node %s runs %v: remove it from those clusters first.", host, svcs[0].(map[string]any)["clusterKeys"])
	}
	return server.Status(http.StatusNoContent), f.store.Write(c.Context(), func(tx *resource.Tx) error {
		if err := tx.Delete(resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{host}}); err != nil {
			return err
		}
		if err := tx.Delete(resource.Ref{Type: cluster.RegisteredHosts, Namespace: nodeSpace, Keys: []string{host}}); err != nil && !resource.IsKind(err, resource.NotFound) {
			return err
		}
		return nil
	})
}
