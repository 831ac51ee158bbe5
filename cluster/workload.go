package cluster

import (
	"fmt"
	"time"

	"github.com/ambitkit/ambit/resource"
)

// The collection names of the workload history Ambari serves: workflows
// (DAGs of MapReduce jobs), their jobs, and the jobs' task attempts.
const (
	Workflows    = "workflows"
	Jobs         = "jobs"
	TaskAttempts = "taskattempts"
)

// maxWorkflows bounds the workload history a cluster keeps: the oldest
// workflows go first.
const maxWorkflows = 50

// Workflow is a workflow a driver reports, with its jobs.
type Workflow struct {
	ID, Name, User string
	Start, End     time.Time
	Jobs           []Job
}

// Job is a job of a workflow, with its task attempts.
type Job struct {
	ID, Name, Status string
	Submit, Finish   time.Time
	Attempts         []TaskAttempt
}

// TaskAttempt is an attempt of a job's task.
type TaskAttempt struct {
	ID, Type, Status string // Type is MAP or REDUCE
	Start, Finish    time.Time
	InputBytes       int64
}

// Workloads is a driver that reports the workflows run on a cluster since
// a time. The simulated driver runs a small synthetic workload.
type Workloads interface {
	Workflows(cluster string, since, now time.Time) []Workflow
}

func workloadTypes() []resource.Type {
	str := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.String} }
	num := func(path string) resource.Property { return resource.Property{Path: path, Kind: resource.Number} }
	return []resource.Type{
		{Name: "Workflow", Collection: Workflows, Category: "Workflow", Parent: Clusters,
			Keys: []string{"Workflow/cluster_name", "Workflow/workflow_id"},
			Properties: []resource.Property{str("Workflow/workflow_name"), str("Workflow/user_name"), num("Workflow/start_time"),
				num("Workflow/last_update_time"), num("Workflow/elapsed_time"), num("Workflow/num_jobs_total"), num("Workflow/num_jobs_completed"),
				num("Workflow/input_bytes")}},
		{Name: "Job", Collection: Jobs, Category: "Job", Parent: Workflows,
			Keys: []string{"Job/cluster_name", "Job/workflow_id", "Job/job_id"},
			Properties: []resource.Property{str("Job/name"), {Path: "Job/status", Kind: resource.String, Indexed: true}, str("Job/user_name"),
				num("Job/submit_time"), num("Job/elapsed_time"), num("Job/maps"), num("Job/reduces"), num("Job/input_bytes")}},
		{Name: "TaskAttempt", Collection: TaskAttempts, Category: "TaskAttempt", Parent: Jobs,
			Keys: []string{"TaskAttempt/cluster_name", "TaskAttempt/workflow_id", "TaskAttempt/job_id", "TaskAttempt/task_attempt_id"},
			Properties: []resource.Property{str("TaskAttempt/type"), str("TaskAttempt/status"), num("TaskAttempt/start_time"),
				num("TaskAttempt/finish_time"), num("TaskAttempt/input_bytes"), str("TaskAttempt/locality")}},
	}
}

// workloadType reports the types a driver's reports fill, which clients
// only read.
func workloadType(collection string) bool {
	return collection == Workflows || collection == Jobs || collection == TaskAttempts
}

// readOnlyWorkload is the error of a write to the workload history.
func readOnlyWorkload() error {
	return resource.Errorf(resource.Invalid, "", "Workflows, jobs and task attempts are reported by the driver: they cannot be changed through the API.")
}

