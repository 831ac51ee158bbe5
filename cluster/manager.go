package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
)

// Manager runs clusters: it holds the domain's resources in a store and
// turns state changes into requests of ordered stages of tasks. A manager
// works in one namespace of its store (resource.Default, unless it is the
// view In returns); every view shares the store, the stacks and the
// executions.
type Manager struct {
	*core
	ns string
}

// core is what every namespace's view of a manager shares.
type core struct {
	store  *resource.Store
	stack  *Stack          // the default stack
	stacks []*Stack        // every stack, the default first
	extra  []resource.Type // the types of faces, beside the domain's
	now    func() time.Time
	ids    map[string]*counters // by namespace/cluster, used under the store's write lock

	mu      sync.Mutex
	running map[string]context.CancelFunc // executing requests, by namespace/cluster/id
	closed  bool                          // Close was called: Go refuses
	sampled map[string]time.Time          // the last sample of each cluster's workload

	metrics *metrics
	log     *slog.Logger
	backend resource.Backend // nil: the store is in memory only
	open    func(types ...resource.Type) (*resource.Store, error)

	// With an election, the manager runs requests only while it leads.
	elected bool
	leading atomic.Bool

	// What Go starts: base ends with Close; slots bound how many run.
	base   context.Context
	cancel context.CancelFunc
	slots  chan struct{}
	wg     sync.WaitGroup
}

// counters hand out request and task ids within a cluster.
type counters struct{ request, task int64 }

// NewManager returns a manager of clusters of stack. now tells the time
// (nil for time.Now): tests pass a fake clock. A manager that runs
// requests with Go must be closed with Close.
func NewManager(stack *Stack, now func() time.Time, opts ...Option) (*Manager, error) {
	if now == nil {
		now = time.Now
	}
	m := &Manager{ns: resource.Default, core: &core{stack: stack, stacks: []*Stack{stack}, now: now, ids: map[string]*counters{}, running: map[string]context.CancelFunc{},
		sampled: map[string]time.Time{}, metrics: &metrics{series: map[string]*series{}}, log: slog.Default(), slots: make(chan struct{}, 8)}}
	for _, o := range opts {
		o(m)
	}
	if err := checkStacks(m.stacks); err != nil {
		return nil, err
	}
	m.base, m.cancel = context.WithCancel(context.Background())
	types := append(allTypes(m.metrics.points), m.extra...)
	s, err := resource.New(types...)
	switch {
	case m.open != nil:
		s, err = m.open(types...)
	case m.backend != nil:
		s, err = resource.Open(m.backend, types...)
	}
	if err != nil {
		return nil, err
	}
	m.store = s
	for _, st := range m.stacks {
		if err := s.Write(context.Background(), func(tx *resource.Tx) error { return m.loadStack(tx, st) }); err != nil {
			return nil, fmt.Errorf("cluster: loading the stack %s: %w", st.id(), err)
		}
	}
	return m, nil
}

// In returns the manager's view of a namespace: its clusters, hosts,
// blueprints and requests are that namespace's (a Sahara project's, say),
// on the same store, stacks and executions.
func (m *Manager) In(ns string) *Manager {
	if ns == "" {
		ns = resource.Default
	}
	return &Manager{core: m.core, ns: ns}
}

// Namespace is the namespace the manager works in.
func (m *Manager) Namespace() string { return m.ns }

// key names a cluster across namespaces, for the maps the views share.
func (m *Manager) key(cluster string) string { return m.ns + "/" + cluster }

// Store returns the store of the manager's resources, for listing them.
func (m *Manager) Store() *resource.Store { return m.store }

func (m *Manager) millis() float64 { return float64(m.now().UnixMilli()) }

// CreateCluster creates a cluster of the manager's stack.
func (m *Manager) CreateCluster(ctx context.Context, name string) error {
	return m.Create(ctx, Clusters, tree("Clusters", "cluster_name", name))
}

