package cluster

import "fmt"

// Command is what a task does on a host: Ambari's RoleCommand.
type Command string

// The commands.
const (
	Install      Command = "INSTALL"
	Uninstall    Command = "UNINSTALL"
	Start        Command = "START"
	Restart      Command = "RESTART"
	Stop         Command = "STOP"
	Upgrade      Command = "UPGRADE"
	ServiceCheck Command = "SERVICE_CHECK"
	Custom       Command = "CUSTOM_COMMAND"
)

// Category is a component's kind.
type Category string

// The categories.
const (
	Master Category = "MASTER"
	Slave  Category = "SLAVE"
	Client Category = "CLIENT"
)

// plan says what driving a host component to a target state takes.
type plan struct {
	command Command // "" when no task is needed
	direct  bool    // set the state without a task (target INIT)
}

// planFor applies Ambari's rules (its state transitions of host
// components) to one host component in
// live state live, driven to target. It returns no command when nothing
// needs doing (already there, or a client asked to start) and an error for
// a change that cannot be made, naming both states.
func planFor(live, target State, category Category) (plan, error) {
	if live == target || (category == Client && target == Started) {
		return plan{}, nil
	}
	switch target {
	case Installed:
		switch live {
		case Init, Uninstalled, Installing, Unknown, InstallFailed:
			return plan{command: Install}, nil
		case Started, Stopping:
			return plan{command: Stop}, nil
		case Upgrading:
			return plan{command: Upgrade}, nil
		}
	case Started:
		switch live {
		case Installed, Starting:
			return plan{command: Start}, nil
		}
	case Uninstalled:
		switch live {
		case Installed, Uninstalling:
			return plan{command: Uninstall}, nil
		}
	case Init:
		switch live {
		case Installed, InstallFailed:
			return plan{direct: true}, nil
		}
	}
	return plan{}, fmt.Errorf("cannot move from %s to %s", live, target)
}

// queuedEvent is the FSM event fired when a task of the command is queued.
func queuedEvent(c Command) (Event, bool) {
	switch c {
	case Install:
		return EventInstall, true
	case Start:
		return EventStart, true
	case Stop:
		return EventStop, true
	case Uninstall:
		return EventUninstall, true
	case Upgrade:
		return EventUpgrade, true
	}
	// A restart leaves the state as it is until it reports: it ends
	// STARTED, or where it was.
	return 0, false
}

// doneEvent is the FSM event of a command that succeeded.
func doneEvent(c Command) Event {
	switch c {
	case Start, Restart:
		return EventStarted
	case Stop:
		return EventStopped
	}
	return EventOpSucceeded
}

// Member is one host component as the calculated state sees it.
type Member struct {
	Category    Category
	State       State
	Maintenance bool
}

// ServiceState calculates a service's state from its host components
// (ServiceCalculatedState): with masters, STARTED when every master is, else the worst
// master state; else the same over slaves; else INSTALLED for clients
// unless one is worse. Host components in maintenance do not count unless
// STARTED. With no host components it is UNKNOWN.
func ServiceState(members []Member) State {
	for _, cat := range []Category{Master, Slave} {
		worst, any := Started, false
		for _, m := range members {
			if m.Category != cat || (m.Maintenance && m.State != Started) {
				continue
			}
			any = true
			if m.State != Started && (worst == Started || m.State > worst) {
				worst = m.State
			}
		}
		if any {
			return worst
		}
	}
	worst, any := Installed, false
	for _, m := range members {
		if m.Category != Client || (m.Maintenance && m.State != Started) {
			continue
		}
		any = true
		if m.State != Installed && (worst == Installed || m.State > worst) {
			worst = m.State
		}
	}
	if any {
		return worst
	}
	return Unknown
}
