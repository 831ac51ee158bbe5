package cluster

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ambitkit/ambit/resource"
)

// Blueprints is the collection of blueprints: a cluster's layout (host
// groups of components) and configurations, with no hosts, as Ambari's
// blueprints are.
const Blueprints = "blueprints"

func blueprintType() resource.Type {
	return resource.Type{Name: "Blueprint", Collection: Blueprints, Category: "Blueprints", Keys: []string{"Blueprints/blueprint_name"},
		Properties: []resource.Property{
			{Path: "Blueprints/stack_name", Kind: resource.String, Required: true},
			{Path: "Blueprints/stack_version", Kind: resource.String, Required: true},
			{Path: "host_groups", Kind: resource.List, Required: true},
			{Path: "configurations", Kind: resource.List},
		}}
}

// hostGroup is a host group of a blueprint.
type hostGroup struct {
	name        string
	cardinality string
	components  []string
}

// groups reads a blueprint's host groups, naming the problems of a body
// that is not one.
func groups(v any) ([]hostGroup, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, resource.Errorf(resource.Invalid, "host_groups", "A blueprint needs host_groups: a list of {name, components: [{name}]}.")
	}
	var out []hostGroup
	for i, item := range list {
		m, _ := item.(map[string]any)
		g := hostGroup{name: str(m["name"]), cardinality: str(m["cardinality"])}
		comps, _ := m["components"].([]any)
		for _, c := range comps {
			cm, _ := c.(map[string]any)
			if name := str(cm["name"]); name != "" {
				g.components = append(g.components, name)
			}
		}
		if g.name == "" || len(g.components) == 0 {
			return nil, resource.Errorf(resource.Invalid, fmt.Sprintf("host_groups[%d]", i), "Host group %d needs a name and components.", i)
		}
		out = append(out, g)
	}
	return out, nil
}

// checkBlueprint validates a blueprint against its stack: that it is
// loaded, its components, the services they need, and their dependencies.
func (m *Manager) checkBlueprint(body map[string]any) ([]hostGroup, *Stack, error) {
	name, version := str(resource.Get(body, "Blueprints/stack_name")), str(resource.Get(body, "Blueprints/stack_version"))
	st, ok := m.stackFor(name + "-" + version)
	if !ok {
		var ids []string
		for _, s := range m.stacks {
			ids = append(ids, s.id())
		}
		return nil, nil, resource.Errorf(resource.Invalid, "Blueprints/stack_name", "The blueprint's stack %s-%s is not loaded: this server runs %s.",
			name, version, joinOr(ids))
	}
	gs, err := groups(body["host_groups"])
	if err != nil {
		return nil, nil, err
	}
	return gs, st, checkGroups(st, gs)
}

// checkGroups validates host groups' components against a stack: that it
// has them, the services they need, and their dependencies.
func checkGroups(st *Stack, gs []hostGroup) error {
	present, services := map[string]bool{}, map[string]bool{}
	var unknown []string
	for _, g := range gs {
		for _, c := range g.components {
			_, svc, ok := st.Component(c)
			if !ok {
				unknown = append(unknown, c)
				continue
			}
			present[c], services[svc.Name] = true, true
		}
	}
	if len(unknown) > 0 {
		return resource.Errorf(resource.Invalid, "host_groups", "The components [%s] are not in the stack %s.",
			strings.Join(unknown, ", "), st.id())
	}
	for _, c := range slices.Sorted(maps.Keys(present)) {
		comp, svc, _ := st.Component(c)
		for _, dep := range comp.Dependencies {
			if !present[dep] {
				return resource.Errorf(resource.Invalid, "host_groups", "The component %s depends on %s, which no host group has.", c, dep)
			}
		}
		for _, req := range svc.Requires {
			if !services[req] {
				return resource.Errorf(resource.Invalid, "host_groups", "The service %s of the component %s needs the service %s, which no host group has.", svc.Name, c, req)
			}
		}
	}
	return nil
}

