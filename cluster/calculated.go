package cluster

import (
	"slices"

	"github.com/ambitkit/ambit/resource"
)

// recalculate writes the calculated state of services (Ambari's
// ServiceCalculatedState) and
// the counts of their components from their host components' live states.
func (m *Manager) recalculate(tx *resource.Tx, cluster string, services []string) error {
	for _, svc := range services {
		hcs, err := tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": cluster}, nil)
		if err != nil {
			return err
		}
		var members []Member
		type count struct{ total, started, installed int }
		counts := map[string]*count{}
		for _, hc := range hcs {
			roles := hostRoles(hc)
			if roles["service_name"] != svc {
				continue
			}
			st, _ := ParseState(roles["state"].(string))
			name := roles["component_name"].(string)
			cat := Slave
			if c, _, ok := m.txStack(tx, cluster).Component(name); ok {
				cat = c.Category
			}
			members = append(members, Member{Category: cat, State: st, Maintenance: roles["maintenance_state"] == "ON"})
			c := counts[name]
			if c == nil {
				c = &count{}
				counts[name] = c
			}
			c.total++
			switch st {
			case Started:
				c.started++
			case Installed:
				c.installed++
			}
		}
		if _, err := tx.Put(resource.Ref{Namespace: m.ns, Type: Services, Keys: []string{cluster, svc}},
			tree("ServiceInfo", "state", ServiceState(members).String())); err != nil {
			return err
		}
		comps, err := tx.Find(Components, m.ns, map[string]string{"ServiceComponentInfo/cluster_name": cluster, "ServiceComponentInfo/service_name": svc}, nil)
		if err != nil {
			return err
		}
		for _, comp := range comps { // every one: those with no host components left count zero
			c := counts[str(comp.Value("ServiceComponentInfo/component_name"))]
			if c == nil {
				c = &count{}
			}
			if _, err := tx.Put(comp.Ref(),
				tree("ServiceComponentInfo", "total_count", c.total, "started_count", c.started, "installed_count", c.installed)); err != nil {
				return err
			}
		}
	}
	return nil
}

// services lists the services of a request's tasks.
func (r *run) services() []string {
	var out []string
	for _, t := range r.tasks {
		if t.service != "" && !slices.Contains(out, t.service) {
			out = append(out, t.service)
		}
	}
	return out
}
