package openshift

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ambitkit/ambit/cluster"
	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// appNames are the broker's: letters and digits, up to 32.
var appNames = regexp.MustCompile(`^[A-Za-z0-9]{1,32}$`)

// app is an application: a cluster of the domain.
type app struct {
	name, domain string
	services     []string
	gears        []string
	state        string
	created      float64
}

// apps are a domain's applications.
func (f *face) apps(ctx context.Context, ns string) ([]app, error) {
	if f.mgr == nil {
		return nil, nil
	}
	clusters, err := f.listAll(ctx, cluster.Clusters, ns, nil)
	if err != nil {
		return nil, err
	}
	var out []app
	for _, cl := range clusters {
		name, _ := cl["Clusters"].(map[string]any)["cluster_name"].(string)
		a, err := f.app(ctx, ns, name)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// app reads one application from its cluster.
func (f *face) app(ctx context.Context, ns, name string) (app, error) {
	a := app{name: name, domain: ns}
	if _, err := f.store.Get(ctx, resource.Ref{Type: cluster.Clusters, Namespace: ns, Keys: []string{name}}); err != nil {
		return a, err
	}
	scope := map[string]string{"ServiceInfo/cluster_name": name}
	svcs, err := f.listAll(ctx, cluster.Services, ns, scope)
	if err != nil {
		return a, err
	}
	states := map[string]bool{}
	for _, s := range svcs {
		info := s["ServiceInfo"].(map[string]any)
		a.services = append(a.services, strings.ToLower(info["service_name"].(string)))
		st, _ := info["state"].(string)
		states[st] = true
	}
	a.state = appState(states)
	hosts, err := f.listAll(ctx, cluster.Hosts, ns, map[string]string{"Hosts/cluster_name": name})
	if err != nil {
		return a, err
	}
	for _, h := range hosts {
		a.gears = append(a.gears, h["Hosts"].(map[string]any)["host_name"].(string))
	}
	if reqs, err := f.listAll(ctx, cluster.Requests, ns, map[string]string{"Requests/cluster_name": name}); err == nil && len(reqs) > 0 {
		a.created, _ = reqs[0]["Requests"].(map[string]any)["create_time"].(float64)
	}
	return a, nil
}

// appState is the broker's state of an application from its services'.
func appState(states map[string]bool) string {
	switch {
	case len(states) == 1 && states["STARTED"]:
		return "started"
	case len(states) == 1 && states["INSTALLED"]:
		return "stopped"
	case states["STARTING"]:
		return "starting"
	case states["STOPPING"]:
		return "stopping"
	}
	return "building"
}

// view is an application as the broker shows it.
func (f *face) view(c *server.Call, a app) map[string]any {
	framework := ""
	if len(a.services) > 0 {
		framework = a.services[0]
	}
	created := any(nil)
	if a.created > 0 {
		created = time.UnixMilli(int64(a.created)).UTC().Format(time.RFC3339)
	}
	view := map[string]any{"id": appID(a.domain, a.name), "name": a.name, "domain_id": a.domain, "framework": framework,
		"cartridges": strs(a.services), "gear_count": len(a.gears), "gear_profile": "small", "scalable": len(a.gears) > 1,
		"state": a.state, "creation_time": created, "app_url": fmt.Sprintf("http://%s-%s.ambit.local/", a.name, a.domain)}
	return withLinks(view, f.links(c, "application", map[string]string{"domain": a.domain, "application": a.name}))
}

// appID is an application's id, across domains.
func appID(domain, name string) string { return domain + "-" + name }

func appNotFound(name, ns string) error {
	return apierr.NotFound("Application '%s' not found for domain '%s'", name, ns).WithName("APPLICATION_NOT_FOUND")
}

// named is the application a route names, in a domain the caller may see.
func (f *face) named(c *server.Call, write bool) (app, error) {
	ns, err := f.domain(c, write)
	if err != nil {
		return app{}, err
	}
	name := c.Param("application")
	a, err := f.app(c.Context(), ns, name)
	if err != nil {
		return app{}, appNotFound(name, ns)
	}
	return a, nil
}

func (f *face) listApplications(c *server.Call) (server.Result, error) {
	ns, err := f.domain(c, false)
	if err != nil {
		return server.Result{}, err
	}
	apps, err := f.apps(c.Context(), ns)
	if err != nil {
		return server.Result{}, err
	}
	out := []any{}
	for _, a := range apps {
		out = append(out, f.view(c, a))
	}
	return reply(c, http.StatusOK, "applications", out), nil
}

// allApplications answers GET /applications: those of every domain of the
// caller (1.5 on).
func (f *face) allApplications(c *server.Call) (server.Result, error) {
	domains, err := f.domains(c.Context(), c.User)
	if err != nil {
		return server.Result{}, err
	}
	out := []any{}
	for _, ns := range domains {
		apps, err := f.apps(c.Context(), ns)
		if err != nil {
			return server.Result{}, err
		}
		for _, a := range apps {
			out = append(out, f.view(c, a))
		}
	}
	return reply(c, http.StatusOK, "applications", out), nil
}

// applicationByID answers GET /application/{id}.
func (f *face) applicationByID(c *server.Call) (server.Result, error) {
	id := c.Param("id")
	domains, err := f.domains(c.Context(), c.User)
	if err != nil {
		return server.Result{}, err
	}
	for _, ns := range domains {
		if name, ok := strings.CutPrefix(id, ns+"-"); ok {
			if a, err := f.app(c.Context(), ns, name); err == nil {
				return reply(c, http.StatusOK, "application", f.view(c, a)), nil
			}
		}
	}
	return server.Result{}, apierr.NotFound("Application '%s' not found", id).WithName("APPLICATION_NOT_FOUND")
}

func (f *face) showApplication(c *server.Call) (server.Result, error) {
	a, err := f.named(c, false)
	if err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusOK, "application", f.view(c, a)), nil
}

// addApplication answers POST /domain/{d}/applications: a cluster of the
// domain with the cartridges' services, on one gear (two when scalable),
// which a request installs and starts.
func (f *face) addApplication(c *server.Call) (server.Result, error) {
	ns, err := f.domain(c, true)
	if err != nil {
		return server.Result{}, err
	}
	if f.mgr == nil {
		return server.Result{}, apierr.New(http.StatusServiceUnavailable, "This server runs no cluster manager: applications cannot be created.")
	}
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	name, _ := body["name"].(string)
	if !appNames.MatchString(name) {
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "Invalid name. Application names must only contain alphanumeric characters and be at most 32 characters long.").WithField("name", -1)
	}
	services, err := f.cartridgesOf(body)
	if err != nil {
		return server.Result{}, err
	}
	if size, ok := body["gear_size"].(string); ok && !slices.Contains(gearSizes, size) {
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "Invalid size: %s. Acceptable values are: %s.", size, strings.Join(gearSizes, ", ")).WithField("gear_size", -1)
	}
	if _, err := f.app(c.Context(), ns, name); err == nil {
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "The supplied application name '%s' already exists", name).WithField("name", -1)
	}
	gears := 1
	if body["scale"] == true || body["scale"] == "true" {
		gears = 2
	}
	m := f.mgr.In(ns)
	group := cluster.Group{Name: "gears"}
	for _, svc := range services {
		for _, comp := range svc.Components {
			group.Components = append(group.Components, comp.Name)
		}
	}
	var facts []map[string]any
	sim := cluster.NewSim()
	for i := 1; i <= gears; i++ {
		host := fmt.Sprintf("%s-%s-%d.gears.ambit.local", name, ns, i)
		group.Hosts = append(group.Hosts, host)
		facts = append(facts, sim.Facts(host))
	}
	if err := m.RegisterHosts(c.Context(), facts...); err != nil {
		return server.Result{}, err
	}
	st := m.Stack()
	id, err := m.Provision(c.Context(), name, st.Name+"-"+st.Version, []cluster.Group{group})
	if err != nil {
		return server.Result{}, err
	}
	href, err := f.run(c, m, name, id)
	if err != nil {
		return server.Result{}, err
	}
	a, err := f.app(c.Context(), ns, name)
	if err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusCreated, "application", f.view(c, a),
		"Application "+name+" was created.", "The request "+href+" installs and starts it."), nil
}

