package cluster

import "fmt"

// Event moves a host component's live state, as Ambari's
// ServiceComponentHostEvent does: the scheduler fires INSTALL, START and
// STOP when it queues a task, and task reports fire the OP_ and STARTED or
// STOPPED events.
type Event uint8

// The events.
const (
	EventInstall Event = iota
	EventStart
	EventStop
	EventOpInProgress
	EventOpSucceeded
	EventOpFailed
	EventOpRestart
	EventStarted
	EventStopped
	EventUninstall
	EventWipeout
	EventUpgrade
	EventDisable
	EventRestore
)

var eventNames = [...]string{"INSTALL", "START", "STOP", "OP_IN_PROGRESS", "OP_SUCCEEDED", "OP_FAILED",
	"OP_RESTART", "STARTED", "STOPPED", "UNINSTALL", "WIPEOUT", "UPGRADE", "DISABLE", "RESTORE"}

// String returns the event's name.
func (e Event) String() string { return eventNames[e] }

type transition struct {
	from State
	on   Event
}

// common are the transitions daemons and clients share (Ambari's
// ServiceComponentHostImpl state machines).
var common = map[transition]State{
	{Init, EventInstall}: Installing,

	{Installing, EventInstall}:      Installing,
	{Installing, EventOpInProgress}: Installing,
	{Installing, EventOpSucceeded}:  Installed,
	{Installing, EventOpFailed}:     InstallFailed,

	{InstallFailed, EventInstall}:   Installing,
	{InstallFailed, EventOpFailed}:  InstallFailed,
	{InstallFailed, EventOpRestart}: Installing,
	{InstallFailed, EventDisable}:   Disabled,

	{Installed, EventInstall}:      Installing,
	{Installed, EventOpInProgress}: Installed,
	{Installed, EventOpSucceeded}:  Installed,
	{Installed, EventOpFailed}:     Installed,
	{Installed, EventUninstall}:    Uninstalling,
	{Installed, EventUpgrade}:      Upgrading,
	{Installed, EventDisable}:      Disabled,

	{Uninstalling, EventOpInProgress}: Uninstalling,
	{Uninstalling, EventOpSucceeded}:  Uninstalled,
	{Uninstalling, EventOpFailed}:     Uninstalling,
	{Uninstalling, EventOpRestart}:    Uninstalling,
	{Uninstalling, EventUninstall}:    Uninstalling,

	{Uninstalled, EventInstall}: Installing,
	{Uninstalled, EventWipeout}: WipingOut,

	{WipingOut, EventOpInProgress}: WipingOut,
	{WipingOut, EventOpSucceeded}:  Init,
	{WipingOut, EventOpFailed}:     WipingOut,
	{WipingOut, EventOpRestart}:    WipingOut,
	{WipingOut, EventWipeout}:      WipingOut,

	{Upgrading, EventOpInProgress}: Upgrading,
	{Upgrading, EventOpSucceeded}:  Installed,
	{Upgrading, EventOpFailed}:     Upgrading,
	{Upgrading, EventUpgrade}:      Upgrading,

	{Disabled, EventDisable}: Disabled,
	{Disabled, EventRestore}: Installed,

	{Unknown, EventOpInProgress}: Unknown,
	{Unknown, EventDisable}:      Disabled,
}

// daemonOnly are the start and stop transitions of masters and slaves.
var daemonOnly = map[transition]State{
	{Installed, EventStart}:     Starting,
	{Installed, EventStop}:      Stopping,
	{Installed, EventOpRestart}: Starting,
	{Installed, EventStarted}:   Started,
	{Installed, EventStopped}:   Installed,

	{Starting, EventStart}:        Starting,
	{Starting, EventOpInProgress}: Starting,
	{Starting, EventOpFailed}:     Installed,
	{Starting, EventStarted}:      Started,

	{Started, EventStop}:         Stopping,
	{Started, EventOpInProgress}: Started,
	{Started, EventOpFailed}:     Started,
	{Started, EventOpRestart}:    Stopping,
	{Started, EventStarted}:      Started,
	{Started, EventStopped}:      Installed,

	{Stopping, EventOpInProgress}: Stopping,
	{Stopping, EventOpFailed}:     Started,
	{Stopping, EventStopped}:      Installed,
}

// clientOnly is what the client FSM adds: INSTALL_FAILED absorbs progress.
var clientOnly = map[transition]State{
	{InstallFailed, EventOpInProgress}: InstallFailed,
}

// Next returns the live state a host component moves to on an event: the
// daemon FSM for masters and slaves, the client FSM (no start or stop) for
// clients. Any other pair is an error naming both.
func Next(s State, e Event, client bool) (State, error) {
	t := transition{s, e}
	if next, ok := common[t]; ok {
		return next, nil
	}
	extra := daemonOnly
	if client {
		extra = clientOnly
	}
	if next, ok := extra[t]; ok {
		return next, nil
	}
	return s, fmt.Errorf("invalid event %s in state %s", e, s)
}
