//go:build unix

package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Exec is the local driver: it runs the stack's command lines on this
// machine with sh -c, with AMBIT_CLUSTER, AMBIT_HOST, AMBIT_SERVICE,
// AMBIT_COMPONENT and AMBIT_COMMAND in their environment. START spawns the component's process and tracks it;
// STOP sends its process group SIGTERM, then SIGKILL after Grace; other
// commands (INSTALL, SERVICE_CHECK, ...) run to completion, and a command
// without a command line does nothing and succeeds. Output tails are kept
// and reported.
type Exec struct {
	// Grace is how long a stopped process has to exit after SIGTERM before
	// SIGKILL; zero means 10 s.
	Grace time.Duration

	mu    sync.Mutex
	procs map[string]*proc // started processes, by host/component
}

type proc struct {
	cmd  *exec.Cmd
	out  *tail
	done chan struct{} // closed when the process has exited
}

// taskEnv is the environment of a task's command: the server's, and what
// the task is about, as Ambari's agent passes its command parameters.
func taskEnv(t TaskSpec) []string {
	return append(os.Environ(), "AMBIT_CLUSTER="+t.Cluster, "AMBIT_HOST="+t.Host, "AMBIT_SERVICE="+t.Service,
		"AMBIT_COMPONENT="+t.Component, "AMBIT_COMMAND="+string(t.Command))
}

// tailSize is how much output a task keeps, as the Ambari agent keeps the
// tail of its output files.
const tailSize = 4096

// NewExec returns a local driver.
func NewExec() *Exec { return &Exec{procs: map[string]*proc{}} }

// Run implements Driver.
func (e *Exec) Run(ctx context.Context, t TaskSpec, report func(Progress)) (Result, error) {
	switch t.Command {
	case Start, Restart:
		if t.Command == Restart {
			if res, err := e.stop(ctx, t); err != nil || res.ExitCode != 0 {
				return res, err
			}
		}
		return e.start(t, report)
	case Stop:
		return e.stop(ctx, t)
	}
	if t.CommandLine == "" {
		return Result{Stdout: fmt.Sprintf("%s %s: nothing to run", t.Command, t.Component)}, nil
	}
	out, errOut := &tail{}, &tail{}
	cmd := exec.CommandContext(ctx, "sh", "-c", t.CommandLine)
	cmd.Env = taskEnv(t)
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	report(Progress{Stdout: "running: " + t.CommandLine})
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && ctx.Err() == nil:
		res.ExitCode = exit.ExitCode()
		return res, nil
	case err != nil:
		return res, err
	}
	return res, nil
}

func (e *Exec) start(t TaskSpec, report func(Progress)) (Result, error) {
	if t.CommandLine == "" {
		return Result{}, fmt.Errorf("the stack has no %s command line for %s", t.Command, t.Component)
	}
	key := t.Host + "/" + t.Component
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.procs[key]; p != nil && !p.exited() {
		return Result{Stdout: fmt.Sprintf("%s is already running as process %d", t.Component, p.cmd.Process.Pid)}, nil
	}
	out := &tail{}
	cmd := exec.Command("sh", "-c", t.CommandLine)
	cmd.Env = taskEnv(t)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return Result{}, err
	}
	p := &proc{cmd: cmd, out: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	e.procs[key] = p
	msg := fmt.Sprintf("started %s as process %d", t.Component, cmd.Process.Pid)
	report(Progress{Stdout: msg})
	return Result{Stdout: msg}, nil
}

func (e *Exec) stop(ctx context.Context, t TaskSpec) (Result, error) {
	key := t.Host + "/" + t.Component
	e.mu.Lock()
	p := e.procs[key]
	delete(e.procs, key)
	e.mu.Unlock()
	if p == nil || p.exited() {
		return Result{Stdout: fmt.Sprintf("%s is not running", t.Component)}, nil
	}
	pgid := -p.cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	grace := e.Grace
	if grace <= 0 {
		grace = 10 * time.Second
	}
	how := "SIGTERM"
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.done
		how = "SIGKILL"
	case <-ctx.Done():
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		return Result{}, ctx.Err()
	}
	return Result{Stdout: fmt.Sprintf("stopped %s (process %d) with %s", t.Component, -pgid, how), Stderr: p.out.String()}, nil
}

// Running reports whether a component started on a host is still alive.
func (e *Exec) Running(host, component string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.procs[host+"/"+component]
	return p != nil && !p.exited()
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail keeps the last tailSize bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps the tail of what is written.
func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(b)
	if extra := t.buf.Len() - tailSize; extra > 0 {
		t.buf.Next(extra)
	}
	return len(b), nil
}

// String returns the kept tail.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
