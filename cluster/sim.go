package cluster

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Rule scripts what the simulated driver does for the tasks it matches.
// Empty Component, Command and Host match anything.
type Rule struct {
	Component string
	Command   Command
	Host      string
	// Duration is how long the task runs.
	Duration time.Duration
	// ExitCode ends the task; non-zero fails it.
	ExitCode       int
	Stdout, Stderr string
	// FailAttempts fails the first attempts of the task (exit code 1), to
	// exercise retries.
	FailAttempts int
	// Hang makes the task never finish: only a timeout or an abort ends it.
	Hang bool
}

// Sim is the simulated driver: no real work is done, and each task behaves
// as the first Rule that matches it says (by default, it succeeds at
// once). It remembers which components it has started, as a live-state
// probe would report them. Durations use the time package, so tests that
// run under testing/synctest take no real time.
type Sim struct {
	rules   []Rule
	mu      sync.Mutex
	running map[string]bool // host/component
}

// NewSim returns a simulated driver with the given rules.
func NewSim(rules ...Rule) *Sim { return &Sim{rules: rules, running: map[string]bool{}} }

// Facts are what the simulator's agent on a host reports when it
// registers: plausible, and the same for a name every time (a hash of it
// picks the CPUs, the memory, the OS, the address and the rack).
func (s *Sim) Facts(host string) map[string]any {
	h := fnv.New32a()
	h.Write([]byte(host))
	n := h.Sum32()
	return map[string]any{"Hosts": map[string]any{
		"host_name":           host,
		"cpu_count":           []int{2, 4, 8, 16}[n%4],
		"total_mem":           []int{8, 16, 32, 64}[(n/4)%4] << 20, // KiB, as Ambari reports it
		"os_type":             []string{"centos7", "rhel8", "ubuntu22"}[(n/16)%3],
		"os_arch":             "x86_64",
		"ip":                  fmt.Sprintf("10.%d.%d.%d", (n>>8)%256, (n>>16)%256, 1+n%254),
		"rack_info":           fmt.Sprintf("/rack-%02d", (n/64)%4),
		"host_status":         "HEALTHY",
		"last_heartbeat_time": float64(time.Now().UnixMilli()),
	}}
}

// Register registers hosts with a manager as the simulator's agents would,
// each with its Facts.
func (s *Sim) Register(ctx context.Context, m *Manager, hosts ...string) error {
	bodies := make([]map[string]any, len(hosts))
	for i, h := range hosts {
		bodies[i] = s.Facts(h)
	}
	return m.RegisterHosts(ctx, bodies...)
}

// Instant reports a simulator whose tasks all end at once: no rule takes
// time or hangs.
func (s *Sim) Instant() bool {
	for _, r := range s.rules {
		if r.Duration > 0 || r.Hang {
			return false
		}
	}
	return true
}

func (r Rule) matches(t TaskSpec) bool {
	return (r.Component == "" || r.Component == t.Component) && (r.Command == "" || r.Command == t.Command) &&
		(r.Host == "" || r.Host == t.Host)
}

// Run implements Driver.
func (s *Sim) Run(ctx context.Context, t TaskSpec, report func(Progress)) (Result, error) {
	var r Rule
	for _, rule := range s.rules {
		if rule.matches(t) {
			r = rule
			break
		}
	}
	report(Progress{Stdout: fmt.Sprintf("%s %s on %s: running", t.Command, t.Component, t.Host)})
	if r.Hang {
		<-ctx.Done()
		return Result{}, ctx.Err()
	}
	if r.Duration > 0 {
		select {
		case <-time.After(r.Duration):
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
	res := Result{ExitCode: r.ExitCode, Stdout: r.Stdout, Stderr: r.Stderr}
	if t.Attempt <= r.FailAttempts {
		res.ExitCode = 1
	}
	if res.Stdout == "" {
		res.Stdout = fmt.Sprintf("%s %s on %s: exit code %d", t.Command, t.Component, t.Host, res.ExitCode)
	}
	if res.ExitCode == 0 {
		s.mu.Lock()
		switch t.Command {
		case Start, Restart:
			s.running[t.Host+"/"+t.Component] = true
		case Stop, Uninstall:
			delete(s.running, t.Host+"/"+t.Component)
		}
		s.mu.Unlock()
	}
	return res, nil
}

// Running reports whether the simulator has a component started on a
// host.
func (s *Sim) Running(host, component string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running[host+"/"+component]
}

// Kill simulates a crash of a started component.
func (s *Sim) Kill(host, component string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.running, host+"/"+component)
}

// Sample implements Sampler with plausible values that move with time:
// every host has CPU, disk and memory metrics, and components the
// simulator has started have JVM metrics.
func (s *Sim) Sample(host, component string, at time.Time) map[string]float64 {
	minute := float64(at.Unix() / 60)
	seed := float64(len(host)*7 + len(component)*3)
	if component == "" {
		return map[string]float64{
			"metrics/cpu/cpu_idle":    80 + float64(int(minute+seed)%20),
			"metrics/cpu/cpu_user":    float64(int(minute+seed) % 15),
			"metrics/disk/disk_free":  100 - float64(int(minute)%50),
			"metrics/memory/mem_free": 4096 - 8*float64(int(minute+seed)%100),
		}
	}
	if !s.Running(host, component) {
		return nil
	}
	return map[string]float64{
		"metrics/jvm/gcCount":      minute,
		"metrics/jvm/memHeapUsedM": 256 + float64(int(minute+seed)%128),
	}
}
