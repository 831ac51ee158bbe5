package cluster_test

import (
	"fmt"

	"github.com/ambitkit/ambit/cluster"
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
