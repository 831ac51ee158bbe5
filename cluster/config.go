package cluster

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/ambitkit/ambit/resource"
)

// CreateConfig records a configuration of a cluster: a type (core-site), a
// tag naming the revision, and properties. A (type, tag) pair exists once
// and never changes: a duplicate is a 409. Versions count up per type. It
// returns the new version.
func (m *Manager) CreateConfig(ctx context.Context, cluster, typ, tag string, props map[string]string) (int, error) {
	var version int
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		var err error
		version, err = m.createConfig(tx, cluster, typ, tag, props)
		return err
	})
	return version, err
}

func (m *Manager) createConfig(tx *resource.Tx, cluster, typ, tag string, props map[string]string) (int, error) {
	if typ == "" || tag == "" {
		return 0, resource.Errorf(resource.Invalid, "", "A configuration needs a type and a tag.")
	}
	all, err := tx.Find(Configurations, m.ns, map[string]string{"Config/cluster_name": cluster}, nil)
	if err != nil {
		return 0, err
	}
	var existing int
	for _, c := range all {
		if t := c.Tree(); t["type"] == typ {
			existing++
			if t["tag"] == tag {
				return 0, resource.Errorf(resource.Conflict, "", "Configuration with tag '%s' exists for '%s'", tag, typ).Named("CONFIGURATION_EXISTS")
			}
		}
	}
	body := map[string]any{}
	for k, v := range props {
		body[k] = v
	}
	version := existing + 1
	_, err = tx.Create(Configurations, m.ns, map[string]any{
		"Config": map[string]any{"cluster_name": cluster, "id": typ + ":" + tag},
		"type":   typ, "tag": tag, "version": version, "properties": body,
	})
	return version, err
}

// ApplyConfig makes a configuration the cluster's desired one of its type:
// Clusters/desired_configs shows {type: {tag, version}}. With properties,
// it creates the configuration first, in the same transaction.
func (m *Manager) ApplyConfig(ctx context.Context, cluster, typ, tag string, props map[string]string) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		return m.applyConfig(tx, cluster, typ, tag, props)
	})
}

func (m *Manager) applyConfig(tx *resource.Tx, cluster, typ, tag string, props map[string]string) error {
	cfg, err := m.config(tx, cluster, typ, tag, props)
	if err != nil {
		return err
	}
	version, _ := cfg.Tree()["version"].(float64)
	return setDesired(tx, resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}}, "Clusters", typ,
		map[string]any{"tag": tag, "version": version})
}

// ApplyHostConfig overrides a configuration type on some hosts of a
// cluster, as PUT .../hosts {"Hosts": {"desired_config": {...}}} does: the
// hosts' Hosts/desired_configs show {type: {default: <the cluster's tag>,
// overrides: {<host name>: tag}}}. With properties, it creates the
// configuration first. The cluster must have a configuration of that type,
// which the override changes only for these hosts.
func (m *Manager) ApplyHostConfig(ctx context.Context, cluster string, hosts []string, typ, tag string, props map[string]string) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		if _, err := m.config(tx, cluster, typ, tag, props); err != nil {
			return err
		}
		c, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}})
		if err != nil {
			return err
		}
		current, _ := category(c.Tree(), "Clusters")["desired_configs"].(map[string]any)
		def, ok := current[typ].(map[string]any)
		if !ok {
			return resource.Errorf(resource.Invalid, "", "The cluster %s has no configuration of type %s for hosts to override.", cluster, typ)
		}
		for _, h := range hosts {
			entry := map[string]any{"default": def["tag"], "overrides": map[string]any{h: tag}}
			if err := setDesired(tx, resource.Ref{Namespace: m.ns, Type: Hosts, Keys: []string{cluster, h}}, "Hosts", typ, entry); err != nil {
				return err
			}
		}
		return nil
	})
}

// config returns the configuration (type, tag) of a cluster, creating it
// first when properties are given; a missing one is a 400.
func (m *Manager) config(tx *resource.Tx, cluster, typ, tag string, props map[string]string) (resource.Resource, error) {
	if props != nil {
		if _, err := m.createConfig(tx, cluster, typ, tag, props); err != nil {
			return resource.Resource{}, err
		}
	}
	cfg, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Configurations, Keys: []string{cluster, typ + ":" + tag}})
	if err != nil {
		return resource.Resource{}, resource.Errorf(resource.Invalid, "", "The configuration type '%s' with tag '%s' does not exist in the cluster %s.", typ, tag, cluster)
	}
	return cfg, nil
}

// setDesired sets the entry of a configuration type in the desired_configs
// of a cluster or a host (cat is its category).
func setDesired(tx *resource.Tx, ref resource.Ref, cat, typ string, entry map[string]any) error {
	r, err := tx.Get(ref)
	if err != nil {
		return err
	}
	desired := map[string]any{}
	if old, ok := category(r.Tree(), cat)["desired_configs"].(map[string]any); ok {
		maps.Copy(desired, old) // the stored map is shared: copy before changing
	}
	desired[typ] = entry
	_, err = tx.Put(ref, tree(cat, "desired_configs", desired))
	return err
}

// missingDefaults applies the default configuration of every type of a
// service that its cluster has no desired configuration of, when the
// service is first installed: as version1, or as default-<n> when a client
// took that tag without applying it.
func (m *Manager) missingDefaults(tx *resource.Tx, cluster, service string) error {
	svc, ok := m.txStack(tx, cluster).Service(service)
	if !ok {
		return nil
	}
	c, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}})
	if err != nil {
		return err
	}
	desired, _ := c.Value("Clusters/desired_configs").(map[string]any)
	for _, typ := range slices.Sorted(maps.Keys(svc.Configs)) {
		if _, ok := desired[typ]; ok {
			continue
		}
		tag := "version1"
		for n := 2; ; n++ {
			if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Configurations, Keys: []string{cluster, typ + ":" + tag}}); err != nil {
				break
			}
			tag = "default-" + strconv.Itoa(n)
		}
		if err := m.applyConfig(tx, cluster, typ, tag, maps.Clone(svc.Configs[typ])); err != nil {
			return err
		}
	}
	return nil
}

// defaultConfigs creates and applies a service's default configurations,
// with overrides, as version1 of each type.
func (m *Manager) defaultConfigs(tx *resource.Tx, cluster string, svc *Service, overrides map[string]map[string]string) error {
	for typ, defaults := range svc.Configs {
		props := maps.Clone(defaults)
		maps.Copy(props, overrides[typ])
		if err := m.applyConfig(tx, cluster, typ, "version1", props); err != nil {
			return err
		}
	}
	for typ := range overrides {
		if _, ok := svc.Configs[typ]; !ok {
			return resource.Errorf(resource.Invalid, "", "The service %s has no configuration type %s.", svc.Name, typ)
		}
	}
	return nil
}