// RegisterHosts registers hosts with the server, as their agents do: each
// body is a Hosts tree of the facts an agent reports (host_name, cpu_count,
// os_type, ...). A registered host can then be added to a cluster.
func (m *Manager) RegisterHosts(ctx context.Context, hosts ...map[string]any) error {
	return m.Create(ctx, RegisteredHosts, hosts...)
}

// AddHosts registers hosts that are not registered yet and adds them to a
// cluster, as an agent that registers and joins would: each body is a
// Hosts tree of facts without the cluster name.
func (m *Manager) AddHosts(ctx context.Context, cluster string, hosts ...map[string]any) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		for i, h := range hosts {
			facts := map[string]any{}
			if hs, ok := h["Hosts"].(map[string]any); ok {
				for k, v := range hs {
					facts[k] = v
				}
			}
			name := str(facts["host_name"])
			if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: RegisteredHosts, Keys: []string{name}}); err != nil {
				if err := m.register(tx, map[string]any{"Hosts": maps.Clone(facts)}); err != nil {
					return resource.ItemError(err, i, len(hosts))
				}
			}
			facts["cluster_name"] = cluster
			if err := m.join(tx, map[string]any{"Hosts": facts}); err != nil {
				return resource.ItemError(err, i, len(hosts))
			}
		}
		return nil
	})
}

// register records a host with its facts.
func (m *Manager) register(tx *resource.Tx, body map[string]any) error {
	if resource.Get(body, "Hosts/last_registration_time") == nil {
		resource.Set(body, "Hosts/last_registration_time", m.millis())
	}
	_, err := tx.Create(RegisteredHosts, m.ns, body)
	return err
}

// join adds a registered host to a cluster: the cluster's host starts from
// the registered facts, which the body may override (rack_info, say).
func (m *Manager) join(tx *resource.Tx, body map[string]any) error {
	name, cluster := str(resource.Get(body, "Hosts/host_name")), str(resource.Get(body, "Hosts/cluster_name"))
	reg, err := tx.Get(resource.Ref{Namespace: m.ns, Type: RegisteredHosts, Keys: []string{name}})
	if err != nil {
		return resource.Errorf(resource.Invalid, "Hosts/host_name",
			"Attempted to add unknown hosts to a cluster. These hosts have not been registered with the server: %s", name).Named("HOST_NOT_REGISTERED")
	}
	if in := str(reg.Value("Hosts/cluster_name")); in != "" && in != cluster {
		return resource.Errorf(resource.Conflict, "Hosts/host_name", "The host %s belongs to the cluster %s already.", name, in)
	}
	facts := category(reg.Tree(), "Hosts")
	delete(facts, "cluster_name")
	for k, v := range category(body, "Hosts") {
		facts[k] = v
	}
	if _, err := tx.Create(Hosts, m.ns, map[string]any{"Hosts": facts}); err != nil {
		return err
	}
	_, err = tx.Put(reg.Ref(), tree("Hosts", "cluster_name", cluster))
	return err
}

// AddService adds a service of the stack to a cluster, with all its
// components, and creates and applies its default configurations with
// the given overrides (by type, then property; nil for none): the whole
// service in one call, for Go programs. The services it requires must be
// there already. (A client of the API creates the service, then each
// component, as Ambari's do; see Create.)
func (m *Manager) AddService(ctx context.Context, cluster, service string, overrides map[string]map[string]string) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		svc, err := m.addService(tx, tree("ServiceInfo", "cluster_name", cluster, "service_name", service), cluster, service)
		if err != nil {
			return err
		}
		for _, c := range svc.Components {
			if err := m.createComponent(tx, cluster, svc, c); err != nil {
				return err
			}
		}
		return m.defaultConfigs(tx, cluster, svc, overrides)
	})
}

