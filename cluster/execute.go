package cluster

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
)

// Execution says how requests run.
type Execution struct {
	// Driver does the work of each task.
	Driver Driver
	// Timeout bounds one attempt of a task; zero means Ambari's 600 s.
	Timeout time.Duration
	// MaxAttempts is how many times a task that times out is tried; zero
	// means Ambari's 2.
	MaxAttempts int
}

// Instant reports a driver whose tasks take no time (a simulator with
// zero durations): a request of it may run before its 202 is answered,
// so that a client's first poll reads it COMPLETED.
func (x Execution) Instant() bool {
	d, ok := x.Driver.(interface{ Instant() bool })
	return ok && d.Instant()
}

func (x Execution) timeout() time.Duration {
	if x.Timeout <= 0 {
		return 600 * time.Second
	}
	return x.Timeout
}

func (x Execution) maxAttempts() int {
	if x.MaxAttempts <= 0 {
		return 2
	}
	return x.MaxAttempts
}

// queueChunk is how many tasks are queued per transaction.
const queueChunk = 1000

// run is the state of one request being executed.
type run struct {
	m       *Manager
	x       Execution
	cluster string
	id      int64
	writes  context.Context // for the run's store writes
	stack   *Stack          // the cluster's
	tasks   []*taskState
	counts  Counts
	// Changes are made in memory and written once per transaction: a task
	// that reports progress and ends within one batch is written once.
	dirty   map[*taskState]map[string]any // task changes to write
	live    map[string]State              // host component states, by host/component
	liveSet map[string]bool               // host components to write
}

type taskState struct {
	ref       resource.Ref
	id, stage int64
	host      string
	component string
	service   string
	command   Command
	status    Status
	attempt   int
}

// event is what a task's goroutine tells the request's run.
type event struct {
	t        *taskState
	status   Status // the new status
	attempt  int
	progress *Progress
	result   Result
}

// Execute runs a request to its end: stage after stage, the tasks of a
// stage in parallel through the driver. A task that times out is tried
// again up to MaxAttempts, then is TIMEDOUT; a stage with a failed task
// ends the request, and the tasks of later stages are ABORTED. Task
// statuses, host component states and the request's status, counts and
// progress change as the tasks report, in batched transactions. Execute
// returns when the request ends, or is aborted (see Abort).
//
// A manager in an election that does not lead runs nothing: it waits until
// the leader has ended the request.
func (m *Manager) Execute(ctx context.Context, cluster string, id int64, x Execution) error {
	if m.elected && !m.leading.Load() {
		return m.awaitEnd(ctx, cluster, id)
	}
	r, err := m.load(ctx, cluster, id, x)
	if err != nil {
		return err
	}
	// The run's own writes must land even once ctx ends: an abort or a
	// shutdown still records the tasks it stopped.
	r.writes = context.WithoutCancel(ctx)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	key := m.key(cluster) + "/" + strconv.FormatInt(id, 10)
	m.mu.Lock()
	m.running[key] = cancel
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.running, key)
		m.mu.Unlock()
	}()

	for stage := int64(0); ; stage++ {
		var batch []*taskState
		for _, t := range r.tasks {
			if t.stage == stage && t.status == Pending {
				batch = append(batch, t)
			}
		}
		if len(batch) == 0 && !r.hasStage(stage) {
			break
		}
		if err := r.runStage(ctx, stage, batch); err != nil {
			return err
		}
		if ctx.Err() != nil || r.stageCounts(stage).Summary() != Completed {
			break
		}
	}
	return r.finish()
}

// load reads a request's tasks.
func (m *Manager) load(ctx context.Context, cluster string, id int64, x Execution) (*run, error) {
	r := &run{m: m, x: x, cluster: cluster, id: id, writes: ctx, stack: m.storeStack(cluster),
		dirty: map[*taskState]map[string]any{}, live: map[string]State{}, liveSet: map[string]bool{}}
	req := strconv.FormatInt(id, 10)
	if _, err := m.store.Get(ctx, resource.Ref{Namespace: m.ns, Type: Requests, Keys: []string{cluster, req}}); err != nil {
		return nil, err
	}
	res, err := m.store.List(ctx, resource.Query{Type: Tasks, Namespace: m.ns, Instance: true, Page: paging.Request{Size: paging.All},
		Scope: map[string]string{"Tasks/cluster_name": cluster, "Tasks/request_id": req}})
	if err != nil {
		return nil, err
	}
	for _, item := range res.Items {
		tk := category(item, "Tasks")
		st, _ := ParseStatus(tk["status"].(string))
		t := &taskState{id: int64(tk["id"].(float64)), stage: int64(tk["stage_id"].(float64)),
			host: tk["host_name"].(string), component: tk["role"].(string), command: Command(tk["command"].(string)),
			status: st, attempt: int(tk["attempt_cnt"].(float64))}
		t.ref = resource.Ref{Namespace: m.ns, Type: Tasks, Keys: []string{cluster, req, strconv.FormatInt(t.id, 10)}}
		if _, svc, ok := r.stack.Component(t.component); ok {
			t.service = svc.Name
		}
		r.tasks = append(r.tasks, t)
		r.counts[st]++
	}
	return r, nil
}

