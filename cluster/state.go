package cluster

import (
	"fmt"
	"strings"
)

// State is the state of a host component, and the desired or calculated
// state of a component or service, as Ambari names them. The order is
// Ambari's: a service's calculated state is its "worst" component state,
// the highest in this order.
type State uint8

// The states.
const (
	Init State = iota
	Installing
	InstallFailed
	Installed
	Starting
	Started
	Stopping
	Uninstalling
	Uninstalled
	WipingOut
	Upgrading
	Disabled
	Unknown
)

var stateNames = [...]string{
	Init: "INIT", Installing: "INSTALLING", InstallFailed: "INSTALL_FAILED", Installed: "INSTALLED",
	Starting: "STARTING", Started: "STARTED", Stopping: "STOPPING", Uninstalling: "UNINSTALLING",
	Uninstalled: "UNINSTALLED", WipingOut: "WIPING_OUT", Upgrading: "UPGRADING", Disabled: "DISABLED",
	Unknown: "UNKNOWN",
}

// String returns the state's API name: INSTALL_FAILED.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// ParseState reads a state's API name, exactly (Ambari's names are upper
// case).
func ParseState(name string) (State, error) {
	for s, n := range stateNames {
		if n == name {
			return State(s), nil
		}
	}
	return 0, fmt.Errorf("%q is not a state: want one of %s", name, strings.Join(stateNames[:], ", "))
}

// ValidDesired reports whether s may be requested as a desired state.
func ValidDesired(s State) bool {
	switch s {
	case Init, Installed, Started, Uninstalled, Disabled:
		return true
	}
	return false
}

// Removable reports whether a resource in state s may be deleted.
func Removable(s State) bool {
	switch s {
	case Init, Installing, Installed, InstallFailed, Uninstalled, Unknown, Disabled:
		return true
	}
	return false
}

// desiredFrom lists, per new desired state, the desired states a service
// or component may move from (Ambari's isValidDesiredStateTransition).
var desiredFrom = map[State][]State{
	Installed: {Init, Uninstalled, Installed, Started, Stopping},
	Started:   {Installed, Started},
}

// CanDesire reports whether a service's or component's desired state may
// change from current to target.
func CanDesire(current, target State) bool { return contains(desiredFrom[target], current) }

// liveFrom lists, per target, the live states a host component may be
// driven from (Ambari's isValidStateTransition).
var liveFrom = map[State][]State{
	Installed:   {Init, Uninstalled, Installed, Installing, Started, InstallFailed, Upgrading, Stopping, Unknown, Disabled},
	Started:     {Installed, Starting, Started},
	Uninstalled: {Installed, Uninstalled, Uninstalling},
	Init:        {Uninstalled, Init, WipingOut},
	Disabled:    {Installed, InstallFailed, Unknown},
}

// CanDrive reports whether a host component in live state current may be
// driven to target.
func CanDrive(current, target State) bool { return contains(liveFrom[target], current) }

func contains(states []State, s State) bool {
	for _, x := range states {
		if x == s {
			return true
		}
	}
	return false
}