// createComponent creates a component of a service, in state INIT.
func (m *Manager) createComponent(tx *resource.Tx, cluster string, svc *Service, c Component) error {
	_, err := tx.Create(Components, m.ns, tree("ServiceComponentInfo", "cluster_name", cluster, "service_name", svc.Name,
		"component_name", c.Name, "category", string(c.Category), "total_count", 0))
	return err
}

// addService creates a service alone from its body (which may set its
// other properties, such as maintenance_state).
func (m *Manager) addService(tx *resource.Tx, body map[string]any, cluster, service string) (*Service, error) {
	st := m.txStack(tx, cluster)
	svc, ok := st.Service(service)
	if !ok {
		return nil, resource.Errorf(resource.Invalid, "ServiceInfo/service_name", "The service %s is not in the stack %s.", service, st.id())
	}
	if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}}); err != nil {
		return nil, err
	}
	for _, req := range svc.Requires {
		if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Services, Keys: []string{cluster, req}}); err != nil {
			return nil, resource.Errorf(resource.Invalid, "ServiceInfo/service_name", "The service %s needs the service %s in the cluster %s first.", service, req, cluster)
		}
	}
	_, err := tx.Create(Services, m.ns, body)
	return svc, err
}

// AddHostComponent places a component of a service in the cluster on a
// host, in state INIT.
func (m *Manager) AddHostComponent(ctx context.Context, cluster, host, component string) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		body := tree("HostRoles", "cluster_name", cluster, "host_name", host, "component_name", component)
		return m.addHostComponent(tx, body, cluster, host, component)
	})
}

// addHostComponent creates a host component from its body, with the
// service the stack says the component belongs to.
func (m *Manager) addHostComponent(tx *resource.Tx, body map[string]any, cluster, host, component string) error {
	st := m.txStack(tx, cluster)
	_, svc, ok := st.Component(component)
	if !ok {
		return resource.Errorf(resource.Invalid, "HostRoles/component_name", "The component %s is not in the stack %s.", component, st.id())
	}
	if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Services, Keys: []string{cluster, svc.Name}}); err != nil {
		return resource.Errorf(resource.Invalid, "HostRoles/component_name", "The service %s of the component %s is not in the cluster %s.", svc.Name, component, cluster)
	}
	compRef := resource.Ref{Namespace: m.ns, Type: Components, Keys: []string{cluster, svc.Name, component}}
	comp, err := tx.Get(compRef)
	if err != nil { // a client that places a component it did not create first
		c, _, _ := st.Component(component)
		if err := m.createComponent(tx, cluster, svc, *c); err != nil {
			return err
		}
		if comp, err = tx.Get(compRef); err != nil {
			return err
		}
	}
	resource.Set(body, "HostRoles/service_name", svc.Name)
	if _, err := tx.Create(HostComponents, m.ns, body); err != nil {
		return err
	}
	total, _ := comp.Value("ServiceComponentInfo/total_count").(float64)
	_, err = tx.Put(compRef, tree("ServiceComponentInfo", "total_count", total+1))
	return err
}

// Drive moves the host components of a cluster that match a predicate (nil
// for all) to a target state, as a PUT of a state on services, components
// or host components does in Ambari: it validates every change, sets the
// desired states, and plans one task per host component that needs a
// command, in stages that follow the stack's role command order. It
// returns the new request's id, or 0 when nothing needs doing (the API
// answers 200 then). Host components in maintenance are left alone.
//
// A change a host component cannot make is a 400 naming it and both
// states, and nothing changes.
func (m *Manager) Drive(ctx context.Context, cluster string, target State, pred query.Expr, context string) (int64, error) {
	return m.drive(ctx, cluster, target, context, true, func(tx *resource.Tx) ([]resource.Resource, error) {
		return tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": cluster}, pred)
	})
}

