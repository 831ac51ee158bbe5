package cluster

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Stack is a catalog of services and their components, with the order in
// which role commands must run (Ambari's role_command_order.json) and each
// service's default configuration.
type Stack struct {
	Name     string    `json:"name"`
	Version  string    `json:"version"`
	Services []Service `json:"services"`
	// Order maps a role command ("KAFKA_BROKER-START") to the role commands
	// that must finish before it ("ZOOKEEPER_SERVER-START").
	Order map[string][]string `json:"role_command_order"`
	// Idempotent names the commands that may run again: a task of one
	// that a server's crash interrupted is run again when the server
	// restarts, instead of failing (see Manager.Recover).
	Idempotent []Command `json:"idempotent_commands,omitempty"`
}

// Service is a service of a stack.
type Service struct {
	Name       string      `json:"name"`
	Components []Component `json:"components"`
	// Requires names the services that must be in a cluster before this
	// one is added.
	Requires []string `json:"requires,omitempty"`
	// Configs are the default configurations, by type: a create request
	// may override any property.
	Configs map[string]map[string]string `json:"configurations,omitempty"`
}

// Component is a component of a service.
type Component struct {
	Name     string   `json:"name"`
	Category Category `json:"category"`
	// Cardinality hints how many hosts run it: "1", "1+", "0+", "1-2".
	Cardinality string `json:"cardinality,omitempty"`
	// Commands are the command lines the local exec driver runs, by
	// command (INSTALL, START, STOP) and STATUS.
	Commands map[string]string `json:"commands,omitempty"`
	// Dependencies name the components that must be in a cluster that
	// has this one (a DataNode needs a NameNode somewhere).
	Dependencies []string `json:"dependencies,omitempty"`
}

// RoleCommand names a component's command, as role_command_order does.
func RoleCommand(component string, c Command) string { return component + "-" + string(c) }

// LoadStack reads a stack definition in JSON and checks it.
func LoadStack(r io.Reader) (*Stack, error) {
	var s Stack
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("cluster: reading a stack: %w", err)
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Check reports the first problem of a stack: a duplicate service or
// component, a bad category, an unknown required service, or an order that
// names unknown components.
func (s *Stack) Check() error {
	services, components := map[string]bool{}, map[string]bool{}
	for _, svc := range s.Services {
		if svc.Name == "" || services[svc.Name] {
			return fmt.Errorf("cluster: stack %s: service %q is empty or declared twice", s.Name, svc.Name)
		}
		services[svc.Name] = true
		for _, c := range svc.Components {
			if c.Name == "" || components[c.Name] {
				return fmt.Errorf("cluster: stack %s: component %q is empty or declared twice", s.Name, c.Name)
			}
			components[c.Name] = true
			if c.Category != Master && c.Category != Slave && c.Category != Client {
				return fmt.Errorf("cluster: stack %s: component %s has category %q, want MASTER, SLAVE or CLIENT", s.Name, c.Name, c.Category)
			}
		}
	}
	for _, svc := range s.Services {
		for _, req := range svc.Requires {
			if !services[req] {
				return fmt.Errorf("cluster: stack %s: service %s requires unknown service %s", s.Name, svc.Name, req)
			}
		}
	}
	for blocked, blockers := range s.Order {
		for _, rc := range append([]string{blocked}, blockers...) {
			comp, _, ok := strings.Cut(rc, "-")
			if !ok || !components[comp] {
				return fmt.Errorf("cluster: stack %s: role command order names %q, not COMPONENT-COMMAND of a known component", s.Name, rc)
			}
		}
	}
	return nil
}

// Service returns the service called name.
func (s *Stack) Service(name string) (*Service, bool) {
	i := slices.IndexFunc(s.Services, func(svc Service) bool { return svc.Name == name })
	if i < 0 {
		return nil, false
	}
	return &s.Services[i], true
}

// Component returns the component called name and the service it belongs
// to.
func (s *Stack) Component(name string) (*Component, *Service, bool) {
	for i := range s.Services {
		svc := &s.Services[i]
		for j := range svc.Components {
			if svc.Components[j].Name == name {
				return &svc.Components[j], svc, true
			}
		}
	}
	return nil, nil, false
}

// Stages groups role commands into ordered stages: a role command runs in a
// stage after every stage holding a role command it waits for. Role
// commands that wait on each other in a cycle share the last stage.
func (s *Stack) Stages(roleCommands []string) [][]string {
	pending := map[string]bool{}
	for _, rc := range roleCommands {
		pending[rc] = true
	}
	var stages [][]string
	for len(pending) > 0 {
		var ready []string
		for rc := range pending {
			blocked := false
			for _, before := range s.Order[rc] {
				blocked = blocked || pending[before]
			}
			if !blocked {
				ready = append(ready, rc)
			}
		}
		if len(ready) == 0 { // a cycle: run what is left together
			for rc := range pending {
				ready = append(ready, rc)
			}
		}
		slices.Sort(ready)
		for _, rc := range ready {
			delete(pending, rc)
		}
		stages = append(stages, ready)
	}
	return stages
}
