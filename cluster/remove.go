package cluster

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/ambitkit/ambit/resource"
)

// Delete removes resources of the manager's store, all or none, as Ambari
// does: a cluster, host, service, component or host component only when
// every host component it takes along is in a removable state (a 409
// naming the first that is not), leaving nothing behind. A host takes its
// host components; a service its components, its host components on every
// host and its configurations (so that adding it again starts afresh); a
// component its host components. Component counts and service states are
// recalculated in the same transaction. A request is removed with its
// stages and tasks once it has ended (a 409 before); stages and tasks are
// not removed alone; a configuration is removed unless it is desired.
//
// check, when not nil, is called with each resource before it is removed:
// an error (a failed precondition) aborts the whole delete.
func (m *Manager) Delete(ctx context.Context, refs []resource.Ref, check func(resource.Resource) error) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		touched := map[string][]string{} // services to recalculate, by cluster
		for _, ref := range refs {
			r, err := tx.Get(ref)
			if err != nil {
				return err
			}
			if check != nil {
				if err := check(r); err != nil {
					return err
				}
			}
			svcs, err := m.remove(tx, r)
			if err != nil {
				return err
			}
			cl := ref.Keys[0]
			for _, s := range svcs {
				if !slices.Contains(touched[cl], s) {
					touched[cl] = append(touched[cl], s)
				}
			}
		}
		for cl, svcs := range touched {
			if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cl}}); err != nil {
				continue // the cluster itself went
			}
			var left []string
			for _, s := range svcs {
				if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Services, Keys: []string{cl, s}}); err == nil {
					left = append(left, s)
				}
			}
			if err := m.recalculate(tx, cl, left); err != nil {
				return err
			}
		}
		return nil
	})
}

// remove deletes one resource and what goes with it, and returns the
// services whose counts and state it changed.
func (m *Manager) remove(tx *resource.Tx, r resource.Resource) ([]string, error) {
	ref := r.Ref()
	cl := ref.Keys[0]
	var hcs []resource.Resource
	switch ref.Type {
	case Clusters, Hosts, Services, Components, HostComponents:
		var err error
		if hcs, err = m.hostComponentsOf(tx, r); err != nil {
			return nil, err
		}
		for _, hc := range hcs {
			if err := removable(hc); err != nil {
				return nil, err
			}
		}
	case Requests:
		st, _ := ParseStatus(str(r.Value("Requests/request_status")))
		if !st.Done() {
			return nil, resource.Errorf(resource.Conflict, "", "Request %s is %s: abort it before removing it.", ref.Keys[1], st).Named("NOT_REMOVABLE")
		}
		if ids, err := m.lastIDs(tx, cl); err != nil {
			return nil, err
		} else if strconv.FormatInt(ids.request, 10) == ref.Keys[1] {
			return nil, resource.Errorf(resource.Conflict, "", "Request %s is the latest of the cluster %s, which is kept: the next request's id follows from it.", ref.Keys[1], cl).Named("NOT_REMOVABLE")
		}
	case Stages, Tasks:
		return nil, resource.Errorf(resource.Invalid, "", "Stages and tasks are removed with their request, not alone.")
	case Stacks, StackVersions, StackServices, StackComponents, StackConfigurations:
		return nil, readOnlyStack()
	case Workflows, Jobs, TaskAttempts:
		return nil, readOnlyWorkload()
	case RegisteredHosts:
		if in := str(r.Value("Hosts/cluster_name")); in != "" {
			return nil, resource.Errorf(resource.Conflict, "", "The host %s belongs to the cluster %s: remove it from the cluster first.", ref.Keys[0], in).Named("NOT_REMOVABLE")
		}
		return nil, tx.Delete(ref)
	case Configurations:
		if m.desired(tx, r) {
			return nil, resource.Errorf(resource.Conflict, "", "The configuration %s is desired by the cluster %s: apply another before removing it.", ref.Keys[1], cl).Named("NOT_REMOVABLE")
		}
	}
	var services []string
	for _, hc := range hcs {
		svc := str(hc.Value("HostRoles/service_name"))
		if !slices.Contains(services, svc) {
			services = append(services, svc)
		}
		if err := tx.Delete(hc.Ref()); err != nil {
			return nil, err
		}
	}
	if ref.Type == Services {
		if err := m.removeConfigs(tx, cl, ref.Keys[1]); err != nil {
			return nil, err
		}
	}
	var members []resource.Resource // hosts that leave with their cluster
	switch ref.Type {
	case Hosts:
		members = []resource.Resource{r}
	case Clusters:
		var err error
		if members, err = tx.Find(Hosts, m.ns, map[string]string{"Hosts/cluster_name": cl}, nil); err != nil {
			return nil, err
		}
	}
	if ref.Type != HostComponents {
		if err := tx.Delete(ref); err != nil {
			return nil, err
		}
	}
	for _, h := range members { // registered still, in no cluster
		reg := resource.Ref{Namespace: m.ns, Type: RegisteredHosts, Keys: []string{str(h.Value("Hosts/host_name"))}}
		if _, err := tx.Get(reg); err == nil {
			if _, err := tx.Put(reg, tree("Hosts", "cluster_name", nil)); err != nil {
				return nil, err
			}
		}
	}
	return services, nil
}

