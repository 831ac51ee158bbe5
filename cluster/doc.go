// Package cluster orchestrates clusters the way Apache Ambari does:
// clusters, hosts, services, components and host components, whose states
// change through requests made of ordered stages of tasks that drivers
// carry out. It knows nothing about HTTP: a Go program can drive a cluster
// entirely through this package, and the server exposes it.
//
// # Domain rules
//
// [State] and its rules: which desired states a service or component may
// be given ([CanDesire]), which live states a host component may be driven
// from ([CanDrive]), and the host component state machines of daemons and
// clients ([Next]) with Ambari's events. A service's state is calculated
// from its host components ([ServiceState]). A task's [Status], and the
// status and progress_percent of a stage or request ([Counts]), follow
// Ambari's rules. The [Stack] catalog lists services and components (MASTER,
// SLAVE, CLIENT), default configurations, and the role command order that
// splits a request into stages; [BuiltinStack] has ZooKeeper, Kafka, Kafka
// Connect and HDFS, and [LoadStack] reads another from JSON.
//
// # The manager
//
// A [Manager] keeps a cluster's resources in a resource store ([Types]):
// it adds clusters, hosts (with the facts an agent reports), services (with
// their default configurations, which a caller may override) and host
// components. [Manager.Drive] is a PUT of a state: it validates every host
// component's change (an illegal one is a 400 naming both states), sets
// desired states, skips what is in maintenance (host component, host or
// service), and plans a request of PENDING tasks in stages — or none, when
// nothing needs doing. [Manager.RunCommand] makes RESTART and SERVICE_CHECK
// requests from resource filters. Configurations are unique by (type, tag),
// versioned per type and applied through Clusters/desired_configs.
//
// [Manager.Create], [Manager.Update] and [Manager.Delete] are the domain's
// writes as a client's request makes them, each all or none: creates
// follow the stack (a service's requirements, a component's service),
// read-only properties are the manager's to set, and deletes refuse what
// is not in a removable state and leave nothing behind (host components
// on every host, a service's configurations, stale counts).
// [Manager.Change] is Drive for services, components and host
// components named by reference.
//
// Hosts are registered with the manager first (RegisterHosts, as agents
// do; the simulator's Register gives plausible facts) and then added to a
// cluster. A manager runs one or more stacks (WithStacks); a cluster runs
// the one its Clusters/version names, and the stacks are served read-only
// as resources (stacks, versions, services, components, configurations),
// beside repository versions clients manage. [Manager.CreateFromBlueprint]
// deploys a blueprint (validated against its stack) on registered hosts in
// one request that installs, then starts, everything; [Manager.Blueprint]
// exports a cluster as one; [Layout] places a stack's components on hosts
// by cardinality. A driver that reports workloads ([Workloads]) fills the
// workflows, jobs and task attempts at each sample. Faces whose objects
// live in the same store add their types with [WithTypes].
//
// A manager owns the requests it runs for others: [Manager.Go] runs one on
// the manager's goroutines, a bounded number at once ([WithMaxRunning]),
// and [Manager.Close] stops them (running tasks end ABORTED) and waits.
// [Manager.SampleEvery] samples metrics until its context ends. A panic in
// a driver fails its task; a panic in a goroutine of the manager is
// logged with its stack and ends only what it was doing.
//
// [Manager.Execute] runs a request: stage after stage, the tasks of a stage
// in parallel; a timed-out task is tried again up to a limit, then is
// TIMEDOUT; a failed stage aborts the rest. Statuses, host component states
// (through the state machines), counts and progress are written in batched
// transactions as tasks report. [Manager.Abort] ends a request with a
// reason, rolling back host components in flight. [Manager.Probe] applies
// live status (a crashed component drops to INSTALLED), and
// [Manager.Sample] records host and component metrics: requests with a
// time range get them as points, others (and predicates) the latest value.
//
// # Drivers
//
// A [Driver] runs one command for one host component and reports progress;
// the manager owns stages, timeouts, retries and aborts. [Sim] simulates:
// scripted durations, exit codes, output, failed attempts, hangs and
// crashes, and plausible metrics; it is what tests and fixtures use. [Exec]
// runs the stack's command lines on this machine, tracking the processes it
// starts and stopping them with SIGTERM, then SIGKILL. An SSH driver would
// run the same command lines in an ssh session per task, streaming the
// output as progress and closing the session on cancel; a Kubernetes driver
// would map a host component to a pod, a command to a change of it, and the
// pod's phases to progress. Neither needs more than the Driver interface.
//
// Time comes from the time package (and the manager's now function), so
// tests run under testing/synctest: timeouts and durations take no real
// time, and a test can look at a request while its tasks run.
package cluster
