package ohara

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// kind is a kind of cluster Ohara manages, and the service of the group's
// cluster that runs it.
type kind struct {
	path, coll, category, display string
	service, component            string
	needs                         *kind  // the kind it runs on
	needKey                       string // the setting that names it
	image                         string
}

var (
	zookeepers = &kind{path: "zookeepers", coll: "ohara_zookeepers", category: "zookeeper", display: "Zookeeper",
		service: "ZOOKEEPER", component: "ZOOKEEPER_SERVER", image: "ghcr.io/oharastream/zookeeper:0.12.0"}
	brokers = &kind{path: "brokers", coll: "ohara_brokers", category: "broker", display: "Broker",
		service: "KAFKA", component: "KAFKA_BROKER", needs: zookeepers, needKey: "zookeeperClusterKey", image: "ghcr.io/oharastream/broker:0.12.0"}
	workers = &kind{path: "workers", coll: "ohara_workers", category: "worker", display: "Worker",
		service: "KAFKA_CONNECT", component: "CONNECT_WORKER", needs: brokers, needKey: "brokerClusterKey", image: "ghcr.io/oharastream/connect-worker:0.12.0"}
	kinds = []*kind{zookeepers, brokers, workers}
)

// dependent is the kind that runs on k, nil for none.
func (k *kind) dependent() *kind {
	for _, d := range kinds {
		if d.needs == k {
			return d
		}
	}
	return nil
}

func (f *face) kindRoutes(m *server.Mount, k *kind) {
	base := "/" + k.path
	m.HandleGlobal(http.MethodPost, base, func(c *server.Call) (server.Result, error) { return f.create(c, k) })
	m.HandleGlobal(http.MethodGet, base, func(c *server.Call) (server.Result, error) { return f.list(c, k) })
	m.HandleGlobal(http.MethodGet, base+"/:name", func(c *server.Call) (server.Result, error) { return f.show(c, k) })
	m.HandleGlobal(http.MethodPut, base+"/:name", func(c *server.Call) (server.Result, error) { return f.upsert(c, k) })
	m.HandleGlobal(http.MethodDelete, base+"/:name", func(c *server.Call) (server.Result, error) { return f.remove(c, k) })
	// start, stop and nodes share the route: httprouter takes one
	// parameter at a place.
	m.HandleGlobal(http.MethodPut, base+"/:name/:action", func(c *server.Call) (server.Result, error) {
		switch c.Param("action") {
		case "start":
			return f.start(c, k)
		case "stop":
			return f.stop(c, k)
		}
		return f.addNode(c, k)
	})
	m.HandleGlobal(http.MethodDelete, base+"/:name/:action", func(c *server.Call) (server.Result, error) { return f.removeNode(c, k) })
}

// object is a stored cluster object: its settings.
type object struct {
	group, name string
	settings    map[string]any
	modified    float64
}

func (f *face) get(ctx context.Context, k *kind, g, name string) (object, error) {
	r, err := f.store.Get(ctx, resource.Ref{Type: k.coll, Namespace: g, Keys: []string{name}})
	if err != nil {
		if resource.IsKind(err, resource.NotFound) {
			return object{}, notFound("%s %s/%s does not exist.", k.category, g, name)
		}
		return object{}, err
	}
	s, _ := r.Value(k.category + "/settings").(map[string]any)
	mod, _ := r.Value(k.category + "/lastModified").(float64)
	return object{group: g, name: name, settings: s, modified: mod}, nil
}

// objects are the objects of a kind in a group.
func (f *face) objects(ctx context.Context, k *kind, g string) ([]object, error) {
	res, err := f.store.List(ctx, resource.Query{Type: k.coll, Namespace: g, Instance: true, Page: paging.Request{Size: paging.All}})
	if err != nil {
		return nil, err
	}
	var out []object
	for _, item := range res.Items {
		t := item[k.category].(map[string]any)
		s, _ := t["settings"].(map[string]any)
		mod, _ := t["lastModified"].(float64)
		out = append(out, object{group: g, name: t["name"].(string), settings: s, modified: mod})
	}
	return out, nil
}

func (f *face) save(ctx context.Context, k *kind, o object, create bool) error {
	o.settings["name"], o.settings["group"] = o.name, o.group
	body := map[string]any{k.category: map[string]any{"name": o.name, "settings": o.settings, "lastModified": float64(time.Now().UnixMilli())}}
	if create {
		_, err := f.store.Create(ctx, k.coll, o.group, body)
		return err
	}
	_, err := f.store.Update(ctx, resource.Ref{Type: k.coll, Namespace: o.group, Keys: []string{o.name}}, body, 0)
	return err
}