// cartridgesOf reads the cartridges of a create: cartridges as names or
// {name} objects, or the older cartridge.
func (f *face) cartridgesOf(body map[string]any) ([]cluster.Service, error) {
	var names []string
	switch v := body["cartridges"].(type) {
	case []any:
		for _, x := range v {
			switch c := x.(type) {
			case string:
				names = append(names, c)
			case map[string]any:
				n, _ := c["name"].(string)
				names = append(names, n)
			}
		}
	case string:
		names = strings.Split(v, ",")
	}
	if c, ok := body["cartridge"].(string); ok {
		names = append(names, c)
	}
	if len(names) == 0 {
		return nil, apierr.New(http.StatusUnprocessableEntity, "An application needs at least one cartridge.").WithField("cartridges", -1)
	}
	var out []cluster.Service
	for _, n := range names {
		svc, ok := f.service(n)
		if !ok {
			return nil, apierr.New(http.StatusUnprocessableEntity, "Invalid cartridge '%s' specified.", n).WithField("cartridges", -1)
		}
		out = append(out, *svc)
	}
	return out, nil
}

// run runs a request on the manager, at once when its tasks take no time,
// and returns its href on the Ambari face, where clients follow it.
func (f *face) run(c *server.Call, m *cluster.Manager, name string, id int64) (string, error) {
	if f.exec.Instant() {
		if err := m.Execute(c.Context(), name, id, f.exec); err != nil {
			return "", err
		}
	} else if err := m.Go(name, id, f.exec); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/api/v1/clusters/%s/requests/%d", strings.TrimSuffix(c.Base(), Prefix), name, id), nil
}