// hostComponentsOf lists the host components a removal takes along.
func (m *Manager) hostComponentsOf(tx *resource.Tx, r resource.Resource) ([]resource.Resource, error) {
	ref := r.Ref()
	if ref.Type == HostComponents {
		return []resource.Resource{r}, nil
	}
	all, err := tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": ref.Keys[0]}, nil)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(hc resource.Resource) bool {
		switch ref.Type {
		case Hosts:
			return hc.Value("HostRoles/host_name") != ref.Keys[1]
		case Services:
			return hc.Value("HostRoles/service_name") != ref.Keys[1]
		case Components:
			return hc.Value("HostRoles/service_name") != ref.Keys[1] || hc.Value("HostRoles/component_name") != ref.Keys[2]
		}
		return false // a cluster takes them all
	}), nil
}

// removable refuses a host component that is not in a removable state:
// a Conflict named NOT_REMOVABLE, with the host component and its state.
func removable(hc resource.Resource) error {
	state := str(hc.Value("HostRoles/state"))
	st, err := ParseState(state)
	if err == nil && Removable(st) {
		return nil
	}
	host, comp := str(hc.Value("HostRoles/host_name")), str(hc.Value("HostRoles/component_name"))
	e := resource.Errorf(resource.Conflict, "", "The host component %s on host %s is in state %s and cannot be removed: "+
		"it must be in INIT, INSTALLING, INSTALLED, INSTALL_FAILED, UNINSTALLED, UNKNOWN or DISABLED state.", comp, host, state).Named("NOT_REMOVABLE")
	e.Type, e.Keys, e.From = "HostComponent", []resource.KeyValue{{Path: "HostRoles/host_name", Value: host}, {Path: "HostRoles/component_name", Value: comp}}, state
	return e
}

// removeConfigs removes a service's configuration types from a cluster:
// every configuration of those types, and their entries in the desired
// configurations of the cluster and of its hosts.
func (m *Manager) removeConfigs(tx *resource.Tx, cluster, service string) error {
	svc, ok := m.txStack(tx, cluster).Service(service)
	if !ok || len(svc.Configs) == 0 {
		return nil
	}
	cfgs, err := tx.Find(Configurations, m.ns, map[string]string{"Config/cluster_name": cluster}, nil)
	if err != nil {
		return err
	}
	for _, c := range cfgs {
		if _, ours := svc.Configs[str(c.Value("type"))]; ours {
			if err := tx.Delete(c.Ref()); err != nil {
				return err
			}
		}
	}
	hosts, err := tx.Find(Hosts, m.ns, map[string]string{"Hosts/cluster_name": cluster}, nil)
	if err != nil {
		return err
	}
	owners := append([]resource.Ref{{Type: Clusters, Keys: []string{cluster}}}, refsOf(hosts)...)
	for _, ref := range owners {
		cat := map[string]string{Clusters: "Clusters", Hosts: "Hosts"}[ref.Type]
		if err := dropDesired(tx, ref, cat, svc.Configs); err != nil {
			return err
		}
	}
	return nil
}

// dropDesired removes configuration types from the desired_configs of a
// cluster or a host.
func dropDesired(tx *resource.Tx, ref resource.Ref, cat string, types map[string]map[string]string) error {
	r, err := tx.Get(ref)
	if err != nil {
		return err
	}
	old, _ := r.Value(cat + "/desired_configs").(map[string]any)
	desired := maps.Clone(old) // the stored map is shared: copy before changing
	changed := false
	for typ := range types {
		if _, ok := desired[typ]; ok {
			delete(desired, typ)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	_, err = tx.Put(ref, tree(cat, "desired_configs", desired))
	return err
}

// desired reports whether a configuration is its cluster's desired one of
// its type.
func (m *Manager) desired(tx *resource.Tx, cfg resource.Resource) bool {
	c, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cfg.Ref().Keys[0]}})
	if err != nil {
		return false
	}
	desired, _ := c.Value("Clusters/desired_configs").(map[string]any)
	entry, _ := desired[str(cfg.Value("type"))].(map[string]any)
	return entry["tag"] == cfg.Value("tag")
}

func refsOf(rs []resource.Resource) []resource.Ref {
	out := make([]resource.Ref, len(rs))
	for i, r := range rs {
		out[i] = r.Ref()
	}
	return out
}

func str(v any) string { s, _ := v.(string); return s }

func num64(v any) float64 { f, _ := v.(float64); return f }