// create answers POST: the object's settings are stored, with the
// stack's defaults for what is not given; nothing runs yet.
func (f *face) create(c *server.Call, k *kind) (server.Result, error) {
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	g, err := group(c, body, true)
	if err != nil {
		return server.Result{}, err
	}
	name, _ := body["name"].(string)
	if !names.MatchString(name) {
		return server.Result{}, badArg("The name %q is not legal: use lower-case letters, digits and dots.", name)
	}
	if _, err := f.get(c.Context(), k, g, name); err == nil {
		return server.Result{}, badArg("%s %s/%s exists already.", k.category, g, name)
	}
	others, err := f.objects(c.Context(), k, g)
	if err != nil {
		return server.Result{}, err
	}
	if len(others) > 0 {
		return server.Result{}, badArg("The group %s has the %s cluster %s already: ambit runs one of each kind per group, as services of the group's cluster %s.",
			g, k.category, others[0].name, Domain)
	}
	settings, err := f.settings(c, k, g, nil, body)
	if err != nil {
		return server.Result{}, err
	}
	o := object{group: g, name: name, settings: settings}
	if err := f.save(c.Context(), k, o, true); err != nil {
		return server.Result{}, err
	}
	if o, err = f.get(c.Context(), k, g, name); err != nil {
		return server.Result{}, err
	}
	v, err := f.view(c.Context(), k, o)
	return server.OK(v), err
}

// settings merges a body into settings (nil for new ones, which get the
// defaults), checking what it may.
func (f *face) settings(c *server.Call, k *kind, g string, old, body map[string]any) (map[string]any, error) {
	out := map[string]any{}
	if old == nil {
		for _, d := range f.definitions(k) {
			if v, ok := d["defaultValue"]; ok && v != nil {
				out[d["key"].(string)] = v
			}
		}
	} else {
		maps.Copy(out, old)
	}
	for key, v := range body {
		if key == "group" || key == "name" {
			continue
		}
		out[key] = v
	}
	nodes, ok := out["nodeNames"].([]any)
	if !ok || len(nodes) == 0 {
		return nil, badArg("nodeNames is required: name the nodes the cluster runs on.")
	}
	for _, n := range nodes {
		host, _ := n.(string)
		if _, err := f.store.Get(c.Context(), resource.Ref{Type: nodesType, Namespace: nodeSpace, Keys: []string{host}}); err != nil {
			return nil, notFound("The node %v does not exist: add it with POST /v0/nodes.", n)
		}
	}
	if k.needs != nil {
		key, err := objectKey(out[k.needKey], g)
		if err != nil {
			return nil, badArg("%s: %v", k.needKey, err)
		}
		if key.group != g {
			return nil, badArg("%s names %s/%s: a %s runs on the %s of its own group, %s.", k.needKey, key.group, key.name, k.category, k.needs.category, g)
		}
		if _, err := f.get(c.Context(), k.needs, key.group, key.name); err != nil {
			return nil, err
		}
		out[k.needKey] = map[string]any{"group": key.group, "name": key.name}
	}
	return out, nil
}

// key is an object's (group, name).
type key struct{ group, name string }

// objectKey reads a reference as Ohara's clients send it: "n", {"name":
// "n"} or {"group": "g", "name": "n"}.
func objectKey(v any, g string) (key, error) {
	switch x := v.(type) {
	case string:
		return key{g, x}, nil
	case map[string]any:
		n, _ := x["name"].(string)
		if gg, ok := x["group"].(string); ok {
			g = gg
		}
		if n != "" {
			return key{g, n}, nil
		}
	}
	return key{}, errors.New("want \"name\", {\"name\": …} or {\"group\": …, \"name\": …}")
}

// upsert answers PUT /{name}: the object is made, or its settings changed
// while it is stopped.
func (f *face) upsert(c *server.Call, k *kind) (server.Result, error) {
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	g, err := group(c, body, true)
	if err != nil {
		return server.Result{}, err
	}
	name := c.Param("name")
	o, err := f.get(c.Context(), k, g, name)
	if isNoSuch(err) {
		body["name"], body["group"] = name, g
		c.Request.Body = http.NoBody
		return f.createFrom(c, k, body)
	} else if err != nil {
		return server.Result{}, err
	}
	if st, err := f.state(c.Context(), k, o); err != nil {
		return server.Result{}, err
	} else if st.running {
		return server.Result{}, badState("%s %s/%s is running: stop it before changing it.", k.category, g, name)
	}
	if o.settings, err = f.settings(c, k, g, o.settings, body); err != nil {
		return server.Result{}, err
	}
	if err := f.save(c.Context(), k, o, false); err != nil {
		return server.Result{}, err
	}
	return f.show(c, k)
}

