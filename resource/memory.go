package resource

import (
	"errors"
	"maps"
	"slices"
	"sync"
)

// Memory is a backend in memory: a store opened again on it finds what
// the last one wrote, as it would in a file. It serves tests of what
// survives a restart, and Freeze of what survives a crash.
type Memory struct {
	mu      sync.Mutex
	records map[string]Change
	state   State
	frozen  bool
}

// ErrFrozen is the error of a commit to a frozen Memory.
var ErrFrozen = errors.New("resource: the backend is frozen")

// Freeze makes every later commit fail, as if the process that wrote had
// died: the next store opened on m sees only what came before.
func (m *Memory) Freeze() {
	m.mu.Lock()
	m.frozen = true
	m.mu.Unlock()
}

// Thaw accepts commits again, for the next store opened on m.
func (m *Memory) Thaw() {
	m.mu.Lock()
	m.frozen = false
	m.mu.Unlock()
}

// State implements Backend.
func (m *Memory) State() (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.state
	st.History = slices.Clone(st.History)
	return st, nil
}

// Scan implements Backend.
func (m *Memory) Scan(put func(Change) error) error {
	m.mu.Lock()
	records := slices.Collect(maps.Values(m.records))
	m.mu.Unlock()
	for _, c := range records {
		if err := put(c); err != nil {
			return err
		}
	}
	return nil
}

// Commit implements Backend.
func (m *Memory) Commit(cs *ChangeSet) func() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.frozen {
		return func() error { return ErrFrozen }
	}
	if m.records == nil {
		m.records = map[string]Change{}
	}
	for _, c := range cs.Changes {
		id := c.Ref.Type + "\x00" + string(c.Key)
		if c.Deleted {
			delete(m.records, id)
		} else {
			m.records[id] = Change{Ref: Ref{Type: c.Ref.Type}, Key: c.Key, Value: c.Value}
		}
	}
	m.state.Version = cs.Version
	if cs.Schema != nil {
		m.state.Schema = cs.Schema
	}
	return func() error { return nil }
}