// CreateFromBlueprint creates a cluster from a blueprint and a cluster
// creation template, as POST /clusters/c1 with a "blueprint" does in
// Ambari: the template maps each host group to registered hosts
// (host_groups [{name, hosts: [{fqdn}]}]) and may add configurations. The
// cluster gets the blueprint's services, components, host components and
// configurations (over the stack's defaults) in one transaction, and a
// request that installs and then starts everything. It returns the
// request's id.
func (m *Manager) CreateFromBlueprint(ctx context.Context, cluster string, template map[string]any) (int64, error) {
	var id int64
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		bpName := str(template["blueprint"])
		bp, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Blueprints, Keys: []string{bpName}})
		if err != nil {
			return resource.Errorf(resource.Invalid, "blueprint", "The blueprint %q does not exist.", bpName)
		}
		gs, st, err := m.checkBlueprint(bp.Tree())
		if err != nil {
			return err
		}
		placement, err := hostsOf(template, gs)
		if err != nil {
			return err
		}
		var groups []Group
		for _, g := range gs {
			groups = append(groups, Group{Name: g.name, Components: g.components, Hosts: placement[g.name]})
		}
		id, err = m.provision(tx, cluster, st, groups, bp.Value("configurations"), template["configurations"])
		return err
	})
	return id, err
}

// Group is a group of hosts that run the same components: a blueprint's
// host group with its hosts, a Sahara node group with its instances.
type Group struct {
	Name       string
	Components []string
	Hosts      []string // registered hosts
}

// Provision creates a cluster of a stack version (NAME-VERSION) on
// registered hosts from groups of them, all in one transaction: the
// services and components the groups name, their host components, the
// configurations (the stack's defaults, then each list of {type:
// {properties}} given), and a request that installs and then starts
// everything, whose id it returns.
func (m *Manager) Provision(ctx context.Context, cluster, version string, groups []Group, configs ...any) (int64, error) {
	st, ok := m.stackFor(version)
	if !ok {
		return 0, m.notLoaded("version", version)
	}
	gs := make([]hostGroup, len(groups))
	for i, g := range groups {
		gs[i] = hostGroup{name: g.Name, components: g.Components}
	}
	if err := checkGroups(st, gs); err != nil {
		return 0, err
	}
	var id int64
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		var err error
		id, err = m.provision(tx, cluster, st, groups, configs...)
		return err
	})
	return id, err
}

// provision does Provision's work in a transaction.
func (m *Manager) provision(tx *resource.Tx, cluster string, st *Stack, groups []Group, configs ...any) (int64, error) {
	if _, err := tx.Create(Clusters, m.ns, tree("Clusters", "cluster_name", cluster, "version", st.id())); err != nil {
		return 0, err
	}
	work, _, err := m.place(tx, cluster, st, groups)
	if err != nil {
		return 0, err
	}
	if err := m.blueprintConfigs(tx, cluster, configs...); err != nil {
		return 0, err
	}
	return m.deploy(tx, cluster, work)
}

// Grow adds groups of registered hosts to a cluster, as Sahara scales one:
// the hosts join it, the services and components they name are added when
// the cluster lacks them (with their default configurations), and their
// host components are created; the request that installs and starts them
// is made, and its id returned. All in one transaction.
func (m *Manager) Grow(ctx context.Context, cluster string, groups []Group) (int64, error) {
	var id int64
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}}); err != nil {
			return err
		}
		st := m.txStack(tx, cluster)
		have, err := tx.Find(Components, m.ns, map[string]string{"ServiceComponentInfo/cluster_name": cluster}, nil)
		if err != nil {
			return err
		}
		gs := []hostGroup{{name: cluster}} // what the cluster has meets the groups' dependencies
		for _, c := range have {
			gs[0].components = append(gs[0].components, str(c.Value("ServiceComponentInfo/component_name")))
		}
		for _, g := range groups {
			gs = append(gs, hostGroup{name: g.Name, components: g.Components})
		}
		if err := checkGroups(st, gs); err != nil {
			return err
		}
		work, added, err := m.place(tx, cluster, st, groups)
		if err != nil {
			return err
		}
		for _, svc := range added {
			if err := m.missingDefaults(tx, cluster, svc); err != nil {
				return err
			}
		}
		id, err = m.deploy(tx, cluster, work)
		return err
	})
	return id, err
}

