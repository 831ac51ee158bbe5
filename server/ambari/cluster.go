package ambari

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// This file is the adapter between Ambari's requests and the cluster
// manager: what a PUT or POST means for the domain beyond storing
// properties. The generic write path (write.go) calls it only when the
// server has a manager.

func isRequests(t resource.Type) bool { return t.Collection == cluster.Requests }

// command makes a request of a custom command from RequestInfo.command and
// Requests/resource_filters.
func (f *face) command(c *server.Call, clusterName string, b requestBody) (server.Result, error) {
	cmd, _ := b.info["command"].(string)
	// Clients send the filters nested ({"Requests": {"resource_filters":
	// [...]}}) or under the flat key "Requests/resource_filters".
	list, _ := resource.Get(b.props, "Requests/resource_filters").([]any)
	if flat, ok := b.props["Requests/resource_filters"].([]any); ok {
		list = flat
	}
	var filters []cluster.Filter
	for _, item := range list {
		m, _ := item.(map[string]any)
		filter := cluster.Filter{}
		filter.Service, _ = m["service_name"].(string)
		filter.Component, _ = m["component_name"].(string)
		if hosts, ok := m["hosts"].(string); ok && hosts != "" {
			filter.Hosts = strings.Split(hosts, ",")
		}
		if p, ok := m["hosts_predicate"].(string); ok && p != "" {
			e, err := f.preds.Parse(p)
			if err != nil {
				return server.Result{}, apierr.BadRequest("Unable to compile query predicate: %v", err).WithField("Requests/resource_filters/hosts_predicate", -1).WithCause(err)
			}
			filter.HostsPredicate = e
		}
		filters = append(filters, filter)
	}
	reqContext, _ := b.info["context"].(string)
	id, err := f.mgr(c).RunCommand(c.Context(), clusterName, cluster.Command(cmd), filters, reqContext)
	if err != nil {
		return server.Result{}, err
	}
	return f.accepted(c, clusterName, id)
}

// accepted answers 202 with the request's href and has the manager run
// it, or 200 with no body when no request was needed.
func (f *face) accepted(c *server.Call, clusterName string, id int64) (server.Result, error) {
	if id == 0 {
		return server.Status(http.StatusOK), nil
	}
	if f.exec.Instant() {
		// Tasks that take no time have ended before the answer goes out:
		// clients sleep 10-15 s between polls, and a test fixture that is
		// still IN_PROGRESS at the first poll costs each test that long.
		if err := f.mgr(c).Execute(c.Context(), clusterName, id, f.exec); err != nil {
			return server.Result{}, err
		}
	} else if err := f.mgr(c).Go(clusterName, id, f.exec); err != nil {
		return server.Result{}, err
	}
	return server.Result{Status: http.StatusAccepted, Body: acceptedBody(c, clusterName, id)}, nil
}

// acceptedBody is Ambari's answer to a change that made a request.
func acceptedBody(c *server.Call, clusterName string, id int64) map[string]any {
	return map[string]any{
		"href":     fmt.Sprintf("%s/clusters/%s/requests/%d", c.Base(), clusterName, id),
		"Requests": map[string]any{"id": id, "status": "Accepted"},
	}
}