func (r *run) hasStage(stage int64) bool {
	for _, t := range r.tasks {
		if t.stage >= stage {
			return true
		}
	}
	return false
}

func (r *run) stageCounts(stage int64) Counts {
	var c Counts
	for _, t := range r.tasks {
		if t.stage == stage {
			c[t.status]++
		}
	}
	return c
}

// runStage queues a stage's tasks, runs them, and applies their events in
// batches until every one has ended.
func (r *run) runStage(ctx context.Context, stage int64, batch []*taskState) error {
	// Queue in chunks: nothing needs the whole stage queued atomically, and
	// transactions of a few thousand writes are the cheapest per write.
	for start := 0; start < len(batch); start += queueChunk {
		chunk := batch[start:min(start+queueChunk, len(batch))]
		err := r.m.store.Write(r.writes, func(tx *resource.Tx) error {
			for _, t := range chunk {
				if err := r.move(tx, t, Queued, 1); err != nil {
					return err
				}
			}
			if err := r.flush(tx); err != nil {
				return err
			}
			return r.summarize(tx, stage)
		})
		if err != nil {
			return err
		}
	}
	events := make(chan event, len(batch))
	var wg sync.WaitGroup
	for _, t := range batch {
		wg.Go(func() { r.attempts(ctx, t, events) })
	}
	go func() { wg.Wait(); close(events) }()
	for ev := range events {
		evs := []event{ev}
	drain: // apply what else has arrived in the same transaction
		for len(evs) < 1000 {
			select {
			case more, ok := <-events:
				if !ok {
					break drain
				}
				evs = append(evs, more)
			default:
				break drain
			}
		}
		if err := r.apply(stage, evs); err != nil {
			return err
		}
	}
	return nil
}

// attempts runs one task, trying again after a timeout, and reports every
// change as an event.
func (r *run) attempts(ctx context.Context, t *taskState, events chan<- event) {
	max := r.x.maxAttempts()
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, r.x.timeout())
		spec := r.spec(t, attempt)
		reported := false
		res, err := r.run(actx, spec, func(p Progress) {
			if !reported {
				reported = true
				events <- event{t: t, status: InProgress, attempt: attempt, progress: &p}
			}
		})
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		switch {
		case ctx.Err() != nil:
			events <- event{t: t, status: Aborted, attempt: attempt}
			return
		case timedOut && attempt < max:
			events <- event{t: t, status: Queued, attempt: attempt + 1}
			continue
		case timedOut:
			events <- event{t: t, status: TimedOut, attempt: attempt, result: res}
		case err != nil:
			res.Stderr += err.Error()
			if res.ExitCode == 0 {
				res.ExitCode = 1
			}
			events <- event{t: t, status: Failed, attempt: attempt, result: res}
		case res.ExitCode != 0:
			events <- event{t: t, status: Failed, attempt: attempt, result: res}
		default:
			events <- event{t: t, status: Completed, attempt: attempt, result: res}
		}
		return
	}
}

// run calls the driver; a driver that panics fails its task, with the
// panic logged, rather than ending the process.
func (r *run) run(ctx context.Context, spec TaskSpec, report func(Progress)) (res Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			r.m.log.Error("ambit: driver panic", "task", spec.TaskID, "host", spec.Host, "component", spec.Component,
				"panic", v, "stack", string(debug.Stack()))
			res, err = Result{ExitCode: 1}, fmt.Errorf("the driver failed: %v", v)
		}
	}()
	return r.x.Driver.Run(ctx, spec, report)
}

