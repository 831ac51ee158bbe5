package cluster

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ambitkit/ambit/resource"
)

// Create adds resources of one type of the manager's store from property
// trees as a client sends them, keys included, all or none, under the
// domain's rules: a cluster of the loaded stack, a host registered with
// its agent's facts, a registered host added to one cluster (one the
// server does not know is a 400, as in Ambari), a service of the stack whose required services are there (and
// its default configurations at once when a "configurations" key
// {type: {property: value}} overrides some), a host component of a component of
// a service in the cluster, a configuration with a type, a tag and string
// properties. A service comes alone, as in Ambari: its components are
// created one by one (or with its first host components), and the
// configurations nobody set are the stack's defaults when it is first
// installed. Read-only properties are the manager's to set: a body that
// gives one is a 400 naming it. Requests, stages and tasks are made by
// state changes and commands, never created directly. Types the domain
// does not own are created as they are.
func (m *Manager) Create(ctx context.Context, typ string, bodies ...map[string]any) error {
	t, ok := m.typ(typ)
	if !ok {
		return resource.Errorf(resource.NotFound, "", "No resource type %s.", typ)
	}
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		for i, body := range bodies {
			if err := m.create(tx, t, body); err != nil {
				return resource.ItemError(err, i, len(bodies))
			}
		}
		return nil
	})
}

func (m *Manager) create(tx *resource.Tx, t resource.Type, body map[string]any) error {
	if t.Collection == HostComponents { // clients may name the service; it must be the component's
		st := m.txStack(tx, str(resource.Get(body, "HostRoles/cluster_name")))
		if _, svc, ok := st.Component(str(resource.Get(body, "HostRoles/component_name"))); ok && resource.Get(body, "HostRoles/service_name") == svc.Name {
			delete(body["HostRoles"].(map[string]any), "service_name")
		}
	}
	if owned(t.Collection) && t.Collection != Configurations { // a configuration's are its content
		if ro := t.ReadOnlyIn(body); len(ro) > 0 {
			return resource.Errorf(resource.Invalid, ro[0], "The properties [%s] of a %s are set by the server, not by a request.", strings.Join(ro, ", "), t.Name)
		}
	}
	get := func(path string) string { return str(resource.Get(body, path)) }
	switch t.Collection {
	case Clusters:
		if v := resource.Get(body, "Clusters/version"); v == nil {
			resource.Set(body, "Clusters/version", m.stack.id())
		} else if _, ok := m.stackFor(str(v)); !ok {
			return m.notLoaded("Clusters/version", v)
		}
		_, err := tx.Create(Clusters, m.ns, body)
		return err
	case RegisteredHosts:
		return m.register(tx, body)
	case Hosts:
		return m.join(tx, body)
	case Services:
		overrides, err := configOverrides(body)
		if err != nil {
			return err
		}
		delete(body, "configurations")
		svc, err := m.addService(tx, body, get("ServiceInfo/cluster_name"), get("ServiceInfo/service_name"))
		if err != nil || overrides == nil {
			return err // the defaults come when the service is first installed
		}
		return m.defaultConfigs(tx, get("ServiceInfo/cluster_name"), svc, overrides)
	case Components:
		return m.addComponent(tx, body)
	case HostComponents:
		return m.addHostComponent(tx, body, get("HostRoles/cluster_name"), get("HostRoles/host_name"), get("HostRoles/component_name"))
	case Configurations:
		return m.createConfigBody(tx, body)
	case Requests, Stages, Tasks:
		return resource.Errorf(resource.Invalid, "", "%ss are made by changes of state and by commands: they cannot be created directly.", t.Name)
	case RepositoryVersions:
		return m.createRepositoryVersion(tx, body)
	case Blueprints:
		if _, _, err := m.checkBlueprint(body); err != nil {
			return err
		}
		_, err := tx.Create(Blueprints, m.ns, body)
		return err
	}
	if stackType(t.Collection) {
		return readOnlyStack()
	}
	if workloadType(t.Collection) {
		return readOnlyWorkload()
	}
	_, err := tx.Create(t.Collection, "", body)
	return err
}

// owned reports the types whose resources the manager creates with its
// own rules.
func owned(collection string) bool {
	switch collection {
	case RegisteredHosts, Clusters, Hosts, Services, Components, HostComponents, Configurations, Requests, Stages, Tasks:
		return true
	}
	return false
}

func (m *Manager) typ(collection string) (resource.Type, bool) {
	for _, t := range m.store.Types() {
		if t.Collection == collection {
			return t, true
		}
	}
	return resource.Type{}, false
}

// addComponent creates a component of a service in a cluster. AddService
// creates all of a service's components, so this succeeds only for a
// component of the service's stack definition that was removed; anything
// else is a 409 (there already) or a 400 (not the service's).
func (m *Manager) addComponent(tx *resource.Tx, body map[string]any) error {
	svc, _ := resource.Get(body, "ServiceComponentInfo/service_name").(string)
	name, _ := resource.Get(body, "ServiceComponentInfo/component_name").(string)
	st := m.txStack(tx, str(resource.Get(body, "ServiceComponentInfo/cluster_name")))
	c, s, ok := st.Component(name)
	if !ok || s.Name != svc {
		return resource.Errorf(resource.Invalid, "ServiceComponentInfo/component_name", "The component %s is not a component of the service %s in the stack %s.", name, svc, st.id())
	}
	resource.Set(body, "ServiceComponentInfo/category", string(c.Category))
	resource.Set(body, "ServiceComponentInfo/total_count", 0)
	_, err := tx.Create(Components, m.ns, body)
	return err
}

// createConfigBody creates a configuration from a client's body: type, tag
// and properties at the top level, as Ambari's clients send them.
func (m *Manager) createConfigBody(tx *resource.Tx, body map[string]any) error {
	cluster, _ := resource.Get(body, "Config/cluster_name").(string)
	typ, _ := body["type"].(string)
	tag, _ := body["tag"].(string)
	props, err := Strings(body["properties"], "properties")
	if err != nil {
		return err
	}
	for k := range body {
		switch k {
		case "Config", "type", "tag", "properties", "properties_attributes":
		default:
			return resource.Errorf(resource.Invalid, k, "The property %s is not supported for a configuration.", k)
		}
	}
	if props == nil {
		props = map[string]string{}
	}
	_, err = m.createConfig(tx, cluster, typ, tag, props)
	return err
}

// configOverrides reads a service body's "configurations": {type: {key:
// value}}.
func configOverrides(body map[string]any) (map[string]map[string]string, error) {
	v, ok := body["configurations"]
	if !ok || v == nil {
		return nil, nil
	}
	cfg, ok := v.(map[string]any)
	if !ok {
		return nil, resource.Errorf(resource.Invalid, "configurations", "configurations must be a JSON object of configuration types.")
	}
	out := map[string]map[string]string{}
	for typ, v := range cfg {
		props, err := Strings(v, "configurations/"+typ)
		if err != nil {
			return nil, err
		}
		out[typ] = props
	}
	return out, nil
}

// Strings reads a JSON object of configuration properties, whose values
// are strings as Ambari keeps them (numbers and booleans are taken as their
// text). nil stays nil; anything else is a 400 naming field.
func Strings(v any, field string) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, resource.Errorf(resource.Invalid, field, "%s must be a JSON object of strings.", field)
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		switch x := x.(type) {
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		case int:
			out[k] = strconv.Itoa(x)
		case bool:
			out[k] = strconv.FormatBool(x)
		default:
			return nil, resource.Errorf(resource.Invalid, field+"/"+k, "%s/%s must be a string.", field, k)
		}
	}
	return out, nil
}
