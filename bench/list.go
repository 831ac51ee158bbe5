package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/query"
	"github.com/ambitkit/ambit/resource"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// Data is the list data set, loaded into ambit's store and into SQLite.
type Data struct {
	Store *resource.Store
	DB    *sql.DB
	Tasks int
}

// Load builds both with the given numbers of tasks and hosts.
func Load(ctx context.Context, tasks, hosts int) (*Data, error) {
	s, err := resource.New(Types()...)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // an in-memory database lives in its connection
	d := &Data{Store: s, DB: db, Tasks: tasks}
	if err := d.schema(ctx); err != nil {
		return nil, err
	}
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		return nil, err
	}
	if _, err := s.Create(ctx, "requests", "", map[string]any{"Requests": map[string]any{"cluster_name": "c1", "id": 1.0}}); err != nil {
		return nil, err
	}
	if err := d.load(ctx, "hosts", hosts, Host, hostColumns); err != nil {
		return nil, err
	}
	if err := d.load(ctx, "tasks", tasks, Task, taskColumns); err != nil {
		return nil, err
	}
	// Statistics for SQLite's planner: without them it answers a range
	// ordered by its own column from the primary key and sorts.
	_, err = db.ExecContext(ctx, "ANALYZE")
	return d, err
}

var (
	hostColumns = []string{"cluster_name", "host_name", "cpu_count", "os_type", "host_status", "rack_info", "ip", "total_mem"}
	taskColumns = []string{"cluster_name", "request_id", "id", "stage_id", "host_name", "role", "command", "status",
		"exit_code", "start_time", "end_time", "attempt_cnt", "stdout", "stderr"}
)