// drive moves the host components that find selects, as Drive does,
// leaving those in maintenance alone when skipMaintenance is set.
func (m *Manager) drive(ctx context.Context, cluster string, target State, context string, skipMaintenance bool, find func(tx *resource.Tx) ([]resource.Resource, error)) (int64, error) {
	if !ValidDesired(target) {
		return 0, resource.Errorf(resource.Invalid, "", "%s is not a state a component can be asked to reach.", target)
	}
	var id int64
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		hcs, err := find(tx)
		if err != nil {
			return err
		}
		var work []task
		maint := maintenance{tx: tx, ns: m.ns, cluster: cluster, cache: map[string]bool{}}
		components := map[[2]string]bool{}
		for _, hc := range hcs {
			roles := hostRoles(hc)
			if skipMaintenance && maint.on(roles) {
				continue
			}
			components[[2]string{str(roles["service_name"]), str(roles["component_name"])}] = true
			t, err := m.planHostComponent(tx, hc.Ref(), roles, target)
			if err != nil {
				return err
			}
			if t != nil {
				work = append(work, *t)
			}
		}
		services := map[string]bool{}
		for c := range components { // the components' desired state follows
			ref := resource.Ref{Namespace: m.ns, Type: Components, Keys: []string{cluster, c[0], c[1]}}
			if _, err := tx.Put(ref, tree("ServiceComponentInfo", "state", target.String())); err != nil {
				return err
			}
			services[c[0]] = true
		}
		if len(work) > 0 && (target == Installed || target == Started) {
			for _, svc := range slices.Sorted(maps.Keys(services)) {
				if err := m.missingDefaults(tx, cluster, svc); err != nil {
					return err
				}
			}
		}
		if len(work) == 0 {
			return nil
		}
		id, err = m.createRequest(tx, cluster, context, work)
		return err
	})
	return id, err
}

// maintenance tells whether a host component is in maintenance: itself, its
// host or its service. Bulk operations leave such host components alone,
// as Ambari does.
type maintenance struct {
	tx      *resource.Tx
	ns      string
	cluster string
	cache   map[string]bool // by type/name
}

func (mt maintenance) on(roles map[string]any) bool {
	return roles["maintenance_state"] == "ON" ||
		mt.of(Hosts, "Hosts", str(roles["host_name"])) ||
		mt.of(Services, "ServiceInfo", str(roles["service_name"]))
}

func (mt maintenance) of(typ, cat, name string) bool {
	key := typ + "/" + name
	if on, ok := mt.cache[key]; ok {
		return on
	}
	r, err := mt.tx.Get(resource.Ref{Namespace: mt.ns, Type: typ, Keys: []string{mt.cluster, name}})
	on := err == nil && r.Value(cat+"/maintenance_state") == "ON"
	mt.cache[key] = on
	return on
}

// task is a planned task: a command for a host component.
type task struct {
	host, component string
	command         Command
}

// planHostComponent validates one host component's change, records its
// desired state and returns the task it needs, if any.
func (m *Manager) planHostComponent(tx *resource.Tx, ref resource.Ref, roles map[string]any, target State) (*task, error) {
	host, component := str(roles["host_name"]), str(roles["component_name"])
	live, err := ParseState(str(roles["state"]))
	if err != nil {
		return nil, err
	}
	cat := Slave
	if c, _, ok := m.txStack(tx, ref.Keys[0]).Component(component); ok {
		cat = c.Category
	}
	p, err := planFor(live, target, cat)
	if err != nil {
		e := resource.Errorf(resource.Invalid, "HostRoles/state", "Invalid transition for host component %s on host %s: %v.", component, host, err).Named("ILLEGAL_TRANSITION")
		e.Type, e.Keys, e.From, e.To = "HostComponent", []resource.KeyValue{{Path: "HostRoles/host_name", Value: host}, {Path: "HostRoles/component_name", Value: component}}, live.String(), target.String()
		return nil, e
	}
	change := map[string]any{"desired_state": target.String()}
	if p.direct {
		change["state"] = target.String()
	}
	if _, err := tx.Put(ref, map[string]any{"HostRoles": change}); err != nil {
		return nil, err
	}
	if p.command == "" {
		return nil, nil
	}
	return &task{host: host, component: component, command: p.command}, nil
}

