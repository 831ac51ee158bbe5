package cluster

import (
	"github.com/ambitkit/ambit/fields"
	"github.com/ambitkit/ambit/resource"
)

// The collection names of the cluster domain's resource types.
const (
	Clusters = "clusters"
	Hosts    = "hosts"
	// RegisteredHosts are the hosts registered with the server, in or out
	// of a cluster, served at /hosts (Ambari's agents register them).
	RegisteredHosts = "registered_hosts"
	Services        = "services"
	Components      = "components"
	HostComponents  = "host_components"
	Configurations  = "configurations"
	Requests        = "requests"
	Stages          = "stages"
	Tasks           = "tasks"
)

// Types returns the resource types of the cluster domain, with Ambari's
// categories, keys and properties, wired as Ambari wires them:
// clusters/c1/hosts/h1/host_components, clusters/c1/services/HDFS/components/
// DATANODE/host_components, clusters/c1/requests/6/tasks/32.
//
// Indexes are few on purpose: host components and tasks change state many
// times per request, and every index costs each of those writes. A
// cluster's host components and a request's tasks are found by key prefix;
// the component name is indexed for the components' sub-resource, and task
// status for finding failed tasks across requests.
func Types() []resource.Type { return types(nil) }

// the domain's types and the stack's.
func allTypes(points func(resource.Resource, string, fields.Temporal) ([][2]float64, error)) []resource.Type {
	all := append(types(points), blueprintType())
	all = append(all, stackTypes()...)
	all = append(all, repositoryTypes()...)
	return append(all, workloadTypes()...)
}