// recordWorkload writes the workflows a driver reports, and drops the
// oldest beyond the bound.
func (m *Manager) recordWorkload(tx *resource.Tx, cluster string, wfs []Workflow) error {
	ms := func(t time.Time) float64 { return float64(t.UnixMilli()) }
	for _, wf := range wfs {
		if _, err := tx.Get(resource.Ref{Namespace: m.ns, Type: Workflows, Keys: []string{cluster, wf.ID}}); err == nil {
			continue // reported already
		}
		completed := 0
		var input int64
		for _, j := range wf.Jobs {
			if j.Status == "SUCCEEDED" {
				completed++
			}
			for _, a := range j.Attempts {
				input += a.InputBytes
			}
		}
		if _, err := tx.Create(Workflows, m.ns, tree("Workflow", "cluster_name", cluster, "workflow_id", wf.ID, "workflow_name", wf.Name,
			"user_name", wf.User, "start_time", ms(wf.Start), "last_update_time", ms(wf.End), "elapsed_time", ms(wf.End)-ms(wf.Start),
			"num_jobs_total", len(wf.Jobs), "num_jobs_completed", completed, "input_bytes", input)); err != nil {
			return err
		}
		for _, j := range wf.Jobs {
			maps, reduces := 0, 0
			var jin int64
			for _, a := range j.Attempts {
				if a.Type == "MAP" {
					maps++
				} else {
					reduces++
				}
				jin += a.InputBytes
			}
			if _, err := tx.Create(Jobs, m.ns, tree("Job", "cluster_name", cluster, "workflow_id", wf.ID, "job_id", j.ID, "name", j.Name,
				"status", j.Status, "user_name", wf.User, "submit_time", ms(j.Submit), "elapsed_time", ms(j.Finish)-ms(j.Submit),
				"maps", maps, "reduces", reduces, "input_bytes", jin)); err != nil {
				return err
			}
			for _, a := range j.Attempts {
				if _, err := tx.Create(TaskAttempts, m.ns, tree("TaskAttempt", "cluster_name", cluster, "workflow_id", wf.ID, "job_id", j.ID,
					"task_attempt_id", a.ID, "type", a.Type, "status", a.Status, "start_time", ms(a.Start), "finish_time", ms(a.Finish),
					"input_bytes", a.InputBytes, "locality", "NODE_LOCAL")); err != nil {
					return err
				}
			}
		}
	}
	all, err := tx.Find(Workflows, m.ns, map[string]string{"Workflow/cluster_name": cluster}, nil)
	if err != nil {
		return err
	}
	for len(all) > maxWorkflows { // ids sort by time: the oldest are first
		if err := tx.Delete(all[0].Ref()); err != nil {
			return err
		}
		all = all[1:]
	}
	return nil
}

// Workflows runs the simulator's synthetic workload: a workflow a minute
// since the first sample (at most the last maxWorkflows), each of two jobs
// of three task attempts, all succeeded.
func (s *Sim) Workflows(cluster string, since, now time.Time) []Workflow {
	var out []Workflow
	start := now.Truncate(time.Minute)
	if since.IsZero() {
		since = start.Add(-time.Minute)
	}
	for t := start; t.After(since) && len(out) < maxWorkflows; t = t.Add(-time.Minute) {
		id := fmt.Sprintf("wf_%d", t.Unix())
		wf := Workflow{ID: id, Name: "wordcount", User: "ambari-qa", Start: t, End: t.Add(40 * time.Second)}
		for j := range 2 {
			job := Job{ID: fmt.Sprintf("job_%d_%04d", t.Unix(), j+1), Name: fmt.Sprintf("wordcount-%d", j+1), Status: "SUCCEEDED",
				Submit: t.Add(time.Duration(j*20) * time.Second), Finish: t.Add(time.Duration(j*20+18) * time.Second)}
			for a := range 3 {
				typ := "MAP"
				if a == 2 {
					typ = "REDUCE"
				}
				job.Attempts = append(job.Attempts, TaskAttempt{ID: fmt.Sprintf("attempt_%d_%04d_%c_%06d_0", t.Unix(), j+1, typ[0]+32, a),
					Type: typ, Status: "SUCCEEDED", Start: job.Submit.Add(time.Duration(a) * time.Second),
					Finish: job.Submit.Add(time.Duration(a+5) * time.Second), InputBytes: int64(1<<20) * int64(a+1)})
			}
			wf.Jobs = append(wf.Jobs, job)
		}
		out = append(out, wf)
	}
	return out
}
