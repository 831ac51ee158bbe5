package bench

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/ambitkit/ambit/resource/bolt"
	bbolt "go.etcd.io/bbolt"
)

// Durable is an engine that writes tasks to disk, one acknowledged write
// at a time: each returns once its task is synced.
type Durable struct {
	Name string
	// Open makes the engine's files in dir.
	Open func(ctx context.Context, dir string) (Writer, error)
}

// Writer writes task i durably; Count says how many tasks it holds.
type Writer interface {
	Write(ctx context.Context, i int) error
	Count(ctx context.Context) (int, error)
	Close() error
}

// Durables are ambit's store on resource/bolt, SQLite in WAL mode with
// synchronous=FULL, and a plain bbolt transaction per write.
func Durables() []Durable {
	return []Durable{
		{"ambit (resource/bolt, sync always)", openAmbit},
		{"SQLite (WAL, synchronous=FULL)", openSQLite},
		{"bbolt, one transaction per write", openBbolt},
	}
}

// Rate runs writers concurrent writers on a fresh engine for d, and
// returns the acknowledged writes per second. It checks that the engine
// then holds every write it acknowledged.
func Rate(ctx context.Context, e Durable, writers int, d time.Duration) (float64, error) {
	dir, err := os.MkdirTemp("", "ambit-durable-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	w, err := e.Open(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	var next, acked atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range writers {
		wg.Go(func() {
			for time.Since(start) < d {
				if err := w.Write(ctx, int(next.Add(1))); err != nil {
					once.Do(func() { first = err })
					return
				}
				acked.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if first != nil {
		return 0, fmt.Errorf("%s: %w", e.Name, first)
	}
	n, err := w.Count(ctx)
	if err != nil {
		return 0, err
	}
	if int64(n) != acked.Load() {
		return 0, fmt.Errorf("%s holds %d tasks after %d acknowledged writes", e.Name, n, acked.Load())
	}
	return float64(acked.Load()) / elapsed.Seconds(), nil
}

type ambitWriter struct {
	db *bolt.DB
	s  *resource.Store
}

func openAmbit(ctx context.Context, dir string) (Writer, error) {
	db, err := bolt.Open(filepath.Join(dir, "ambit.db"))
	if err != nil {
		return nil, err
	}
	s, err := resource.Open(db, Types()...)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := seed(ctx, s); err != nil {
		db.Close()
		return nil, err
	}
	return ambitWriter{db, s}, nil
}

// seed makes the cluster and the request that tasks belong to.
func seed(ctx context.Context, s *resource.Store) error {
	if _, err := s.Create(ctx, "clusters", "", map[string]any{"Clusters": map[string]any{"cluster_name": "c1"}}); err != nil {
		return err
	}
	_, err := s.Create(ctx, "requests", "", map[string]any{"Requests": map[string]any{"cluster_name": "c1", "id": 1.0}})
	return err
}

func (a ambitWriter) Write(ctx context.Context, i int) error {
	_, err := a.s.Create(ctx, "tasks", "", Task(i))
	return err
}

func (a ambitWriter) Count(ctx context.Context) (int, error) { return count(ctx, a.s) }

// count is how many tasks a store holds.
func count(ctx context.Context, s *resource.Store) (int, error) {
	res, err := s.List(ctx, resource.Query{Type: "tasks", Page: paging.Request{Size: 1}})
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}

func (a ambitWriter) Close() error { return a.db.Close() }

type sqliteWriter struct{ db *sql.DB }

func openSQLite(ctx context.Context, dir string) (Writer, error) {
	dsn := "file:" + filepath.Join(dir, "tasks.sqlite") + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(60000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	for _, stmt := range []string{
		`CREATE TABLE tasks (cluster_name TEXT, request_id INTEGER, id INTEGER, stage_id INTEGER, host_name TEXT,
			role TEXT, command TEXT, status TEXT, exit_code INTEGER, start_time INTEGER, end_time INTEGER,
			attempt_cnt INTEGER, stdout TEXT, stderr TEXT, PRIMARY KEY (cluster_name, request_id, id))`,
		"CREATE INDEX tasks_status ON tasks (status)", "CREATE INDEX tasks_start ON tasks (start_time)",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return sqliteWriter{db}, nil
}

func (s sqliteWriter) Write(ctx context.Context, i int) error {
	t := Task(i)["Tasks"].(map[string]any)
	args := make([]any, len(taskColumns))
	for j, c := range taskColumns {
		args[j] = t[c]
	}
	_, err := s.db.ExecContext(ctx, "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", args...)
	return err
}

func (s sqliteWriter) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM tasks").Scan(&n)
	return n, err
}

func (s sqliteWriter) Close() error { return s.db.Close() }

type bboltWriter struct{ db *bbolt.DB }

var tasksBucket = []byte("tasks")

func openBbolt(_ context.Context, dir string) (Writer, error) {
	db, err := bbolt.Open(filepath.Join(dir, "plain.db"), 0o600, nil)
	if err != nil {
		return nil, err
	}
	return bboltWriter{db}, db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(tasksBucket)
		return err
	})
}

func (b bboltWriter) Write(_ context.Context, i int) error {
	v, err := json.Marshal(Task(i))
	if err != nil {
		return err
	}
	return b.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(tasksBucket).Put(binary.BigEndian.AppendUint64(nil, uint64(i)), v)
	})
}

func (b bboltWriter) Count(context.Context) (int, error) {
	var n int
	err := b.db.View(func(tx *bbolt.Tx) error { n = tx.Bucket(tasksBucket).Stats().KeyN; return nil })
	return n, err
}

func (b bboltWriter) Close() error { return b.db.Close() }

// Startup writes tasks tasks to a resource/bolt file in batches, closes
// it, and measures opening it again: how long until the store answers,
// and the file's size.
func Startup(ctx context.Context, tasks int) (time.Duration, int64, error) {
	dir, err := os.MkdirTemp("", "ambit-startup-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ambit.db")
	db, err := bolt.Open(path)
	if err != nil {
		return 0, 0, err
	}
	s, err := resource.Open(db, Types()...)
	if err == nil {
		err = seed(ctx, s)
	}
	const batch = 10_000
	for start := 0; err == nil && start < tasks; start += batch {
		bodies := make([]map[string]any, 0, batch)
		for i := start; i < min(start+batch, tasks); i++ {
			bodies = append(bodies, Task(i))
		}
		_, err = s.Create(ctx, "tasks", "", bodies...)
	}
	if err := db.Close(); err != nil {
		return 0, 0, err
	}
	if err != nil {
		return 0, 0, err
	}
	began := time.Now()
	db, err = bolt.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	s, err = resource.Open(db, Types()...)
	if err != nil {
		return 0, 0, err
	}
	took := time.Since(began)
	if n, err := count(ctx, s); err != nil || n != tasks {
		return 0, 0, fmt.Errorf("reopened with %d tasks of %d: %v", n, tasks, err)
	}
	size, err := db.Size()
	return took, size, err
}