// event answers POST …/application/{a}/events: start, stop and restart
// are requests of the domain; the reply is the application in its
// transitional state, and a message naming the request.
func (f *face) event(c *server.Call) (server.Result, error) {
	a, err := f.named(c, true)
	if err != nil {
		return server.Result{}, err
	}
	body, err := readBody(c.Request)
	if err != nil {
		return server.Result{}, err
	}
	m := f.mgr.In(a.domain)
	var id int64
	switch ev, _ := body["event"].(string); ev {
	case "start":
		id, err = m.Drive(c.Context(), a.name, cluster.Started, nil, "Start application "+a.name)
	case "stop", "force-stop":
		id, err = m.Drive(c.Context(), a.name, cluster.Installed, nil, "Stop application "+a.name)
	case "restart":
		var filters []cluster.Filter
		for _, s := range a.services {
			filters = append(filters, cluster.Filter{Service: strings.ToUpper(s)})
		}
		id, err = m.RunCommand(c.Context(), a.name, cluster.Restart, filters, "Restart application "+a.name)
	default:
		return server.Result{}, apierr.New(http.StatusUnprocessableEntity, "Invalid event '%s': want start, stop or restart.", ev).WithField("event", -1)
	}
	if err != nil {
		return server.Result{}, err
	}
	msg := "Application " + a.name + " needs no " + body["event"].(string) + ": nothing to do."
	if id != 0 {
		href, err := f.run(c, m, a.name, id)
		if err != nil {
			return server.Result{}, err
		}
		msg = "The request " + href + " runs the " + body["event"].(string) + " of application " + a.name + "."
	}
	now, err := f.app(c.Context(), a.domain, a.name)
	if err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusOK, "application", f.view(c, now), msg), nil
}

// deleteApplication answers DELETE …/application/{a}: its requests are
// aborted, and its cluster and gears go.
func (f *face) deleteApplication(c *server.Call) (server.Result, error) {
	a, err := f.named(c, true)
	if err != nil {
		return server.Result{}, err
	}
	if err := f.mgr.In(a.domain).AbortUnfinished(c.Context(), a.name, "The application was deleted."); err != nil {
		return server.Result{}, err
	}
	err = f.store.Write(c.Context(), func(tx *resource.Tx) error {
		if err := tx.Delete(resource.Ref{Type: cluster.Clusters, Namespace: a.domain, Keys: []string{a.name}}); err != nil {
			return err
		}
		for _, g := range a.gears {
			if err := tx.Delete(resource.Ref{Type: cluster.RegisteredHosts, Namespace: a.domain, Keys: []string{g}}); err != nil && !resource.IsKind(err, resource.NotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return server.Result{}, err
	}
	return reply(c, http.StatusOK, "", nil, "Application "+a.name+" is deleted."), nil
}

// service is the stack's service a cartridge names, case aside.
func (f *face) service(name string) (*cluster.Service, bool) {
	if f.mgr == nil {
		return nil, false
	}
	return f.mgr.Stack().Service(strings.ToUpper(name))
}

// cartridgeNames are the cartridges clients may add: the stack's services.
func (f *face) cartridgeNames() []string {
	if f.mgr == nil {
		return nil
	}
	var out []string
	for _, s := range f.mgr.Stack().Services {
		out = append(out, strings.ToLower(s.Name))
	}
	return out
}

func (f *face) cartridgeView(s cluster.Service) map[string]any {
	st := f.mgr.Stack()
	return map[string]any{"name": strings.ToLower(s.Name), "display_name": s.Name, "type": "standalone",
		"version": st.Version, "description": fmt.Sprintf("%s of the %s stack.", s.Name, st.Name)}
}

// cartridges answers GET /cartridges: the stack's services.
func (f *face) cartridges(c *server.Call) (server.Result, error) {
	out := []any{}
	if f.mgr != nil {
		for _, s := range f.mgr.Stack().Services {
			out = append(out, f.cartridgeView(s))
		}
	}
	return reply(c, http.StatusOK, "cartridges", out), nil
}

func (f *face) cartridge(c *server.Call) (server.Result, error) {
	s, ok := f.service(c.Param("cartridge"))
	if !ok {
		return server.Result{}, apierr.NotFound("Cartridge '%s' not found", c.Param("cartridge"))
	}
	return reply(c, http.StatusOK, "cartridge", f.cartridgeView(*s)), nil
}
