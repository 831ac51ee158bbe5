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
// work (custom commands). Every URL form (an instance, a collection with
// the keys in the body, several bodies, a predicate) creates through the
// same path, and so through the cluster manager's rules when there is one.
func (s *Server) create(w http.ResponseWriter, r *http.Request, c call) error {
	bodies, err := readBodies(r, s.maxBatch)
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
	if s.cluster != nil && c.rt.typ.Collection == cluster.Requests {
		return s.command(w, r, c.params[0], bodies[0])
	}
	trees := make([]map[string]any, len(bodies))
	for i, b := range bodies {
		for path, v := range scope {
			resource.Set(b.props, path, v)
		}
		trees[i] = b.props
	}
	if err := s.createAll(r.Context(), c.rt.typ.Collection, trees); err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// createAll creates resources of one type, all or none: through the
// cluster manager, which applies the domain's rules, when there is one.
func (s *Server) createAll(ctx context.Context, typ string, trees []map[string]any) error {
	if s.cluster != nil {
		return s.cluster.Create(ctx, typ, trees...)
	}
	_, err := s.store.Create(ctx, typ, "", trees...)
	return err
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

// accepted answers 202 with the request's href and has the manager run
// it, or 200 with no body when no request was needed.
func (s *Server) accepted(w http.ResponseWriter, r *http.Request, clusterName string, id int64) error {
	if id == 0 {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	if err := s.cluster.Go(clusterName, id, s.exec); err != nil {
		return err
	}
	return s.writeJSON(w, http.StatusAccepted, map[string]any{
		"href":     fmt.Sprintf("%s/clusters/%s/requests/%d", s.base(r), clusterName, id),
		"Requests": map[string]any{"id": id, "status": "Accepted"},
	})
}

// update answers PUT on an instance, or on every member of a collection
// that matches the predicate (the URL's, or RequestInfo.query, which
// wins), all or none.
func (s *Server) update(w http.ResponseWriter, r *http.Request, c call) error {
	bodies, err := readBodies(r, s.maxBatch)
	if err != nil {
		return err
	}
	if len(bodies) == 0 {
		return apierr.BadRequest("A PUT needs a body.").WithField("body", 0)
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
			return apierr.BadRequest("Unable to compile query predicate: %v", err).WithField("RequestInfo/query", -1).WithCause(err)
		}
	}
	refs, err := s.targets(r, c, p.pred)
	if err != nil {
		return err
	}
	check := ifMatch(r).check()
	if s.cluster == nil {
		err = s.store.Write(r.Context(), func(tx *resource.Tx) error {
			for i, ref := range refs {
				if err := updateOne(tx, ref, b.props, check); err != nil {
					return resource.ItemError(err, i, len(refs))
				}
			}
			return nil
		})
	} else {
		var done bool
		if done, err = s.updateInCluster(w, r, c, b, refs, check); done {
			return err
		}
		if err == nil {
			err = s.cluster.Update(r.Context(), refs, b.props, check)
		}
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// updateOne updates one resource in a transaction, after its precondition.
func updateOne(tx *resource.Tx, ref resource.Ref, body map[string]any, check func(resource.Resource) error) error {
	if err := checkIn(tx, ref, check); err != nil {
		return err
	}
	_, err := tx.Update(ref, body, 0)
	return err
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

// desiredConfig applies Clusters/desired_config or Hosts/desired_config
// from a PUT's body, then lets the rest of the body, if any, go on as an
// ordinary update (in a transaction of its own: should it fail, the
// configuration stays applied). It reports whether it answered.
func (s *Server) desiredConfig(w http.ResponseWriter, r *http.Request, c call, b requestBody, refs []resource.Ref) (bool, error) {
	cat := c.rt.typ.Category
	props, _ := b.props[cat].(map[string]any)
	v, ok := props["desired_config"]
	if !ok {
		return false, nil
	}
	dc, ok := v.(map[string]any)
	if !ok {
		return true, apierr.BadRequest("%s/desired_config must be a JSON object with a type and a tag.", cat).WithField(cat+"/desired_config", -1)
	}
	typ, _ := dc["type"].(string)
	tag, _ := dc["tag"].(string)
	cfg, err := cluster.Strings(dc["properties"], cat+"/desired_config/properties")
	if err != nil {
		return true, err
	}
	if c.rt.typ.Collection == cluster.Clusters {
		for _, ref := range refs {
			if err = s.cluster.ApplyConfig(r.Context(), ref.Keys[0], typ, tag, cfg); err != nil {
				return true, err
			}
		}
	} else if len(refs) > 0 {
		hosts := make([]string, len(refs))
		for i, ref := range refs {
			hosts[i] = ref.Keys[1]
		}
		err = s.cluster.ApplyHostConfig(r.Context(), refs[0].Keys[0], hosts, typ, tag, cfg)
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
// request, 202), request aborts, and desired configurations. It reports
// whether it answered; what it leaves is an ordinary update.
func (s *Server) updateInCluster(w http.ResponseWriter, r *http.Request, c call, b requestBody, refs []resource.Ref, check func(resource.Resource) error) (bool, error) {
	ctx, m := r.Context(), s.cluster
	reqContext, _ := b.info["context"].(string)
	switch c.rt.typ.Collection {
	case cluster.Requests:
		req, _ := b.props["Requests"].(map[string]any)
		status, ok := req["request_status"].(string)
		if !ok {
			return false, nil
		}
		if status != "ABORTED" {
			return true, apierr.BadRequest("%s is wrong value. The only allowed value for updating request status is ABORTED", status).
				WithField("Requests/request_status", -1)
		}
		reason, _ := req["abort_reason"].(string)
		for _, ref := range refs {
			id, _ := strconv.ParseInt(ref.Keys[1], 10, 64)
			if err := m.Abort(ctx, ref.Keys[0], id, reason); err != nil {
				return true, err
			}
		}
		w.WriteHeader(http.StatusOK)
		return true, nil
	case cluster.Clusters, cluster.Hosts:
		return s.desiredConfig(w, r, c, b, refs)
	}
	cat := map[string]string{cluster.Services: "ServiceInfo", cluster.Components: "ServiceComponentInfo", cluster.HostComponents: "HostRoles"}[c.rt.typ.Collection]
	props, _ := b.props[cat].(map[string]any)
	v, ok := props["state"]
	if cat == "" || !ok {
		return false, nil
	}
	name, _ := v.(string)
	target, err := cluster.ParseState(name)
	if err != nil {
		return true, apierr.BadRequest("%v", err).WithField(cat+"/state", -1)
	}
	if len(refs) == 0 {
		w.WriteHeader(http.StatusOK) // a predicate that matched nothing: nothing to do
		return true, nil
	}
	id, err := m.DriveRefs(ctx, refs[0].Keys[0], target, refs, reqContext, check)
	if err != nil {
		return true, err
	}
	return true, s.accepted(w, r, refs[0].Keys[0], id)
}

// remove answers DELETE on an instance, or on every member of a collection
// that matches the predicate, all or none.
func (s *Server) remove(w http.ResponseWriter, r *http.Request, c call) error {
	p, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	refs, err := s.targets(r, c, p.pred)
	if err != nil {
		return err
	}
	check := ifMatch(r).check()
	if s.cluster != nil {
		err = s.cluster.Delete(r.Context(), refs, check)
	} else {
		err = s.store.Write(r.Context(), func(tx *resource.Tx) error {
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
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// targets are the resources a write applies to: those of the URL's scope
// that match the predicate. A missing instance is a 404.
func (s *Server) targets(r *http.Request, c call, pred query.Expr) ([]resource.Ref, error) {
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
	refs := make([]resource.Ref, len(res.Items))
	for i, item := range res.Items {
		refs[i] = resource.Ref{Type: c.rt.typ.Collection, Keys: keysOf(c.rt.typ, item)}
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