func (r *run) spec(t *taskState, attempt int) TaskSpec {
	s := TaskSpec{Cluster: r.cluster, RequestID: r.id, StageID: t.stage, TaskID: t.id, Attempt: attempt,
		Host: t.host, Service: t.service, Component: t.component, Command: t.command, Timeout: r.x.timeout()}
	if c, _, ok := r.stack.Component(t.component); ok {
		s.Category = c.Category
		s.CommandLine = c.Commands[string(t.command)]
	}
	return s
}

// apply records a batch of events in one transaction.
func (r *run) apply(stage int64, evs []event) error {
	return r.m.store.Write(r.writes, func(tx *resource.Tx) error {
		for _, ev := range evs {
			if ev.t.status.Done() {
				continue // aborted meanwhile
			}
			body := map[string]any{}
			switch {
			case ev.progress != nil:
				body = map[string]any{"exit_code": 777, "stdout": ev.progress.Stdout, "stderr": ev.progress.Stderr}
			case ev.status.Done():
				body = map[string]any{"exit_code": ev.result.ExitCode, "stdout": ev.result.Stdout, "stderr": ev.result.Stderr,
					"end_time": r.m.millis()}
			}
			if err := r.moveWith(tx, ev.t, ev.status, ev.attempt, body); err != nil {
				return err
			}
		}
		if err := r.flush(tx); err != nil {
			return err
		}
		return r.summarize(tx, stage)
	})
}

// move changes a task's status and its host component's state.
func (r *run) move(tx *resource.Tx, t *taskState, to Status, attempt int) error {
	return r.moveWith(tx, t, to, attempt, map[string]any{})
}

func (r *run) moveWith(tx *resource.Tx, t *taskState, to Status, attempt int, body map[string]any) error {
	r.counts[t.status]--
	r.counts[to]++
	from := t.status
	t.status, t.attempt = to, attempt
	if from != to {
		r.m.log.Debug("ambit: task", "cluster", r.cluster, "request", r.id, "task", t.id, "host", t.host,
			"role", t.component, "command", string(t.command), "from", from.String(), "to", to.String(), "attempt", attempt)
	}
	body["status"] = to.String()
	body["attempt_cnt"] = attempt
	if to == Queued {
		body["start_time"] = r.m.millis()
		body["exit_code"] = 999
	}
	if to == Aborted {
		body["end_time"] = r.m.millis()
	}
	changes := r.dirty[t]
	if changes == nil {
		changes = map[string]any{}
		r.dirty[t] = changes
	}
	for k, v := range body {
		changes[k] = v
	}
	switch {
	case to == Queued && from == Pending:
		if e, ok := queuedEvent(t.command); ok {
			return r.fire(tx, t, e)
		}
	case to == InProgress:
		return r.fire(tx, t, EventOpInProgress)
	case to == Completed:
		return r.fire(tx, t, doneEvent(t.command))
	case to == Failed || to == TimedOut || (to == Aborted && from != Pending):
		return r.fire(tx, t, EventOpFailed)
	}
	return nil
}

// fire moves a task's host component by an event. Events the state machine
// does not allow leave the state as it is, as Ambari's scheduler does.
func (r *run) fire(tx *resource.Tx, t *taskState, e Event) error {
	key := t.host + "/" + t.component
	live, known := r.live[key]
	if !known {
		hc, err := tx.Get(r.hostComponent(t))
		if err != nil {
			return nil // the host component was deleted meanwhile
		}
		if live, err = ParseState(hc.Value("HostRoles/state").(string)); err != nil {
			return err
		}
	}
	client := false
	if c, _, ok := r.stack.Component(t.component); ok {
		client = c.Category == Client
	}
	next, err := Next(live, e, client)
	if err != nil {
		next = live
	}
	r.live[key] = next
	if next != live {
		r.liveSet[key] = true
	}
	return nil
}

func (r *run) hostComponent(t *taskState) resource.Ref {
	return resource.Ref{Namespace: r.m.ns, Type: HostComponents, Keys: []string{r.cluster, t.host, t.component}}
}

// flush writes the changed tasks and host components.
func (r *run) flush(tx *resource.Tx) error {
	for t, changes := range r.dirty {
		if _, err := tx.Put(t.ref, map[string]any{"Tasks": changes}); err != nil {
			return err
		}
		if key := t.host + "/" + t.component; r.liveSet[key] {
			if _, err := tx.Put(r.hostComponent(t), tree("HostRoles", "state", r.live[key].String())); err != nil {
				return err
			}
			delete(r.liveSet, key)
		}
	}
	clear(r.dirty)
	return nil
}

