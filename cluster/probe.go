package cluster

import (
	"context"

	"github.com/ambitkit/ambit/resource"
)

// Prober reports whether a component is running on a host, as Ambari's
// status commands do. The simulated and local drivers are probers.
type Prober interface {
	Running(host, component string) bool
}

// Probe brings the live state of a cluster's daemons in line with what a
// prober sees: a STARTED component that is not running (it crashed) drops
// to INSTALLED, and an INSTALLED or UNKNOWN one that is running is STARTED.
// As in Ambari, components in INIT or in the middle of an operation are
// left alone, and clients are never probed. It returns how many host
// components changed.
func (m *Manager) Probe(ctx context.Context, cluster string, p Prober) (int, error) {
	changed := 0
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		changed = 0
		hcs, err := tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": cluster}, nil)
		if err != nil {
			return err
		}
		for _, hc := range hcs {
			roles := hostRoles(hc)
			component := roles["component_name"].(string)
			if c, _, ok := m.storeStack(cluster).Component(component); !ok || c.Category == Client {
				continue
			}
			live, _ := ParseState(roles["state"].(string))
			if live != Started && live != Installed && live != Unknown {
				continue
			}
			now := Installed
			if p.Running(roles["host_name"].(string), component) {
				now = Started
			}
			if now == live {
				continue
			}
			if _, err := tx.Put(hc.Ref(), tree("HostRoles", "state", now.String())); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}
