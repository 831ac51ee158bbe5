package cluster_test

import (
	"context"
	"fmt"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/resource"
)

// Example plans the stages of starting the built-in stack's streaming
// services: ZooKeeper first, then the brokers, then the Connect workers.
func Example() {
	stack := cluster.BuiltinStack()
	stages := stack.Stages([]string{
		cluster.RoleCommand("CONNECT_WORKER", cluster.Start),
		cluster.RoleCommand("KAFKA_BROKER", cluster.Start),
		cluster.RoleCommand("ZOOKEEPER_SERVER", cluster.Start),
	})
	for i, s := range stages {
		fmt.Println("stage", i+1, s)
	}
	// Output:
	// stage 1 [ZOOKEEPER_SERVER-START]
	// stage 2 [KAFKA_BROKER-START]
	// stage 3 [CONNECT_WORKER-START]
}

func ExampleNext() {
	s := cluster.Init
	var path []cluster.State
	for _, e := range []cluster.Event{cluster.EventInstall, cluster.EventOpSucceeded, cluster.EventStart, cluster.EventStarted} {
		s, _ = cluster.Next(s, e, false)
		path = append(path, s)
	}
	fmt.Println(path)
	_, err := cluster.Next(cluster.Init, cluster.EventStart, false)
	fmt.Println(err)
	// Output:
	// [INSTALLING INSTALLED STARTING STARTED]
	// invalid event START in state INIT
}

func ExampleCounts() {
	var c cluster.Counts
	c[cluster.Completed], c[cluster.InProgress], c[cluster.Queued] = 2, 1, 1
	fmt.Println(c.Summary(), c.Progress())
	// Output: IN_PROGRESS 61
}

// Example_cluster builds a 3-host cluster with the built-in stack, installs
// and starts ZooKeeper and Kafka, and prints each request's progress.
func Example_cluster() {
	ctx := context.Background()
	m, err := cluster.NewManager(cluster.BuiltinStack(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = m.CreateCluster(ctx, "c1")
	for _, h := range []string{"h1", "h2", "h3"} {
		_ = m.AddHosts(ctx, "c1", map[string]any{"Hosts": map[string]any{"host_name": h, "cpu_count": 4}})
	}
	_ = m.AddService(ctx, "c1", "ZOOKEEPER", nil)
	for _, h := range []string{"h1", "h2", "h3"} {
		_ = m.AddHostComponent(ctx, "c1", h, "ZOOKEEPER_SERVER")
	}
	_ = m.AddService(ctx, "c1", "KAFKA", nil)
	_ = m.AddHostComponent(ctx, "c1", "h1", "KAFKA_BROKER")

	x := cluster.Execution{Driver: cluster.NewSim()}
	for _, target := range []cluster.State{cluster.Installed, cluster.Started} {
		id, err := m.Drive(ctx, "c1", target, nil, "Make everything "+target.String())
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := m.Execute(ctx, "c1", id, x); err != nil {
			fmt.Println(err)
			return
		}
		r, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Requests, Keys: []string{"c1", fmt.Sprint(id)}})
		req := r.Tree()["Requests"].(map[string]any)
		fmt.Printf("request %d %q: %s, %v%%, %v tasks\n", id, req["request_context"], req["request_status"], req["progress_percent"], req["task_count"])
	}
	svc, _ := m.Store().Get(ctx, resource.Ref{Type: cluster.Services, Keys: []string{"c1", "KAFKA"}})
	fmt.Println("KAFKA is", svc.Tree()["ServiceInfo"].(map[string]any)["state"])
	// Output:
	// request 1 "Make everything INSTALLED": COMPLETED, 100%, 4 tasks
	// request 2 "Make everything STARTED": COMPLETED, 100%, 4 tasks
	// KAFKA is STARTED
}
