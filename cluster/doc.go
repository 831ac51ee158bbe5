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
// Illegal changes are errors that name both states, never Ambari's 500.
package cluster
