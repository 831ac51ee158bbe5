package cluster

import (
	"context"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// Filter selects host components for a custom command, as an entry of
// Ambari's Requests/resource_filters does: a service, optionally one of its
// components, optionally some hosts.
type Filter struct {
	Service   string   `json:"service_name"`
	Component string   `json:"component_name,omitempty"`
	Hosts     []string `json:"hosts,omitempty"`
	// HostsPredicate, Ambari's hosts_predicate, keeps the host components
	// it matches (HostRoles/maintenance_state=OFF); nil keeps all.
	HostsPredicate query.Expr `json:"-"`
}

func (f Filter) matches(roles map[string]any, picked map[string]bool) bool {
	return roles["service_name"] == f.Service &&
		(f.Component == "" || roles["component_name"] == f.Component) &&
		(len(f.Hosts) == 0 || slices.Contains(f.Hosts, str(roles["host_name"]))) &&
		(f.HostsPredicate == nil || picked[str(roles["host_name"])+"/"+str(roles["component_name"])])
}

// serviceCheck reports a service check command: SERVICE_CHECK, or one of
// Ambari's own names of them (HDFS_SERVICE_CHECK,
// ZOOKEEPER_QUORUM_SERVICE_CHECK), which name the check's role.
func serviceCheck(cmd Command) bool {
	return cmd == ServiceCheck || strings.HasSuffix(string(cmd), "_"+string(ServiceCheck))
}

// RunCommand makes a request of a custom command, as POST on a cluster's
// requests with RequestInfo.command does:
//
//   - RESTART restarts every INSTALLED or STARTED daemon the filters select
//     (clients and host components in maintenance are left alone); a
//     restarted component ends STARTED.
//   - SERVICE_CHECK runs one <SERVICE>_SERVICE_CHECK task per filtered
//     service, on the first host that has one of its components; a
//     command named as Ambari names them (HDFS_SERVICE_CHECK,
//     ZOOKEEPER_QUORUM_SERVICE_CHECK) runs a task of that role.
//
// It returns the request's id, or 0 when the filters select nothing.
func (m *Manager) RunCommand(ctx context.Context, cluster string, cmd Command, filters []Filter, context string) (int64, error) {
	if cmd != Restart && !serviceCheck(cmd) {
		return 0, resource.Errorf(resource.Invalid, "RequestInfo/command", "Unsupported command %s: want RESTART or SERVICE_CHECK.", cmd)
	}
	if len(filters) == 0 {
		return 0, resource.Errorf(resource.Invalid, "Requests/resource_filters", "A %s request needs resource filters.", cmd)
	}
	st := m.storeStack(cluster)
	for _, f := range filters {
		if _, ok := st.Service(f.Service); !ok {
			return 0, resource.Errorf(resource.Invalid, "Requests/resource_filters", "Unknown service %s in the resource filters.", f.Service)
		}
	}
	var id int64
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		hcs, err := tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": cluster}, nil)
		if err != nil {
			return err
		}
		picked, err := m.picked(tx, cluster, filters)
		if err != nil {
			return err
		}
		maint := maintenance{tx: tx, ns: m.ns, cluster: cluster, cache: map[string]bool{}}
		var work []task
		checked := map[string]bool{}
		for _, hc := range hcs {
			roles := hostRoles(hc)
			if !slices.ContainsFunc(filters, func(f Filter) bool { return f.matches(roles, picked) }) || maint.on(roles) {
				continue
			}
			host, component, service := str(roles["host_name"]), str(roles["component_name"]), str(roles["service_name"])
			if serviceCheck(cmd) {
				role := string(cmd)
				if cmd == ServiceCheck {
					role = service + "_SERVICE_CHECK"
				}
				if !checked[service] {
					checked[service] = true
					work = append(work, task{host: host, component: role, command: ServiceCheck})
				}
				continue
			}
			if c, _, ok := st.Component(component); ok && c.Category == Client {
				continue
			}
			live, _ := ParseState(roles["state"].(string))
			if live != Installed && live != Started {
				return resource.Errorf(resource.Invalid, "HostRoles/state", "Cannot restart host component %s on host %s: it is %s.", component, host, live)
			}
			work = append(work, task{host: host, component: component, command: Restart})
		}
		if len(work) == 0 {
			return nil
		}
		id, err = m.createRequest(tx, cluster, context, work)
		if err != nil {
			return err
		}
		list := make([]any, len(filters))
		for i, f := range filters {
			entry := map[string]any{"service_name": f.Service}
			if f.Component != "" {
				entry["component_name"] = f.Component
			}
			if len(f.Hosts) > 0 {
				hosts := make([]any, len(f.Hosts))
				for j, h := range f.Hosts {
					hosts[j] = h
				}
				entry["hosts"] = hosts
			}
			list[i] = entry
		}
		_, err = tx.Put(resource.Ref{Namespace: m.ns, Type: Requests, Keys: []string{cluster, itoa(id)}}, tree("Requests", "resource_filters", list))
		return err
	})
	return id, err
}

// picked lists the host components that the filters' hosts_predicates
// match, by host/component.
func (m *Manager) picked(tx *resource.Tx, cluster string, filters []Filter) (map[string]bool, error) {
	out := map[string]bool{}
	for _, f := range filters {
		if f.HostsPredicate == nil {
			continue
		}
		hcs, err := tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": cluster}, f.HostsPredicate)
		if err != nil {
			return nil, err
		}
		for _, hc := range hcs {
			out[str(hc.Value("HostRoles/host_name"))+"/"+str(hc.Value("HostRoles/component_name"))] = true
		}
	}
	return out, nil
}
