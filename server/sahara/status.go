package sahara

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ambitkit/ambit/cluster"
	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/server"
)

// state is what a cluster's status follows, kept beside it but never
// shown: the domain's request, the operation (create, scale, delete), and
// the instances being removed.
type state struct {
	request  float64
	op       string
	domain   string // the domain's cluster: the name it was created with
	removing []string
	stop     float64 // the request that stops them
}

// stateOf reads a cluster's state from its stored tree.
func stateOf(tree map[string]any) state {
	id, _ := resource.Get(tree, "cluster/request_id").(float64)
	stop, _ := resource.Get(tree, "cluster/stop_id").(float64)
	domain := asString(resource.Get(tree, "cluster/domain"))
	if domain == "" {
		domain = asString(resource.Get(tree, "cluster/name"))
	}
	return state{request: id, op: asString(resource.Get(tree, "cluster/operation")), domain: domain,
		removing: asStrings(resource.Get(tree, "cluster/removing")), stop: stop}
}

// live sets a cluster's status from its domain request and the operation
// it does, as Sahara's statuses go: Validating, Spawning, Starting,
// Active; Scaling; Deleting; or Error with the failed task's output.
func (f *face) live(c *server.Call, obj map[string]any, st state) {
	id, op := st.request, st.op
	if op == "delete" {
		obj["status"] = "Deleting"
		return
	}
	if f.mgr == nil || id == 0 {
		return
	}
	name := st.domain
	r, err := f.store.Get(c.Context(), resource.Ref{Type: cluster.Requests, Namespace: c.Namespace, Keys: []string{name, strconv.Itoa(int(id))}})
	if err != nil {
		return
	}
	progress, _ := r.Value("Requests/progress_percent").(float64)
	switch r.Value("Requests/request_status") {
	case "PENDING", "QUEUED", "IN_PROGRESS":
		switch {
		case op == "scale":
			obj["status"] = "Scaling"
		case r.Value("Requests/request_status") == "PENDING":
			obj["status"] = "Validating"
		case progress >= 50:
			obj["status"] = "Starting"
		default:
			obj["status"] = "Spawning"
		}
	case "COMPLETED":
		obj["status"] = "Active"
		if len(st.removing) > 0 {
			obj["status"] = "Decommissioning"
		}
	default:
		obj["status"], obj["status_description"] = "Error", f.failure(c, name, int(id))
	}
}

// refresh stores the live status of the project's clusters, so that a
// list filters and sorts on it.
//
// A status follows from the store alone: when a refresh stored nothing,
// another at the same version would store nothing either, and is skipped.
func (f *face) refresh(c *server.Call) error {
	version := f.store.Version()
	if f.quiet.at(c.Namespace, version) {
		return nil
	}
	if err := f.refreshAll(c); err != nil {
		return err
	}
	if f.store.Version() == version {
		f.quiet.mark(c.Namespace, version)
	}
	return nil
}

// refreshAll stores the live status of every cluster of the project whose
// status changed.
func (f *face) refreshAll(c *server.Call) error {
	res, err := f.store.List(c.Context(), resource.Query{Type: clusters.coll(), Namespace: c.Namespace, Instance: true,
		Page: paging.Request{Size: paging.All}})
	if err != nil {
		return err
	}
	for _, it := range res.Items {
		if gone, err := f.reap(c, it); gone || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		it, err := f.settle(c, it)
		if err != nil {
			return err
		}
		st := stateOf(it) // before the view hides it
		view := clusters.viewTree(it)
		before := view["status"]
		if f.live(c, view, st); view["status"] == before {
			continue
		}
		ref := resource.Ref{Type: clusters.coll(), Namespace: c.Namespace, Keys: []string{asString(view["id"])}}
		change := map[string]any{"cluster": map[string]any{"status": view["status"], "status_description": view["status_description"]}}
		if _, err := f.store.Update(c.Context(), ref, change, 0); err != nil && !resource.IsKind(err, resource.NotFound) { // deleted since the list
			return err
		}
	}
	return nil
}

// quiet remembers, by project, the store's version at which a refresh
// stored nothing.
type quiet struct {
	mu       sync.Mutex
	versions map[string]uint64
}