// schema makes SQLite's tables with an index on each column ambit indexes;
// journaling is off, as the store keeps no log either.
func (d *Data) schema(ctx context.Context) error {
	for _, stmt := range []string{
		"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
		`CREATE TABLE hosts (cluster_name TEXT, host_name TEXT, cpu_count REAL, os_type TEXT, host_status TEXT,
			rack_info TEXT, ip TEXT, total_mem REAL, PRIMARY KEY (cluster_name, host_name))`,
		"CREATE INDEX hosts_cpu ON hosts (cpu_count)", "CREATE INDEX hosts_os ON hosts (os_type)",
		`CREATE TABLE tasks (cluster_name TEXT, request_id INTEGER, id INTEGER, stage_id INTEGER, host_name TEXT,
			role TEXT, command TEXT, status TEXT, exit_code INTEGER, start_time INTEGER, end_time INTEGER,
			attempt_cnt INTEGER, stdout TEXT, stderr TEXT, PRIMARY KEY (cluster_name, request_id, id))`,
		"CREATE INDEX tasks_status ON tasks (status)", "CREATE INDEX tasks_start ON tasks (start_time)",
	} {
		if _, err := d.DB.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// load inserts n resources made by build into the store (500 per write:
// beyond about that, memdb's commit walks its whole tree to notify
// watchers, and loading takes half as long again) and into SQLite (in one
// transaction).
func (d *Data) load(ctx context.Context, collection string, n int, build func(int) map[string]any, columns []string) error {
	tx, err := d.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	marks := slices.Repeat([]string{"?"}, len(columns))
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", collection,
		join(columns), join(marks)))
	if err != nil {
		return err
	}
	const batch = 500
	for i := 0; i < n; i += batch {
		trees := make([]map[string]any, min(batch, n-i))
		for j := range trees {
			trees[j] = build(i + j)
			var props map[string]any
			for _, v := range trees[j] {
				props = v.(map[string]any)
			}
			args := make([]any, len(columns))
			for k, c := range columns {
				args[k] = props[c]
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		if _, err := d.Store.Create(ctx, collection, "", trees...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// ListQuery is one list query, as ambit asks it and as SQL asks it. Both
// list the tasks of request 1 of cluster c1, as
// /clusters/c1/requests/1/tasks does.
type ListQuery struct {
	Name  string
	Ambit resource.Query
	SQL   string
	Args  []any
}

// ListQueries are the list cases over n tasks.
func ListQueries(n int) []ListQuery {
	scope := map[string]string{"Tasks/cluster_name": "c1", "Tasks/request_id": "1"}
	page := func(order paging.Order) paging.Request {
		return paging.Request{Style: paging.Markers, Size: 100, Order: order}
	}
	pred := func(s string) query.Expr {
		e, err := query.Parse(s)
		if err != nil {
			panic(err)
		}
		return e
	}
	const from = "SELECT id FROM tasks WHERE cluster_name = 'c1' AND request_id = 1"
	const keys = "cluster_name, request_id, id"
	top := StartTime + (n-n/100)*1000 // the last 1 % of start times
	deep := paging.Request{Style: paging.Markers, Size: 100, Marker: strconv.Itoa(n*9/10 - 1)}
	return []ListQuery{
		{"indexed equality (status=FAILED, 1 %), page of 100",
			resource.Query{Type: "tasks", Scope: scope, Predicate: pred("Tasks/status=FAILED"), Page: page(nil)},
			from + " AND status = 'FAILED' ORDER BY " + keys + " LIMIT 100", nil},
		{"indexed range (last 1 % of start_time), page of 100 by start_time",
			resource.Query{Type: "tasks", Scope: scope, Predicate: pred("Tasks/start_time>=" + strconv.Itoa(top)),
				Page: page(paging.Order{{Path: []string{"Tasks", "start_time"}}})},
			from + " AND start_time >= ? ORDER BY start_time, " + keys + " LIMIT 100", []any{top}},
		{"indexed range (last 1 % of start_time), page of 100 by key",
			resource.Query{Type: "tasks", Scope: scope, Predicate: pred("Tasks/start_time>=" + strconv.Itoa(top)), Page: page(nil)},
			from + " AND start_time >= ? ORDER BY " + keys + " LIMIT 100", []any{top}},
		{"unindexed predicate (exit_code=1, 1 %), page of 100",
			resource.Query{Type: "tasks", Scope: scope, Predicate: pred("Tasks/exit_code=1"), Page: page(nil)},
			from + " AND exit_code = 1 ORDER BY " + keys + " LIMIT 100", nil},
		{fmt.Sprintf("deep page at %d (ambit: marker; SQLite: OFFSET)", n*9/10),
			resource.Query{Type: "tasks", Scope: scope, Page: deep},
			from + " ORDER BY " + keys + " LIMIT 100 OFFSET " + strconv.Itoa(n*9/10), nil},
		{"sort on an unindexed property (end_time desc), page of 100",
			resource.Query{Type: "tasks", Scope: scope, Page: page(paging.Order{{Path: []string{"Tasks", "end_time"}, Desc: true}})},
			from + " ORDER BY end_time DESC, " + keys + " LIMIT 100", nil},
	}
}

// Ambit runs q on the store as ambit's server does, the page's items
// encoded as JSON (Query.JSON: keys and href), and returns them.
func (d *Data) Ambit(ctx context.Context, q ListQuery) ([]json.RawMessage, error) {
	q.Ambit.JSON = &resource.Encoding{}
	res, err := d.Store.List(ctx, q.Ambit)
	if err != nil {
		return nil, err
	}
	return res.JSON, nil
}

// Trees runs q on the store with the page's items as trees
// (Result.Items), which a Go caller of the store reads, and returns them.
func (d *Data) Trees(ctx context.Context, q ListQuery) ([]map[string]any, error) {
	res, err := d.Store.List(ctx, q.Ambit)
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}

// ambitIDs are the task ids of the page, both ways ambit answers.
func (d *Data) ambitIDs(ctx context.Context, q ListQuery) (encoded, trees []int64, err error) {
	items, err := d.Ambit(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	for _, raw := range items {
		var it struct {
			Href  string `json:"href"`
			Tasks struct {
				ID *float64 `json:"id"`
			} `json:"Tasks"`
		}
		if err := json.Unmarshal(raw, &it); err != nil || it.Tasks.ID == nil || it.Href == "" {
			return nil, nil, fmt.Errorf("an item without its id or href: %s", raw)
		}
		encoded = append(encoded, int64(*it.Tasks.ID))
	}
	ts, err := d.Trees(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	for _, it := range ts {
		trees = append(trees, int64(it["Tasks"].(map[string]any)["id"].(float64)))
	}
	return encoded, trees, nil
}

// SQLite runs q on SQLite and returns the task ids of the page.
func (d *Data) SQLite(ctx context.Context, q ListQuery) ([]int64, error) {
	rows, err := d.DB.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Same checks that ambit, both ways, and SQLite answer q with the same
// page.
func (d *Data) Same(ctx context.Context, q ListQuery) error {
	a, t, err := d.ambitIDs(ctx, q)
	if err != nil {
		return fmt.Errorf("%s: ambit: %w", q.Name, err)
	}
	s, err := d.SQLite(ctx, q)
	if err != nil {
		return fmt.Errorf("%s: SQLite: %w", q.Name, err)
	}
	if !slices.Equal(a, s) || !slices.Equal(t, s) || len(a) != 100 {
		return fmt.Errorf("%s: ambit answers %d ids (%v…; as trees %v…), SQLite %d (%v…)", q.Name, len(a), head(a), head(t), len(s), head(s))
	}
	return nil
}

func head(ids []int64) []int64 { return ids[:min(3, len(ids))] }