// place joins groups' hosts to a cluster and creates their host
// components, adding the services and components they need; it returns
// the installs to run and the services it added.
func (m *Manager) place(tx *resource.Tx, cluster string, st *Stack, groups []Group) ([]task, []string, error) {
	placement := map[string][]string{}
	var gs []hostGroup
	for _, g := range groups {
		for _, h := range g.Hosts {
			placement[h] = append(placement[h], g.Components...)
		}
		gs = append(gs, hostGroup{name: g.Name, components: g.Components})
	}
	for _, h := range slices.Sorted(maps.Keys(placement)) {
		if err := m.join(tx, tree("Hosts", "cluster_name", cluster, "host_name", h)); err != nil {
			return nil, nil, err
		}
	}
	added, err := m.deployServices(tx, cluster, st, gs)
	if err != nil {
		return nil, nil, err
	}
	var work []task
	for _, h := range slices.Sorted(maps.Keys(placement)) {
		for _, c := range placement[h] {
			if err := m.addHostComponent(tx, tree("HostRoles", "cluster_name", cluster, "host_name", h, "component_name", c), cluster, h, c); err != nil {
				return nil, nil, err
			}
			work = append(work, task{host: h, component: c, command: Install})
		}
	}
	return work, added, nil
}

// hostsOf maps a template's host groups onto hosts, by group: every group
// of the blueprint needs hosts, as many as its cardinality says.
func hostsOf(template map[string]any, gs []hostGroup) (map[string][]string, error) {
	given := map[string][]string{}
	list, _ := template["host_groups"].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		hosts, _ := m["hosts"].([]any)
		for _, h := range hosts {
			hm, _ := h.(map[string]any)
			if fqdn := str(hm["fqdn"]); fqdn != "" {
				given[str(m["name"])] = append(given[str(m["name"])], fqdn)
			}
		}
	}
	for _, g := range gs {
		hosts := given[g.name]
		if len(hosts) == 0 {
			return nil, resource.Errorf(resource.Invalid, "host_groups", "The host group %s of the blueprint has no hosts in the template.", g.name)
		}
		if want := count(g.cardinality, len(hosts)); g.cardinality != "" && !strings.HasSuffix(g.cardinality, "+") && want != len(hosts) {
			return nil, resource.Errorf(resource.Invalid, "host_groups", "The host group %s takes %s hosts, not %d.", g.name, g.cardinality, len(hosts))
		}
	}
	return given, nil
}

// deployServices adds the services and components host groups name that
// the cluster lacks, and returns the services it added.
func (m *Manager) deployServices(tx *resource.Tx, cluster string, st *Stack, gs []hostGroup) ([]string, error) {
	comps := map[string]bool{}
	for _, g := range gs {
		for _, c := range g.components {
			comps[c] = true
		}
	}
	var added []string
	for _, svc := range st.Services { // in stack order: required services first
		var mine []Component
		for _, c := range svc.Components {
			ref := resource.Ref{Namespace: m.ns, Type: Components, Keys: []string{cluster, svc.Name, c.Name}}
			if _, err := tx.Get(ref); comps[c.Name] && err != nil {
				mine = append(mine, c)
			}
		}
		if len(mine) == 0 {
			continue
		}
		if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Services, Keys: []string{cluster, svc.Name}}); err != nil {
			if _, err := m.addService(tx, tree("ServiceInfo", "cluster_name", cluster, "service_name", svc.Name), cluster, svc.Name); err != nil {
				return nil, err
			}
			added = append(added, svc.Name)
		}
		for _, c := range mine {
			if err := m.createComponent(tx, cluster, &svc, c); err != nil {
				return nil, err
			}
		}
	}
	return added, nil
}

// blueprintConfigs applies the configurations of a blueprint and then of
// a template, each a list of {type: {properties: {...}}} as Ambari writes
// them, over the stack's defaults of the cluster's services.
func (m *Manager) blueprintConfigs(tx *resource.Tx, cluster string, lists ...any) error {
	merged := map[string]map[string]string{}
	svcs, err := tx.Find(Services, m.ns, map[string]string{"ServiceInfo/cluster_name": cluster}, nil)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		if svc, ok := m.txStack(tx, cluster).Service(str(s.Value("ServiceInfo/service_name"))); ok {
			for typ, props := range svc.Configs {
				merged[typ] = maps.Clone(props)
			}
		}
	}
	for _, l := range lists {
		list, _ := l.([]any)
		for _, item := range list {
			entry, _ := item.(map[string]any)
			for typ, v := range entry {
				body, _ := v.(map[string]any)
				props, err := Strings(body["properties"], "configurations/"+typ+"/properties")
				if err != nil {
					return err
				}
				if merged[typ] == nil {
					merged[typ] = map[string]string{}
				}
				maps.Copy(merged[typ], props)
			}
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(merged)) {
		if err := m.applyConfig(tx, cluster, typ, "version1", merged[typ]); err != nil {
			return err
		}
	}
	return nil
}