// maxQuiet bounds the projects remembered; when full, it starts over.
const maxQuiet = 1024

func (q *quiet) at(ns string, version uint64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	v, ok := q.versions[ns]
	return ok && v == version
}

func (q *quiet) mark(ns string, version uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.versions == nil || len(q.versions) >= maxQuiet {
		q.versions = map[string]uint64{}
	}
	q.versions[ns] = version
}

// ended reports whether a cluster's domain request has ended (or is no
// longer there).
func (f *face) ended(c *server.Call, name string, id float64) bool {
	r, err := f.store.Get(c.Context(), resource.Ref{Type: cluster.Requests, Namespace: c.Namespace, Keys: []string{name, strconv.Itoa(int(id))}})
	if err != nil {
		return true
	}
	switch r.Value("Requests/request_status") {
	case "PENDING", "QUEUED", "IN_PROGRESS":
		return false
	}
	return true
}

// failure is the output of a request's first failed task.
func (f *face) failure(c *server.Call, name string, id int) string {
	res, err := f.store.List(c.Context(), resource.Query{Type: cluster.Tasks, Namespace: c.Namespace, Instance: true,
		Page: paging.Request{Size: paging.All}, Scope: map[string]string{"Tasks/cluster_name": name, "Tasks/request_id": strconv.Itoa(id)}})
	if err != nil {
		return ""
	}
	for _, it := range res.Items {
		t, _ := it["Tasks"].(map[string]any)
		if t["status"] == "FAILED" || t["status"] == "TIMEDOUT" {
			return fmt.Sprintf("%s %s on %s failed: %s", t["role"], t["command"], t["host_name"], t["stderr"])
		}
	}
	return "The provisioning request ended early."
}

// progress is Sahara's provision_progress: one step per stage of the
// request, with its tasks' counts.
func (f *face) progress(c *server.Call, clusterID any, name string, id float64) []any {
	res, err := f.store.List(c.Context(), resource.Query{Type: cluster.Tasks, Namespace: c.Namespace, Instance: true,
		Page: paging.Request{Size: paging.All}, Scope: map[string]string{"Tasks/cluster_name": name, "Tasks/request_id": strconv.Itoa(int(id))}})
	if err != nil {
		return []any{}
	}
	created := time.Now()
	if r, err := f.store.Get(c.Context(), resource.Ref{Type: cluster.Requests, Namespace: c.Namespace, Keys: []string{name, strconv.Itoa(int(id))}}); err == nil {
		ms, _ := r.Value("Requests/create_time").(float64)
		created = time.UnixMilli(int64(ms))
	}
	type step struct {
		stage           float64
		command         string
		roles           []string
		total, done     int
		failed, running bool
	}
	var steps []*step
	byStage := map[float64]*step{}
	for _, it := range res.Items {
		t, _ := it["Tasks"].(map[string]any)
		stage, _ := t["stage_id"].(float64)
		s := byStage[stage]
		if s == nil {
			s = &step{stage: stage, command: asString(t["command"])}
			byStage[stage] = s
			steps = append(steps, s)
		}
		if role := asString(t["role"]); !slices.Contains(s.roles, role) {
			s.roles = append(s.roles, role)
		}
		s.total++
		switch t["status"] {
		case "COMPLETED":
			s.done++
		case "FAILED", "TIMEDOUT", "ABORTED":
			s.done++
			s.failed = true
		default:
			s.running = true
		}
	}
	out := []any{}
	for _, s := range steps {
		var ok any // null while it runs
		if !s.running {
			ok = !s.failed
		}
		// The CLI orders steps by created_at: the stages', a microsecond apart.
		at := created.Add(time.Duration(s.stage) * time.Microsecond).UTC().Format("2006-01-02T15:04:05.000000")
		out = append(out, map[string]any{"id": fmt.Sprintf("%08x-0000-4000-8000-%012x", int64(id), int64(s.stage)), "cluster_id": clusterID,
			"step_name": s.command[:1] + strings.ToLower(s.command[1:]) + " " + strings.Join(s.roles, ", "), "step_type": "Plugin: " + strings.ToLower(s.command),
			"successful": ok, "total": s.total, "completed": s.done, "created_at": at, "updated_at": at})
	}
	return out
}