// updateInCluster handles what the cluster manager owns: state changes (a
// request, 202), request aborts, and desired configurations. It reports
// whether it answered; what it leaves is an ordinary update. bulk says the
// targets are a predicate's matches, which leave what is in maintenance
// alone.
func (f *face) updateInCluster(c *server.Call, a at, b requestBody, refs []resource.Ref, check func(resource.Resource) error, bulk bool) (server.Result, bool, error) {
	ctx, m := c.Context(), f.mgr(c)
	reqContext, _ := b.info["context"].(string)
	switch a.rt.typ.Collection {
	case cluster.Requests:
		req, _ := b.props["Requests"].(map[string]any)
		status, ok := req["request_status"].(string)
		if !ok {
			return server.Result{}, false, nil
		}
		if status != "ABORTED" {
			return server.Result{}, true, apierr.BadRequest("%s is wrong value. The only allowed value for updating request status is ABORTED", status).
				WithField("Requests/request_status", -1)
		}
		reason, _ := req["abort_reason"].(string)
		for _, ref := range refs {
			id, _ := strconv.ParseInt(ref.Keys[1], 10, 64)
			if err := m.Abort(ctx, ref.Keys[0], id, reason); err != nil {
				return server.Result{}, true, err
			}
		}
		return server.Status(http.StatusOK), true, nil
	case cluster.Clusters, cluster.Hosts:
		return f.desiredConfig(c, a, b, refs)
	}
	cat := map[string]string{cluster.Services: "ServiceInfo", cluster.Components: "ServiceComponentInfo", cluster.HostComponents: "HostRoles"}[a.rt.typ.Collection]
	props, _ := b.props[cat].(map[string]any)
	v, ok := props["state"]
	if cat == "" || !ok {
		return server.Result{}, false, nil
	}
	name, _ := v.(string)
	target, err := cluster.ParseState(name)
	if err != nil {
		return server.Result{}, true, apierr.BadRequest("%v", err).WithField(cat+"/state", -1)
	}
	if len(refs) == 0 {
		return server.Status(http.StatusOK), true, nil // a predicate that matched nothing: nothing to do
	}
	// The other properties first (maintenance_state, say), then the state,
	// as Ambari applies them: the precondition holds for the first write.
	delete(props, "state")
	if len(props) == 0 {
		delete(b.props, cat)
	}
	if len(b.props) > 0 {
		if err := m.Update(ctx, refs, b.props, check); err != nil {
			return server.Result{}, true, err
		}
		check = nil
	}
	id, err := m.Change(ctx, cluster.Change{Cluster: refs[0].Keys[0], Target: target, Refs: refs, Context: reqContext,
		Check: check, Explicit: a.instance && !bulk})
	if err != nil {
		return server.Result{}, true, err
	}
	res, err := f.accepted(c, refs[0].Keys[0], id)
	return res, true, err
}

// desiredConfig applies Clusters/desired_config or Hosts/desired_config
// from a PUT's body, then lets the rest of the body, if any, go on as an
// ordinary update (in a transaction of its own: should it fail, the
// configuration stays applied). It reports whether it answered.
func (f *face) desiredConfig(c *server.Call, a at, b requestBody, refs []resource.Ref) (server.Result, bool, error) {
	cat := a.rt.typ.Category
	props, _ := b.props[cat].(map[string]any)
	v, ok := props["desired_config"]
	if !ok {
		return server.Result{}, false, nil
	}
	// One configuration, or a list of them, as Ambari accepts.
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for _, item := range list {
		dc, ok := item.(map[string]any)
		if !ok {
			return server.Result{}, true, apierr.BadRequest("%s/desired_config must be a JSON object with a type and a tag, or a list of them.", cat).WithField(cat+"/desired_config", -1)
		}
		if err := f.applyConfig(c, a, cat, dc, refs); err != nil {
			return server.Result{}, true, err
		}
	}
	delete(props, "desired_config")
	if len(props) == 0 {
		delete(b.props, cat)
	}
	if len(b.props) > 0 {
		return server.Result{}, false, nil
	}
	return server.Status(http.StatusOK), true, nil
}

// applyConfig applies one desired configuration {type, tag, properties}
// to the clusters, or the hosts, a PUT names.
func (f *face) applyConfig(c *server.Call, a at, cat string, dc map[string]any, refs []resource.Ref) error {
	typ, _ := dc["type"].(string)
	tag, _ := dc["tag"].(string)
	cfg, err := cluster.Strings(dc["properties"], cat+"/desired_config/properties")
	if err != nil {
		return err
	}
	if a.rt.typ.Collection == cluster.Clusters {
		for _, ref := range refs {
			if err := f.mgr(c).ApplyConfig(c.Context(), ref.Keys[0], typ, tag, cfg); err != nil {
				return err
			}
		}
		return nil
	}
	if len(refs) == 0 {
		return nil
	}
	hosts := make([]string, len(refs))
	for i, ref := range refs {
		hosts[i] = ref.Keys[1]
	}
	return f.mgr(c).ApplyHostConfig(c.Context(), refs[0].Keys[0], hosts, typ, tag, cfg)
}