// deploy makes the request that installs host components and then starts
// those that run: every install stage first, then every start stage.
func (m *Manager) deploy(tx *resource.Tx, cluster string, installs []task) (int64, error) {
	var starts []task
	st := m.txStack(tx, cluster)
	for _, t := range installs {
		desired := Started
		if c, _, ok := st.Component(t.component); ok && c.Category == Client {
			desired = Installed
		} else {
			starts = append(starts, task{host: t.host, component: t.component, command: Start})
		}
		ref := resource.Ref{Namespace: m.ns, Type: HostComponents, Keys: []string{cluster, t.host, t.component}}
		if _, err := tx.Put(ref, tree("HostRoles", "desired_state", desired.String())); err != nil {
			return 0, err
		}
		if _, svc, ok := st.Component(t.component); ok { // the component's desired state follows
			comp := resource.Ref{Namespace: m.ns, Type: Components, Keys: []string{cluster, svc.Name, t.component}}
			if _, err := tx.Put(comp, tree("ServiceComponentInfo", "state", desired.String())); err != nil {
				return 0, err
			}
		}
	}
	return m.createRequest(tx, cluster, fmt.Sprintf("Logical Request: Provision Cluster '%s'", cluster), installs, starts)
}

// Blueprint exports a cluster as a blueprint that can be posted back:
// one host group per set of hosts with the same components, and the
// cluster's desired configurations.
func (m *Manager) Blueprint(ctx context.Context, cluster string) (map[string]any, error) {
	hcs, err := m.store.List(ctx, resource.Query{Type: HostComponents, Namespace: m.ns, Instance: true,
		Scope: map[string]string{"HostRoles/cluster_name": cluster}})
	if err != nil {
		return nil, err
	}
	byHost := map[string][]string{}
	for _, hc := range hcs.Items {
		roles := category(hc, "HostRoles")
		byHost[str(roles["host_name"])] = append(byHost[str(roles["host_name"])], str(roles["component_name"]))
	}
	sets := map[string][]string{} // components, joined → hosts
	for _, h := range slices.Sorted(maps.Keys(byHost)) {
		comps := slices.Sorted(slices.Values(byHost[h]))
		key := strings.Join(comps, ",")
		sets[key] = append(sets[key], h)
	}
	var hostGroups []any
	for i, key := range slices.Sorted(maps.Keys(sets)) {
		var comps []any
		for _, c := range strings.Split(key, ",") {
			comps = append(comps, map[string]any{"name": c})
		}
		hostGroups = append(hostGroups, map[string]any{"name": fmt.Sprintf("host_group_%d", i+1),
			"cardinality": fmt.Sprint(len(sets[key])), "components": comps})
	}
	c, err := m.store.Get(ctx, resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}})
	if err != nil {
		return nil, err
	}
	desired, _ := c.Value("Clusters/desired_configs").(map[string]any)
	st := m.stackOfCluster(c, nil)
	var configs []any
	for _, typ := range slices.Sorted(maps.Keys(desired)) {
		tag := str(desired[typ].(map[string]any)["tag"])
		cfg, err := m.store.Get(ctx, resource.Ref{Namespace: m.ns, Type: Configurations, Keys: []string{cluster, typ + ":" + tag}})
		if err != nil {
			continue
		}
		configs = append(configs, map[string]any{typ: map[string]any{"properties": cfg.Value("properties")}})
	}
	return map[string]any{
		"Blueprints":     map[string]any{"stack_name": st.Name, "stack_version": st.Version},
		"host_groups":    hostGroups,
		"configurations": configs,
	}, nil
}
