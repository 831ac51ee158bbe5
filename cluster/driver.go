package cluster

import (
	"context"
	"time"
)

// Driver does the work of tasks on hosts: it runs one command for one host
// component and reports progress. The orchestrator owns everything else —
// stages, timeouts, retries and aborts: a driver only has to return
// promptly when ctx ends.
//
// An SSH driver runs the same command lines over an ssh session per task;
// a Kubernetes driver maps a host component to a pod and a command to a
// change of it, reporting the pod's phases as progress. Both fit this
// interface unchanged.
type Driver interface {
	Run(ctx context.Context, t TaskSpec, report func(Progress)) (Result, error)
}

// TaskSpec is one task as a driver sees it.
type TaskSpec struct {
	Cluster   string
	RequestID int64
	StageID   int64
	TaskID    int64
	Attempt   int
	Host      string
	Service   string
	Component string
	Category  Category
	Command   Command
	// CommandLine is the stack's command line for the component and
	// command, if it has one (the local exec driver runs it).
	CommandLine string
	Timeout     time.Duration
}

// Progress is a report from a running task: the tails of its output.
type Progress struct {
	Stdout, Stderr string
}

// Result is how a task ended. A non-zero exit code, or an error from Run,
// fails the task.
type Result struct {
	ExitCode       int
	Stdout, Stderr string
}
