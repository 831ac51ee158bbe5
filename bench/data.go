package bench

import (
	"fmt"

	"github.com/ambitkit/ambit/resource"
)

// Types are the resource types of the data sets: a cluster, its hosts, one
// request, and the request's tasks.
func Types() []resource.Type {
	return []resource.Type{
		{Name: "Cluster", Collection: "clusters", Keys: []string{"Clusters/cluster_name"}},
		{Name: "Host", Collection: "hosts", Parent: "clusters", Keys: []string{"Hosts/cluster_name", "Hosts/host_name"},
			Properties: []resource.Property{
				{Path: "Hosts/cpu_count", Kind: resource.Number, Indexed: true},
				{Path: "Hosts/os_type", Kind: resource.String, Indexed: true},
				{Path: "Hosts/host_status", Kind: resource.String},
				{Path: "Hosts/rack_info", Kind: resource.String},
				{Path: "Hosts/ip", Kind: resource.String},
				{Path: "Hosts/total_mem", Kind: resource.Number},
			}},
		{Name: "Request", Collection: "requests", Parent: "clusters", Keys: []string{"Requests/cluster_name", "Requests/id"},
			Properties: []resource.Property{{Path: "Requests/id", Kind: resource.Number}}},
		{Name: "Task", Collection: "tasks", Parent: "requests",
			Keys: []string{"Tasks/cluster_name", "Tasks/request_id", "Tasks/id"},
			Properties: []resource.Property{
				{Path: "Tasks/request_id", Kind: resource.Number},
				{Path: "Tasks/id", Kind: resource.Number},
				{Path: "Tasks/stage_id", Kind: resource.Number},
				{Path: "Tasks/host_name", Kind: resource.String},
				{Path: "Tasks/role", Kind: resource.String},
				{Path: "Tasks/command", Kind: resource.String},
				{Path: "Tasks/status", Kind: resource.String, Indexed: true},
				{Path: "Tasks/exit_code", Kind: resource.Number},
				{Path: "Tasks/start_time", Kind: resource.Number, Indexed: true},
				{Path: "Tasks/end_time", Kind: resource.Number},
				{Path: "Tasks/attempt_cnt", Kind: resource.Number},
				{Path: "Tasks/stdout", Kind: resource.String},
				{Path: "Tasks/stderr", Kind: resource.String},
			}},
	}
}

var (
	osTypes = [...]string{"rhel8", "centos7", "ubuntu22", "sles15", "debian12"}
	roles   = [...]string{"DATANODE", "NAMENODE", "ZOOKEEPER_SERVER", "KAFKA_BROKER", "HDFS_CLIENT"}
)

// Host is host number i of cluster c1 as a property tree.
func Host(i int) map[string]any {
	status := "HEALTHY"
	if i%7 == 0 {
		status = "UNHEALTHY"
	}
	return map[string]any{"Hosts": map[string]any{
		"cluster_name": "c1", "host_name": fmt.Sprintf("h%05d", i), "cpu_count": float64(1 + i%16),
		"os_type": osTypes[i%len(osTypes)], "host_status": status, "rack_info": fmt.Sprintf("/rack-%02d", i%20),
		"ip": fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), "total_mem": float64(16 << 20),
	}}
}

// StartTime is the start time of task 0; task i starts i seconds later.
const StartTime = 1_700_000_000_000

// Task is task number i of request 1 of cluster c1: 1 % of tasks failed
// (exit code 1).
func Task(i int) map[string]any {
	status, exit := "COMPLETED", 0.0
	if i%100 == 7 {
		status, exit = "FAILED", 1.0
	}
	return map[string]any{"Tasks": map[string]any{
		"cluster_name": "c1", "request_id": 1.0, "id": float64(i), "stage_id": float64(i / 1000),
		"host_name": fmt.Sprintf("h%05d", i%10_000), "role": roles[i%len(roles)], "command": "START",
		"status": status, "exit_code": exit, "start_time": float64(StartTime + i*1000),
		"end_time": float64(StartTime + i*1000 + 500 + i%977), "attempt_cnt": 1.0,
		"stdout": "started " + roles[i%len(roles)], "stderr": "",
	}}
}
