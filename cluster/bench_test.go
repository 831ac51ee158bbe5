package cluster_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ambitkit/ambit/cluster"
)

// BenchmarkRequest10k runs a request of 10,000 tasks (1,000 hosts × 10
// components) end to end with the simulated driver and no durations.
func BenchmarkRequest10k(b *testing.B) {
	stack := &cluster.Stack{Name: "BENCH", Version: "1", Services: []cluster.Service{{Name: "SVC"}}}
	for i := 0; i < 10; i++ {
		stack.Services[0].Components = append(stack.Services[0].Components,
			cluster.Component{Name: fmt.Sprintf("C%d", i), Category: cluster.Slave})
	}
	m, err := cluster.NewManager(stack, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := m.CreateCluster(ctx, "c1"); err != nil {
		b.Fatal(err)
	}
	hosts := make([]map[string]any, 1000)
	for i := range hosts {
		hosts[i] = map[string]any{"Hosts": map[string]any{"host_name": fmt.Sprintf("h%04d", i)}}
	}
	if err := m.AddHosts(ctx, "c1", hosts...); err != nil {
		b.Fatal(err)
	}
	if err := m.AddService(ctx, "c1", "SVC", nil); err != nil {
		b.Fatal(err)
	}
	for i := range hosts {
		for c := 0; c < 10; c++ {
			if err := m.AddHostComponent(ctx, "c1", fmt.Sprintf("h%04d", i), fmt.Sprintf("C%d", c)); err != nil {
				b.Fatal(err)
			}
		}
	}
	x := cluster.Execution{Driver: cluster.NewSim()}
	b.ReportAllocs()
	for b.Loop() {
		id, err := m.Drive(ctx, "c1", cluster.Installed, nil, "install")
		if err != nil || id == 0 {
			b.Fatal(id, err)
		}
		if err := m.Execute(ctx, "c1", id, x); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := m.Drive(ctx, "c1", cluster.Init, nil, "reset"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
