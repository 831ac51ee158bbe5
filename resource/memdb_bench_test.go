package resource_test

import (
	"sync"
	"testing"

	"github.com/hashicorp/go-memdb"

	"github.com/ambitkit/ambit/resource"
)

// BenchmarkMemdbCreate and BenchmarkMemdbUpdate are the floor under
// BenchmarkCreateTask and BenchmarkUpdateTask: go-memdb alone, one record
// to a transaction in a table of a million keyed by the tasks' ids, with
// a snapshot after each commit as the store publishes one. They run in
// the process that holds the store of a million tasks, so that the
// collector has the same heap to walk. As long as each record is a memdb
// object and each write a memdb transaction, a single write costs at
// least this.
func BenchmarkMemdbCreate(b *testing.B) {
	db := floorDB(b)
	i := 2 * benchTasks // past the table's ids
	b.ReportAllocs()
	for b.Loop() {
		floorWrite(b, db, i)
		i++
	}
}

func BenchmarkMemdbUpdate(b *testing.B) {
	db := floorDB(b)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		floorWrite(b, db, i%benchTasks)
		i += 7919 // as BenchmarkUpdateTask picks its tasks
	}
}

// floorRow is a memdb object with an id, as the store's records are.
type floorRow struct {
	id     []byte
	status string
}

type floorIndexer struct{}

func (floorIndexer) FromObject(obj any) (bool, []byte, error) { return true, obj.(*floorRow).id, nil }
func (floorIndexer) FromArgs(args ...any) ([]byte, error)     { return args[0].([]byte), nil }

func floorID(i int) []byte { return resource.ID("", "c1", 1.0, float64(i)) }

func floorWrite(b *testing.B, db *memdb.MemDB, i int) {
	txn := db.Txn(true)
	if err := txn.Insert("tasks", &floorRow{id: floorID(i), status: "IN_PROGRESS"}); err != nil {
		b.Fatal(err)
	}
	txn.Commit()
	_ = db.Snapshot()
}

var floorOnce = sync.OnceValues(func() (*memdb.MemDB, error) {
	db, err := memdb.NewMemDB(&memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		"tasks": {Name: "tasks", Indexes: map[string]*memdb.IndexSchema{
			"id": {Name: "id", Unique: true, Indexer: floorIndexer{}},
		}},
	}})
	if err != nil {
		return nil, err
	}
	const batch = 1000
	for i := 0; i < benchTasks; i += batch {
		txn := db.Txn(true)
		for j := i; j < i+batch; j++ {
			if err := txn.Insert("tasks", &floorRow{id: floorID(j), status: "COMPLETED"}); err != nil {
				return nil, err
			}
		}
		txn.Commit()
	}
	return db, nil
})

// floorDB is the table of a million, built once a run, beside the
// store of a million tasks.
func floorDB(b *testing.B) *memdb.MemDB {
	benchStore()
	db, err := floorOnce()
	if err != nil {
		b.Fatal(err)
	}
	return db
}