// lastIDs are the ids a cluster's latest request and task took, so that a
// server that reopens its store goes on from them: ids increase with
// requests, and the latest request is never purged (see Purge).
func (m *Manager) lastIDs(tx *resource.Tx, cluster string) (*counters, error) {
	ids := &counters{}
	reqs, err := tx.Find(Requests, m.ns, map[string]string{"Requests/cluster_name": cluster}, nil)
	if err != nil || len(reqs) == 0 {
		return ids, err
	}
	last := reqs[len(reqs)-1]
	ids.request = int64(num64(last.Value("Requests/id")))
	tasks, err := tx.Find(Tasks, m.ns, map[string]string{"Tasks/cluster_name": cluster, "Tasks/request_id": strconv.FormatInt(ids.request, 10)}, nil)
	for _, t := range tasks {
		ids.task = max(ids.task, int64(num64(t.Value("Tasks/id"))))
	}
	return ids, err
}

// createRequest records a request with its stages and tasks, all PENDING.
// Each phase's stages follow the stack's role command order; a phase
// starts when the one before has ended (a deployment installs everything,
// then starts it).
func (m *Manager) createRequest(tx *resource.Tx, cluster, context string, phases ...[]task) (int64, error) {
	key, err := m.idempotent(tx)
	if err != nil {
		return 0, err
	}
	ids := m.ids[m.key(cluster)]
	if ids == nil || m.store.Replica() { // other servers make requests too: read the last ids each time
		if ids, err = m.lastIDs(tx, cluster); err != nil {
			return 0, err
		}
		m.ids[m.key(cluster)] = ids
	}
	ids.request++
	reqID := ids.request
	req := strconv.FormatInt(reqID, 10)
	total := 0
	for _, work := range phases {
		total += len(work)
	}
	body := tree("Requests", "cluster_name", cluster, "id", reqID, "request_context", context, "task_count", total, "create_time", m.millis())
	if key != "" {
		category(body, "Requests")["idempotency_key"] = key
	}
	if _, err := tx.Create(Requests, m.ns, body); err != nil {
		return 0, err
	}
	stageID := 0
	for _, work := range phases {
		var roleCommands []string
		for _, t := range work {
			if rc := RoleCommand(t.component, t.command); !slices.Contains(roleCommands, rc) {
				roleCommands = append(roleCommands, rc)
			}
		}
		for _, stage := range m.txStack(tx, cluster).Stages(roleCommands) {
			if _, err := tx.Create(Stages, m.ns, tree("Stage", "cluster_name", cluster, "request_id", reqID,
				"stage_id", stageID, "context", context)); err != nil {
				return 0, err
			}
			for _, t := range work {
				if !slices.Contains(stage, RoleCommand(t.component, t.command)) {
					continue
				}
				ids.task++
				if _, err := tx.Create(Tasks, m.ns, tree("Tasks", "cluster_name", cluster, "request_id", req, "id", ids.task,
					"stage_id", stageID, "host_name", t.host, "role", t.component, "command", string(t.command),
					"command_detail", fmt.Sprintf("%s %s", t.component, t.command))); err != nil {
					return 0, err
				}
			}
			stageID++
		}
	}
	return reqID, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// hostRoles reads the HostRoles properties the manager uses, without
// rendering the host component's whole tree.
func hostRoles(hc resource.Resource) map[string]any {
	roles := make(map[string]any, 6)
	for _, p := range []string{"host_name", "component_name", "service_name", "state", "desired_state", "maintenance_state"} {
		roles[p] = hc.Value("HostRoles/" + p)
	}
	return roles
}

// tree builds {category: {k1: v1, ...}}.
func tree(cat string, kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return map[string]any{cat: m}
}

// category returns one category of a property tree.
func category(t map[string]any, name string) map[string]any {
	m, _ := t[name].(map[string]any)
	return m
}
