// Package cluster orchestrates clusters in the way Apache Ambari does:
// clusters, hosts, services, components and host components, whose states
// change through requests made of ordered stages of tasks that drivers
// carry out.
//
// This first part holds the domain rules that everything else follows, as
// pure functions over values:
//
//   - [State] and the transition rules: which desired states a service or
//     component may be given ([CanDesire]), which live states a host
//     component may be driven from ([CanDrive]), and the host component
//     state machines of daemons and clients ([Next]), with Ambari's events
//     (INSTALL, START, STOP when a task is queued; OP_IN_PROGRESS,
//     OP_SUCCEEDED, OP_FAILED, STARTED, STOPPED as it reports).
//   - The calculated state of a service from its host components
//     ([ServiceState]).
//   - Task [Status] and the summary status and progress_percent of a stage
//     or request ([Counts]).
//   - The [Stack] catalog: services, components with their categories, the
//     role command order that splits a request into stages ([Stack.Stages]),
//     and default configurations; [BuiltinStack] is ambit's, [LoadStack]
//     reads one from JSON.
//
// On top of them, [Types] declares the domain's resource types (clusters,
// hosts, services, components, host components, requests, stages, tasks)
// for the resource store, and a [Manager] holds a store of them: it adds
// clusters, hosts, services and host components, and [Manager.Drive] turns
// a state change of the host components that match a predicate into a
// request whose tasks, one per host component that needs a command, are
// grouped in stages by the role command order. Running those tasks through
// drivers is the next part to land.
//
// Illegal changes are errors that name both states, never Ambari's 500.
package cluster
