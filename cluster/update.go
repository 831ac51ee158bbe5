package cluster

import (
	"context"

	"github.com/ambitkit/ambit/resource"
)

// Update merges one body into several resources of the manager's store,
// all or none, as a PUT on an instance or on the matches of a predicate
// does. The domain's rules apply: a cluster's version stays the loaded
// stack's; requests, stages and tasks change only by running or by Abort.
// States change through Drive, configurations through ApplyConfig, so the
// properties they set are read-only here.
//
// check, when not nil, is called with each resource before it changes: an
// error (a failed precondition) aborts the whole update.
func (m *Manager) Update(ctx context.Context, refs []resource.Ref, body map[string]any, check func(resource.Resource) error) error {
	return m.store.Write(ctx, func(tx *resource.Tx) error {
		for i, ref := range refs {
			if err := m.update(tx, ref, body, check); err != nil {
				return resource.ItemError(err, i, len(refs))
			}
		}
		return nil
	})
}

func (m *Manager) update(tx *resource.Tx, ref resource.Ref, body map[string]any, check func(resource.Resource) error) error {
	if check != nil {
		r, err := tx.Get(ref)
		if err != nil {
			return err
		}
		if err := check(r); err != nil {
			return err
		}
	}
	switch ref.Type {
	case Clusters:
		if v := resource.Get(body, "Clusters/version"); v != nil {
			if _, ok := m.stackFor(str(v)); !ok {
				return m.notLoaded("Clusters/version", v)
			}
		}
	case Workflows, Jobs, TaskAttempts:
		return readOnlyWorkload()
	case Blueprints:
		return resource.Errorf(resource.Invalid, "", "A blueprint does not change: delete it and post it again.")
	case Stacks, StackVersions, StackServices, StackComponents, StackConfigurations:
		return readOnlyStack()
	case Requests, Stages, Tasks:
		return resource.Errorf(resource.Invalid, "Requests/request_status", "Requests change only by running: the one change a request takes is "+
			"Requests/request_status=ABORTED with a Requests/abort_reason.")
	}
	_, err := tx.Update(ref, body, 0)
	return err
}

// Change is a change of state of services, components and host
// components of one cluster, named by reference: the form a PUT of a state
// on their instances, or on the matches of a predicate, takes.
type Change struct {
	Cluster string
	Target  State
	// Refs are services, components and host components of the cluster.
	Refs []resource.Ref
	// Context is the request's context, as clients show it.
	Context string
	// Check, when not nil, is called with each of Refs first: an error (a
	// failed precondition) aborts the change.
	Check func(resource.Resource) error
	// Explicit changes what Refs name even when it is in maintenance, as a
	// PUT on an instance does in Ambari; a bulk change (a predicate's
	// matches) leaves what is in maintenance alone.
	Explicit bool
}

// Change applies a change of state as Drive does, to what it names. It
// returns the new request's id, or 0 when nothing needs doing.
func (m *Manager) Change(ctx context.Context, c Change) (int64, error) {
	if len(c.Refs) == 0 {
		return 0, nil
	}
	return m.drive(ctx, c.Cluster, c.Target, c.Context, !c.Explicit, func(tx *resource.Tx) ([]resource.Resource, error) {
		services, components, hostComponents := map[string]bool{}, map[[2]string]bool{}, map[[2]string]bool{}
		for _, ref := range c.Refs {
			r, err := tx.Get(ref)
			if err != nil {
				return nil, err
			}
			if c.Check != nil {
				if err := c.Check(r); err != nil {
					return nil, err
				}
			}
			switch ref.Type {
			case Services:
				services[ref.Keys[1]] = true
			case Components:
				components[[2]string{ref.Keys[1], ref.Keys[2]}] = true
			case HostComponents:
				hostComponents[[2]string{ref.Keys[1], ref.Keys[2]}] = true
			default:
				return nil, resource.Errorf(resource.Invalid, "", "A %s has no state to change.", ref.Type)
			}
		}
		all, err := tx.Find(HostComponents, m.ns, map[string]string{"HostRoles/cluster_name": c.Cluster}, nil)
		if err != nil {
			return nil, err
		}
		var out []resource.Resource
		for _, hc := range all {
			svc, comp, host := str(hc.Value("HostRoles/service_name")), str(hc.Value("HostRoles/component_name")), str(hc.Value("HostRoles/host_name"))
			if services[svc] || components[[2]string{svc, comp}] || hostComponents[[2]string{host, comp}] {
				out = append(out, hc)
			}
		}
		return out, nil
	})
}
