package cluster

import (
	"fmt"

	"github.com/ambitkit/ambit/resource"
)

// WithStacks loads more stacks beside NewManager's: a cluster runs the
// stack its Clusters/version names (NAME-VERSION); the first is the
// default.
func WithStacks(stacks ...*Stack) Option {
	return func(m *Manager) { m.stacks = append(m.stacks, stacks...) }
}

// Stacks returns the stacks the manager runs, the default first.
func (m *Manager) Stacks() []*Stack { return m.stacks }

// id names a stack as Clusters/version does: AMBIT-1.0.
func (s *Stack) id() string { return s.Name + "-" + s.Version }

// stackFor returns the loaded stack that a version (NAME-VERSION) names.
func (m *Manager) stackFor(version string) (*Stack, bool) {
	for _, s := range m.stacks {
		if s.id() == version {
			return s, true
		}
	}
	return nil, false
}

// notLoaded is the error of a stack version the manager does not run.
func (m *Manager) notLoaded(field string, v any) error {
	var ids []string
	for _, s := range m.stacks {
		ids = append(ids, s.id())
	}
	return resource.Errorf(resource.Invalid, field, "The stack version %v is not loaded: this server runs %s.", v, joinOr(ids))
}

func joinOr(ids []string) string {
	switch len(ids) {
	case 0:
		return "no stack"
	case 1:
		return ids[0]
	}
	out := ""
	for i, id := range ids {
		switch {
		case i == len(ids)-1:
			out += " or " + id
		case i > 0:
			out += ", " + id
		default:
			out = id
		}
	}
	return out
}

// txStack is the stack a cluster runs, as a transaction sees it: the
// default for a cluster that is not there (yet).
func (m *Manager) txStack(tx *resource.Tx, cluster string) *Stack {
	c, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}})
	return m.stackOfCluster(c, err)
}

// storeStack is the stack a cluster runs, read from the store.
func (m *Manager) storeStack(cluster string) *Stack {
	c, err := m.store.Get(m.base, resource.Ref{Namespace: m.ns, Type: Clusters, Keys: []string{cluster}})
	return m.stackOfCluster(c, err)
}

func (m *Manager) stackOfCluster(c resource.Resource, err error) *Stack {
	if err == nil {
		if s, ok := m.stackFor(str(c.Value("Clusters/version"))); ok {
			return s
		}
	}
	return m.stack
}

// checkStacks checks every stack, and that no two share a name and a
// version.
func checkStacks(stacks []*Stack) error {
	seen := map[string]bool{}
	for _, s := range stacks {
		if err := s.Check(); err != nil {
			return err
		}
		if seen[s.id()] {
			return fmt.Errorf("cluster: the stack %s is given twice", s.id())
		}
		seen[s.id()] = true
	}
	return nil
}
