package cluster

import (
	"context"

	"github.com/ambitkit/ambit/resource"
)

// Launch starts host components from wherever they stand, in one request
// of two phases: those never installed (INIT, INSTALL_FAILED) are
// installed first, then every daemon among them that is not started yet
// is started (clients end INSTALLED). It returns 0 when nothing needs
// doing, and a 409 for a host component in transition.
func (m *Manager) Launch(ctx context.Context, cluster string, refs []resource.Ref, context string) (int64, error) {
	var id int64
	err := m.store.Write(ctx, func(tx *resource.Tx) error {
		st := m.txStack(tx, cluster)
		var installs, starts []task
		for _, ref := range refs {
			hc, err := tx.Get(ref)
			if err != nil {
				return err
			}
			host, comp := str(hc.Value("HostRoles/host_name")), str(hc.Value("HostRoles/component_name"))
			c, _, _ := st.Component(comp)
			daemon := c.Category != Client
			state, _ := ParseState(str(hc.Value("HostRoles/state")))
			switch state {
			case Init, InstallFailed:
				installs = append(installs, task{host: host, component: comp, command: Install})
			case Installed:
			case Started:
				continue
			default:
				return resource.Errorf(resource.Conflict, "HostRoles/state", "Cannot start %s on %s: it is %s.", comp, host, state).Named("ILLEGAL_TRANSITION")
			}
			desired := Installed
			if daemon {
				desired = Started
				starts = append(starts, task{host: host, component: comp, command: Start})
			}
			if _, err := tx.Put(ref, tree("HostRoles", "desired_state", desired.String())); err != nil {
				return err
			}
		}
		if len(installs)+len(starts) == 0 {
			return nil
		}
		var err error
		id, err = m.createRequest(tx, cluster, context, installs, starts)
		return err
	})
	return id, err
}
