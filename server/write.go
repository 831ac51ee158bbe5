package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// create answers POST: 201 for resources created, 202 for a request of
// work (custom commands).
func (s *Server) create(w http.ResponseWriter, r *http.Request, c call) error {
	bodies, err := readBodies(r)
	if err != nil {
		return err
	}
	scope, err := s.scope(r, c)
	if err != nil {
		return err
	}
	if len(bodies) == 0 {
		bodies = []requestBody{{props: map[string]any{}}}
	}
	if isBatch(bodies) {
		return s.batch(w, r, c, s.create, bodies)
	}
	if p, err := s.parseQuery(r); err != nil {
		return err
	} else if p.pred != nil {
		return s.queryCreate(w, r, c, p.pred, bodies)
	}
	if s.cluster != nil {
		if done, err := s.createInCluster(w, r, c, scope, bodies); done || err != nil {
			return err
		}
	}
	trees := make([]map[string]any, len(bodies))
	for i, b := range bodies {
		for path, v := range scope {
			resource.Set(b.props, path, v)
		}
		trees[i] = b.props
	}
	if _, err := s.store.Create(r.Context(), c.rt.typ.Collection, "", trees...); err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// createInCluster creates through the cluster manager what it owns:
// clusters, hosts, services, host components, configurations, and requests
// of custom commands. It reports whether it answered.
func (s *Server) createInCluster(w http.ResponseWriter, r *http.Request, c call, scope map[string]string, bodies []requestBody) (bool, error) {
	ctx, m := r.Context(), s.cluster
	keys := func(i int) string { return c.params[i] }
	var err error
	switch c.rt.typ.Collection {
	case cluster.Clusters:
		if !c.instance {
			return false, nil
		}
		err = m.CreateCluster(ctx, keys(0))
	case cluster.Hosts:
		if !c.instance {
			return false, nil
		}
		host := map[string]any{}
		if h, ok := bodies[0].props["Hosts"].(map[string]any); ok {
			host = h
		}
		host["host_name"] = keys(1)
		err = m.AddHosts(ctx, keys(0), map[string]any{"Hosts": host})
	case cluster.Services:
		if !c.instance {
			return false, nil
		}
		err = m.AddService(ctx, keys(0), keys(1), overrides(bodies[0].props))
	case cluster.HostComponents:
		if !c.instance || c.rt.through != nil {
			return false, nil
		}
		err = m.AddHostComponent(ctx, keys(0), keys(1), keys(2))
	case cluster.Configurations:
		for _, b := range bodies {
			typ, _ := b.props["type"].(string)
			tag, _ := b.props["tag"].(string)
			if _, err = m.CreateConfig(ctx, keys(0), typ, tag, stringMap(b.props["properties"])); err != nil {
				return true, err
			}
		}
	case cluster.Requests:
		return true, s.command(w, r, keys(0), bodies[0])
	default:
		return false, nil
	}
	if err != nil {
		return true, err
	}
	w.WriteHeader(http.StatusCreated)
	return true, nil
}

// command makes a request of a custom command from RequestInfo.command and
// Requests/resource_filters.
func (s *Server) command(w http.ResponseWriter, r *http.Request, clusterName string, b requestBody) error {
	cmd, _ := b.info["command"].(string)
	var filters []cluster.Filter
	if req, ok := b.props["Requests"].(map[string]any); ok {
		list, _ := req["resource_filters"].([]any)
		for _, item := range list {
			f, _ := item.(map[string]any)
			filter := cluster.Filter{}
			filter.Service, _ = f["service_name"].(string)
			filter.Component, _ = f["component_name"].(string)
			if hosts, ok := f["hosts"].(string); ok && hosts != "" {
				filter.Hosts = strings.Split(hosts, ",")
			}
			filters = append(filters, filter)
		}
	}
	reqContext, _ := b.info["context"].(string)
	id, err := s.cluster.RunCommand(r.Context(), clusterName, cluster.Command(cmd), filters, reqContext)
	if err != nil {
		return err
	}
	return s.accepted(w, r, clusterName, id)
}

// accepted answers 202 with the request's href and starts running it, or
// 200 with no body when no request was needed.
func (s *Server) accepted(w http.ResponseWriter, r *http.Request, clusterName string, id int64) error {
	if id == 0 {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	go func() {
		if err := s.cluster.Execute(context.Background(), clusterName, id, s.exec); err != nil {
			s.log.Error("ambit: request failed", "cluster", clusterName, "request", id, "err", err)
		}
	}()
	return s.writeJSON(w, http.StatusAccepted, map[string]any{
		"href":     fmt.Sprintf("%s/clusters/%s/requests/%d", s.base(r), clusterName, id),
		"Requests": map[string]any{"id": id, "status": "Accepted"},
	})
}

// update answers PUT on an instance, or on every member of a collection
// that matches the predicate (the URL's, or RequestInfo.query, which wins).
func (s *Server) update(w http.ResponseWriter, r *http.Request, c call) error {
	bodies, err := readBodies(r)
	if err != nil {
		return err
	}
	if len(bodies) == 0 {
		return apierr.BadRequest("A PUT needs a body.")
	}
	if len(bodies) > 1 {
		// Several property maps, with or without their own RequestInfo,
		// are applied one after the other: none is dropped.
		return s.batch(w, r, c, s.update, bodies)
	}
	b := bodies[0]
	p, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	if q, ok := b.info["query"].(string); ok && q != "" {
		if p.pred, err = s.preds.Parse(q); err != nil {
			return apierr.BadRequest("Unable to compile query predicate: %v", err).WithCause(err)
		}
	}
	targets, err := s.targets(r, c, p.pred)
	if err != nil {
		return err
	}
	if s.cluster != nil {
		if done, err := s.updateInCluster(w, r, c, b, targets); done || err != nil {
			return err
		}
	}
	for _, item := range targets {
		ref := resource.Ref{Type: c.rt.typ.Collection, Keys: keysOf(c.rt.typ, item)}
		if _, err := s.store.Update(r.Context(), ref, b.props, ifMatch(r)); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// desiredConfig applies Clusters/desired_config or Hosts/desired_config
// from a PUT's body, then lets the rest of the body, if any, go on as an
// ordinary update (in a transaction of its own: should it fail, the
// configuration stays applied). It reports whether it answered.
func (s *Server) desiredConfig(w http.ResponseWriter, r *http.Request, c call, b requestBody, items []map[string]any) (bool, error) {
	cat := c.rt.typ.Category
	props, _ := b.props[cat].(map[string]any)
	dc, ok := props["desired_config"].(map[string]any)
	if !ok {
		return false, nil
	}
	typ, _ := dc["type"].(string)
	tag, _ := dc["tag"].(string)
	var err error
	if c.rt.typ.Collection == cluster.Clusters {
		err = s.cluster.ApplyConfig(r.Context(), c.params[0], typ, tag, stringMap(dc["properties"]))
	} else {
		hosts := make([]string, len(items))
		for i, item := range items {
			hosts[i] = keysOf(c.rt.typ, item)[1]
		}
		err = s.cluster.ApplyHostConfig(r.Context(), c.params[0], hosts, typ, tag, stringMap(dc["properties"]))
	}
	if err != nil {
		return true, err
	}
	delete(props, "desired_config")
	if len(props) == 0 {
		delete(b.props, cat)
	}
	if len(b.props) > 0 {
		return false, nil
	}
	w.WriteHeader(http.StatusOK)
	return true, nil
}

// updateInCluster handles what the cluster manager owns: state changes (a
// request, 202), request aborts, and desired configurations.
func (s *Server) updateInCluster(w http.ResponseWriter, r *http.Request, c call, b requestBody, items []map[string]any) (bool, error) {
	ctx, m := r.Context(), s.cluster
	clusterName := c.params[0]
	reqContext, _ := b.info["context"].(string)
	switch c.rt.typ.Collection {
	case cluster.Requests:
		req, _ := b.props["Requests"].(map[string]any)
		status, ok := req["request_status"].(string)
		if !ok {
			return false, nil
		}
		if status != "ABORTED" {
			return true, apierr.BadRequest("%s is wrong value. The only allowed value for updating request status is ABORTED", status)
		}
		reason, _ := req["abort_reason"].(string)
		for _, item := range items {
			id, _ := strconv.ParseInt(keysOf(c.rt.typ, item)[1], 10, 64)
			if err := m.Abort(ctx, clusterName, id, reason); err != nil {
				return true, err
			}
		}
		w.WriteHeader(http.StatusOK)
		return true, nil
	case cluster.Clusters, cluster.Hosts:
		return s.desiredConfig(w, r, c, b, items)
	}
	cat := map[string]string{cluster.Services: "ServiceInfo", cluster.Components: "ServiceComponentInfo", cluster.HostComponents: "HostRoles"}[c.rt.typ.Collection]
	props, _ := b.props[cat].(map[string]any)
	name, ok := props["state"].(string)
	if cat == "" || !ok {
		return false, nil
	}
	target, err := cluster.ParseState(name)
	if err != nil {
		return true, apierr.BadRequest("%v", err).WithField(cat+"/state", -1)
	}
	pred, err := hostComponentsOf(c.rt.typ, items)
	if err != nil || pred == nil {
		w.WriteHeader(http.StatusOK)
		return true, err
	}
	id, err := m.Drive(ctx, clusterName, target, pred, reqContext)
	if err != nil {
		return true, err
	}
	return true, s.accepted(w, r, clusterName, id)
}

// hostComponentsOf is a predicate over host components that selects those
// of the given services, components or host components.
func hostComponentsOf(t resource.Type, items []map[string]any) (query.Expr, error) {
	var terms []string
	for _, item := range items {
		k := keysOf(t, item)
		switch t.Collection {
		case cluster.Services:
			terms = append(terms, "HostRoles/service_name="+k[1])
		case cluster.Components:
			terms = append(terms, "(HostRoles/service_name="+k[1]+"&HostRoles/component_name="+k[2]+")")
		case cluster.HostComponents:
			terms = append(terms, "(HostRoles/host_name="+k[1]+"&HostRoles/component_name="+k[2]+")")
		}
	}
	if len(terms) == 0 {
		return nil, nil
	}
	return query.Parse(strings.Join(terms, "|"))
}

// remove answers DELETE on an instance, or on every member of a collection
// that matches the predicate.
func (s *Server) remove(w http.ResponseWriter, r *http.Request, c call) error {
	p, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	targets, err := s.targets(r, c, p.pred)
	if err != nil {
		return err
	}
	want := ifMatch(r)
	err = s.store.Write(r.Context(), func(tx *resource.Tx) error {
		for _, item := range targets {
			ref := resource.Ref{Type: c.rt.typ.Collection, Keys: keysOf(c.rt.typ, item)}
			if want != 0 {
				cur, err := tx.Get(ref)
				if err != nil {
					return err
				}
				if cur.Version() != want {
					return apierr.New(http.StatusPreconditionFailed, "The %s has changed since version %d: it is at version %d.", c.rt.typ.Name, want, cur.Version())
				}
			}
			if err := tx.Delete(ref); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// targets are the resources a write applies to: those of the URL's scope
// that match the predicate, rendered with their keys only. A missing
// instance is a 404.
func (s *Server) targets(r *http.Request, c call, pred query.Expr) ([]map[string]any, error) {
	scope, err := s.scope(r, c)
	if err != nil {
		return nil, err
	}
	res, err := s.store.List(r.Context(), resource.Query{Type: c.rt.typ.Collection, Scope: scope, Predicate: pred,
		Page: paging.Request{Size: paging.All}})
	if err != nil {
		return nil, err
	}
	if c.instance && len(res.Items) == 0 {
		return nil, apierr.NotFound("The specified resource doesn't exist: %s not found, %s", c.rt.typ.Name, describe(c.rt.typ, scope))
	}
	return res.Items, nil
}

// keysOf reads a rendered item's key values.
func keysOf(t resource.Type, item map[string]any) []string {
	out := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		v := getPath(item, k)
		switch x := v.(type) {
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

// ifMatch reads the If-Match header as a version (0 for none).
func ifMatch(r *http.Request) uint64 {
	v, _ := strconv.ParseUint(strings.Trim(r.Header.Get("If-Match"), `"`), 10, 64)
	return v
}

func getPath(m map[string]any, path string) any {
	segs := strings.Split(path, "/")
	for _, s := range segs[:len(segs)-1] {
		m, _ = m[s].(map[string]any)
	}
	return m[segs[len(segs)-1]]
}

// overrides reads a service body's configurations: {type: {key: value}}.
func overrides(props map[string]any) map[string]map[string]string {
	cfg, ok := props["configurations"].(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]map[string]string{}
	for typ, v := range cfg {
		out[typ] = stringMap(v)
	}
	return out
}

// stringMap reads a JSON object of strings.
func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k] = fmt.Sprint(x)
	}
	return out
}