// createFrom creates from a body already read.
func (f *face) createFrom(c *server.Call, k *kind, body map[string]any) (server.Result, error) {
	g, name := body["group"].(string), body["name"].(string)
	settings, err := f.settings(c, k, g, nil, body)
	if err != nil {
		return server.Result{}, err
	}
	if err := f.save(c.Context(), k, object{group: g, name: name, settings: settings}, true); err != nil {
		return server.Result{}, err
	}
	return f.show(c, k)
}

func isNoSuch(err error) bool {
	var e interface{ ErrorName() string }
	return errors.As(err, &e) && e.ErrorName() == noSuchElement
}

func (f *face) show(c *server.Call, k *kind) (server.Result, error) {
	g, err := group(c, nil, false)
	if err != nil {
		return server.Result{}, err
	}
	o, err := f.get(c.Context(), k, g, c.Param("name"))
	if err != nil {
		return server.Result{}, err
	}
	v, err := f.view(c.Context(), k, o)
	return server.OK(v), err
}

// list answers GET: the kind's objects of the group, or of every group
// granted without one, filtered by the query's other fields.
func (f *face) list(c *server.Call, k *kind) (server.Result, error) {
	q := c.Request.URL.Query()
	groups := []string{}
	if q.Has("group") {
		g, err := group(c, nil, false)
		if err != nil {
			return server.Result{}, err
		}
		groups = append(groups, g)
	} else {
		nss, err := f.store.Namespaces(k.coll)
		if err != nil {
			return server.Result{}, err
		}
		for _, ns := range nss {
			if c.User.Can(ns) {
				groups = append(groups, ns)
			}
		}
	}
	out := []any{}
	for _, g := range groups {
		objs, err := f.objects(c.Context(), k, g)
		if err != nil {
			return server.Result{}, err
		}
		for _, o := range objs {
			v, err := f.view(c.Context(), k, o)
			if err != nil {
				return server.Result{}, err
			}
			if matches(v, q) {
				out = append(out, v)
			}
		}
	}
	return server.OK(out), nil
}

// matches applies the query's filters on fields: each names a field and
// the text it must have (state=RUNNING, name=zk).
func matches(v map[string]any, q map[string][]string) bool {
	for field, want := range q {
		if field == "group" {
			continue
		}
		got, ok := v[field]
		if !ok || len(want) == 0 || resource.Text(got) != want[0] {
			return false
		}
	}
	return true
}

// remove answers DELETE /{name}: only a stopped cluster goes (its service
// with it); a missing one is a 204 too.
func (f *face) remove(c *server.Call, k *kind) (server.Result, error) {
	g, err := group(c, nil, true)
	if err != nil {
		return server.Result{}, err
	}
	o, err := f.get(c.Context(), k, g, c.Param("name"))
	if isNoSuch(err) {
		return server.Status(http.StatusNoContent), nil
	} else if err != nil {
		return server.Result{}, err
	}
	st, err := f.state(c.Context(), k, o)
	if err != nil {
		return server.Result{}, err
	}
	if st.running {
		return server.Result{}, badState("%s %s/%s is running: stop it before deleting it.", k.category, g, o.name)
	}
	if d := k.dependent(); d != nil {
		if users, err := f.users(c.Context(), d, o); err != nil {
			return server.Result{}, err
		} else if len(users) > 0 {
			return server.Result{}, badState("%s %s/%s is used by the %s %s: delete it first.", k.category, g, o.name, d.category, users[0].name)
		}
	}
	if f.mgr != nil {
		svc := resource.Ref{Type: cluster.Services, Namespace: g, Keys: []string{Domain, k.service}}
		if _, err := f.store.Get(c.Context(), svc); err == nil {
			if err := f.mgr.In(g).Delete(c.Context(), []resource.Ref{svc}, nil); err != nil {
				return server.Result{}, err
			}
		}
	}
	return server.Status(http.StatusNoContent), f.store.Delete(c.Context(), resource.Ref{Type: k.coll, Namespace: g, Keys: []string{o.name}})
}

// users are the objects of kind d that run on o.
func (f *face) users(ctx context.Context, d *kind, o object) ([]object, error) {
	objs, err := f.objects(ctx, d, o.group)
	if err != nil {
		return nil, err
	}
	var out []object
	for _, x := range objs {
		if ref, err := objectKey(x.settings[d.needKey], x.group); err == nil && ref == (key{o.group, o.name}) {
			out = append(out, x)
		}
	}
	return out, nil
}