// types declares the types; points serves the metrics of hosts and host
// components.
func types(points func(resource.Resource, string, fields.Temporal) ([][2]float64, error)) []resource.Type {
	str := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.String} }
	num := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.Number} }
	indexed := func(p resource.Property) resource.Property { p.Indexed = true; return p }
	readOnly := func(p resource.Property) resource.Property { p.ReadOnly = true; return p }
	def := func(p resource.Property, v any) resource.Property { p.Default = v; return p }
	facts := func() []resource.Property { // what an agent reports of its host
		return []resource.Property{
			str("Hosts/ip"), str("Hosts/public_host_name"),
			indexed(num("Hosts/cpu_count")), num("Hosts/total_mem"),
			indexed(str("Hosts/os_type")), str("Hosts/os_arch"),
			def(str("Hosts/rack_info"), "/default-rack"),
			def(indexed(str("Hosts/host_status")), "HEALTHY"),
			def(str("Hosts/host_state"), "HEALTHY"),
			num("Hosts/last_heartbeat_time"), num("Hosts/last_registration_time"),
		}
	}
	return []resource.Type{
		{Name: "Host", Collection: RegisteredHosts, Path: "hosts", Singular: "host", Category: "Hosts",
			Keys:       []string{"Hosts/host_name"},
			Properties: append(facts(), readOnly(str("Hosts/cluster_name")))},
		{Name: "Cluster", Collection: Clusters, Singular: "cluster", Category: "Clusters",
			Keys: []string{"Clusters/cluster_name"},
			Properties: []resource.Property{
				readOnly(num("Clusters/cluster_id")),
				str("Clusters/version"),
				{Path: "Clusters/desired_configs", Kind: resource.Object},
				def(str("Clusters/provisioning_state"), "INIT"),
				def(str("Clusters/security_type"), "NONE"),
				readOnly(num("Clusters/total_hosts")),
			},
			// Every service's components and every host's host components,
			// as Ambari serves them at /clusters/c1/components and
			// /clusters/c1/host_components.
			Subs: []resource.Sub{
				{Name: Components, Type: Components, On: map[string]string{"Clusters/cluster_name": "ServiceComponentInfo/cluster_name"}},
				{Name: HostComponents, Type: HostComponents, On: map[string]string{"Clusters/cluster_name": "HostRoles/cluster_name"}},
			}},
		{Name: "Host", Collection: Hosts, Singular: "host", Category: "Hosts", Parent: Clusters,
			Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: append(append(facts(),
				def(str("Hosts/maintenance_state"), "OFF"),
				resource.Property{Path: "Hosts/desired_configs", Kind: resource.Object, ReadOnly: true},
			), temporal(hostMetrics)...),
			Points: points},
		{Name: "Service", Collection: Services, Singular: "service", Category: "ServiceInfo", Parent: Clusters,
			Keys: []string{"ServiceInfo/cluster_name", "ServiceInfo/service_name"},
			Properties: []resource.Property{
				def(readOnly(str("ServiceInfo/state")), "INIT"),
				def(str("ServiceInfo/maintenance_state"), "OFF"),
			}},
		{Name: "Component", Collection: Components, Singular: "component", Category: "ServiceComponentInfo", Parent: Services,
			Keys: []string{"ServiceComponentInfo/cluster_name", "ServiceComponentInfo/service_name", "ServiceComponentInfo/component_name"},
			Properties: append([]resource.Property{
				def(readOnly(str("ServiceComponentInfo/state")), "INIT"),
				readOnly(str("ServiceComponentInfo/category")),
				readOnly(num("ServiceComponentInfo/total_count")),
				readOnly(num("ServiceComponentInfo/started_count")),
				readOnly(num("ServiceComponentInfo/installed_count")),
			}, temporal(componentMetrics)...),
			Points: points,
			Subs: []resource.Sub{{Name: HostComponents, Type: HostComponents, On: map[string]string{
				"ServiceComponentInfo/cluster_name":   "HostRoles/cluster_name",
				"ServiceComponentInfo/component_name": "HostRoles/component_name",
			}}}},
		{Name: "HostComponent", Collection: HostComponents, Singular: "host_component", Category: "HostRoles", Parent: Hosts,
			Keys: []string{"HostRoles/cluster_name", "HostRoles/host_name", "HostRoles/component_name"},
			Properties: append([]resource.Property{
				indexed(str("HostRoles/component_name")),
				readOnly(str("HostRoles/service_name")),
				def(readOnly(str("HostRoles/state")), "INIT"),
				def(readOnly(str("HostRoles/desired_state")), "INIT"),
				def(str("HostRoles/maintenance_state"), "OFF"),
				def(readOnly(resource.Property{Path: "HostRoles/stale_configs", Kind: resource.Bool}), false),
			}, temporal(componentMetrics)...),
			Points: points,
			Subs: []resource.Sub{
				{Name: "host", Type: Hosts, Single: true, On: map[string]string{
					"HostRoles/cluster_name": "Hosts/cluster_name", "HostRoles/host_name": "Hosts/host_name"}},
				{Name: "component", Type: Components, Single: true, On: map[string]string{
					"HostRoles/cluster_name":   "ServiceComponentInfo/cluster_name",
					"HostRoles/service_name":   "ServiceComponentInfo/service_name",
					"HostRoles/component_name": "ServiceComponentInfo/component_name"}},
			}},
		{Name: "Configuration", Collection: Configurations, Singular: "configuration", Category: "Config", Parent: Clusters,
			Keys: []string{"Config/cluster_name", "Config/id"}, HrefQuery: []string{"type", "tag"},
			Properties: []resource.Property{
				readOnly(str("type")), readOnly(str("tag")), readOnly(num("version")),
				{Path: "properties", Kind: resource.Object, ReadOnly: true},
				{Path: "properties_attributes", Kind: resource.Object, ReadOnly: true},
			}},
		{Name: "Request", Collection: Requests, Singular: "request", Category: "Requests", Parent: Clusters,
			Keys: []string{"Requests/cluster_name", "Requests/id"},
			Properties: []resource.Property{
				num("Requests/id"),
				str("Requests/request_context"),
				def(indexed(str("Requests/request_status")), "PENDING"),
				def(num("Requests/progress_percent"), 0),
				num("Requests/task_count"), num("Requests/completed_task_count"), num("Requests/failed_task_count"),
				num("Requests/aborted_task_count"), num("Requests/timed_out_task_count"), num("Requests/queued_task_count"),
				num("Requests/create_time"), def(num("Requests/start_time"), -1), def(num("Requests/end_time"), -1),
				str("Requests/abort_reason"), def(str("Requests/type"), "COMMAND"),
				{Path: "Requests/resource_filters", Kind: resource.List},
				indexed(str("Requests/idempotency_key")),
			}},
		{Name: "Stage", Collection: Stages, Singular: "stage", Category: "Stage", Parent: Requests,
			Keys: []string{"Stage/cluster_name", "Stage/request_id", "Stage/stage_id"},
			Properties: []resource.Property{
				num("Stage/request_id"), num("Stage/stage_id"), str("Stage/context"),
				def(str("Stage/status"), "PENDING"), def(num("Stage/progress_percent"), 0),
				def(num("Stage/start_time"), -1), def(num("Stage/end_time"), -1),
			}},
		{Name: "Task", Collection: Tasks, Singular: "task", Category: "Tasks", Parent: Requests,
			Keys: []string{"Tasks/cluster_name", "Tasks/request_id", "Tasks/id"},
			Properties: []resource.Property{
				num("Tasks/request_id"), num("Tasks/id"), num("Tasks/stage_id"),
				str("Tasks/host_name"), str("Tasks/role"), str("Tasks/command"),
				def(indexed(str("Tasks/status")), "PENDING"),
				def(num("Tasks/exit_code"), 999),
				def(str("Tasks/stdout"), ""), def(str("Tasks/stderr"), ""),
				{Path: "Tasks/structured_out", Kind: resource.Object},
				def(num("Tasks/start_time"), -1), def(num("Tasks/end_time"), -1),
				def(num("Tasks/attempt_cnt"), 0), str("Tasks/command_detail"),
			}},
	}
}