// summarize writes the stage's and the request's status, counts and
// progress.
func (r *run) summarize(tx *resource.Tx, stage int64) error {
	req := strconv.FormatInt(r.id, 10)
	sc := r.stageCounts(stage)
	stageBody := map[string]any{"status": sc.Summary().String(), "progress_percent": sc.Progress()}
	if sc[Pending] < sc.Total() {
		stageBody["start_time"] = r.m.millis()
	}
	if sc.Summary().Done() {
		stageBody["end_time"] = r.m.millis()
	}
	if _, err := tx.Put(resource.Ref{Namespace: r.m.ns, Type: Stages, Keys: []string{r.cluster, req, strconv.FormatInt(stage, 10)}}, map[string]any{"Stage": stageBody}); err != nil {
		return err
	}
	c := r.counts
	body := map[string]any{
		"request_status": c.Summary().String(), "progress_percent": c.Progress(),
		"completed_task_count": c[Completed] + c[Failed] + c[TimedOut] + c[Aborted],
		"failed_task_count":    c[Failed], "aborted_task_count": c[Aborted], "timed_out_task_count": c[TimedOut],
		"queued_task_count": c[Queued],
	}
	ref := resource.Ref{Namespace: r.m.ns, Type: Requests, Keys: []string{r.cluster, req}}
	old, err := tx.Get(ref)
	if err != nil {
		return err
	}
	if was := str(old.Value("Requests/request_status")); was != c.Summary().String() {
		r.m.log.Info("ambit: request", "cluster", r.cluster, "request", r.id, "from", was, "to", c.Summary().String(),
			"progress", c.Progress(), "tasks", c.Total())
	}
	if category(old.Tree(), "Requests")["start_time"] == -1.0 && c[Pending] < c.Total() {
		body["start_time"] = r.m.millis()
	}
	if c.Summary().Done() {
		body["end_time"] = r.m.millis()
	}
	if _, err = tx.Put(ref, map[string]any{"Requests": body}); err != nil {
		return err
	}
	if !c.Summary().Done() {
		return nil
	}
	// The calculated states change with the request's end, in the same
	// transaction: no reader sees a COMPLETED request beside the old state.
	return r.m.recalculate(tx, r.cluster, r.services())
}

// finish aborts what is left of a request that stopped early: after a
// failed stage, or an abort.
func (r *run) finish() error {
	return r.m.store.Write(r.writes, func(tx *resource.Tx) error {
		last := int64(0)
		for _, t := range r.tasks {
			if !t.status.Done() {
				if err := r.move(tx, t, Aborted, t.attempt); err != nil {
					return err
				}
			}
			last = max(last, t.stage)
		}
		if err := r.flush(tx); err != nil {
			return err
		}
		if len(r.tasks) == 0 {
			return nil
		}
		for stage := int64(0); stage <= last; stage++ {
			if err := r.summarize(tx, stage); err != nil {
				return err
			}
		}
		return nil
	})
}

// Abort ends a request, as PUT of Requests/request_status=ABORTED does: the
// running tasks are cancelled and every task not yet done becomes ABORTED,
// with the host components in flight rolled back. A reason is required. A
// request that has already ended is left as it is, without an error.
func (m *Manager) Abort(ctx context.Context, cluster string, id int64, reason string) error {
	if reason == "" {
		return resource.Errorf(resource.Invalid, "Requests/abort_reason", "Abort reason can not be empty.")
	}
	req := strconv.FormatInt(id, 10)
	ref := resource.Ref{Namespace: m.ns, Type: Requests, Keys: []string{cluster, req}}
	r, err := m.store.Get(ctx, ref)
	if err != nil {
		return resource.Caused(resource.Errorf(resource.NotFound, "", "Request %d does not exist", id), err)
	}
	st, _ := ParseStatus(category(r.Tree(), "Requests")["request_status"].(string))
	if st.Done() {
		return nil
	}
	if _, err := m.store.Update(ctx, ref, tree("Requests", "abort_reason", reason), 0); err != nil {
		return err
	}
	m.mu.Lock()
	cancel, running := m.running[m.key(cluster)+"/"+req]
	m.mu.Unlock()
	if running {
		cancel()
		return nil
	}
	run, err := m.load(ctx, cluster, id, Execution{})
	if err != nil {
		return err
	}
	return run.finish()
}
