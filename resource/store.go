package resource

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-memdb"
)

// Default is the namespace of resources that name none, Ambari's only one.
const Default = "default"

// Store holds resources of a fixed set of types in memory, indexed, with
// all-or-nothing writes. It is safe for concurrent use: reads see a
// consistent snapshot and never block writes.
type Store struct {
	db       *memdb.MemDB
	schemaDB *memdb.DBSchema
	types    map[string]*layout // by collection name
	order    []*layout          // in declaration order
	writeMu  sync.Mutex         // orders writes, so versions increase with them
	index    atomic.Uint64      // the version of the last write, for writers
	snaps    *snapshots         // read snapshots retained for paged listings
	counts   counts             // listing totals of the current version
	history  history            // what the latest writes changed
	bell     bell               // rung when a write becomes visible

	// With a log (OpenReplica), writes are proposed to it and applied
	// when it delivers them (Apply).
	log Log

	// Readers read pub, the last write published (commit.go), while
	// writers build on db and trees, which may be ahead of it: with a
	// backend, by the writes not yet durable; without, by a write in
	// parts (in db only: a write keeps its trees until it commits).
	// Both are under writeMu.
	trees       *trees
	spare       spare // the last write's lists, for the next (writes.go)
	backend     Backend
	pub         atomic.Pointer[published]
	pubMu       sync.Mutex // orders changes of pub
	epoch       uint64     // counts rollbacks to pub, under writeMu
	newSchema   []byte     // the store's declarations, for its backend
	schemaSaved atomic.Bool
}

// published is the state readers see: a snapshot of memdb at a version,
// and the trees of that version. A replica publishes every change set it
// applies, and a reload.
type published struct {
	db      *memdb.MemDB
	version uint64
	trees   *trees
}

// state is what readers may be given of the writers' memdb and trees, at
// version.
func (s *Store) state(version uint64) *published {
	return &published{db: s.db.Snapshot(), version: version, trees: s.trees}
}

// reading is what a read reads: a memdb read transaction, the version it
// is at, and the trees of that version. Readers never pair data of one
// version with the version or the indexes of another, since the three are
// published together.
type reading struct {
	*memdb.Txn
	version uint64
	trees   *trees
}

// read returns what readers may see: the published state (commit.go).
func (s *Store) read() *reading {
	p := s.pub.Load()
	return &reading{Txn: p.db.Txn(false), version: p.version, trees: p.trees}
}

// New builds a store for the given types.
func New(types ...Type) (*Store, error) {
	s := &Store{types: map[string]*layout{}, snaps: newSnapshots()}
	in := &interner{strs: map[string]any{}}
	schema := &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{}}
	for _, t := range types {
		l, err := compile(t)
		if err != nil {
			return nil, err
		}
		l.intern = in
		l.codes = newCodes(l, nil)
		if _, dup := s.types[t.Collection]; dup {
			return nil, fmt.Errorf("resource: two types named %s", t.Collection)
		}
		s.types[t.Collection] = l
		s.order = append(s.order, l)
	}
	n := 0
	for _, l := range s.order {
		if err := l.link(s.types); err != nil {
			return nil, err
		}
		schema.Tables[l.t.Collection] = l.tableSchema()
	}
	for _, l := range s.order {
		n = l.declareIndexes(n)
	}
	if len(schema.Tables) == 0 { // memdb wants a table: a store of no types has an empty one
		schema.Tables["_none"] = &memdb.TableSchema{Name: "_none", Indexes: map[string]*memdb.IndexSchema{
			idIndex: {Name: idIndex, Unique: true, Indexer: idIndexer{}},
		}}
	}
	s.schemaDB = schema
	db, err := s.emptyDB()
	if err != nil {
		return nil, err
	}
	s.db, s.trees = db, s.emptyTrees()
	s.pub.Store(&published{db: db.Snapshot(), trees: s.trees})
	return s, nil
}

// emptyDB makes the store's memdb, empty.
func (s *Store) emptyDB() (*memdb.MemDB, error) {
	db, err := memdb.NewMemDB(s.schemaDB)
	if err != nil {
		return nil, fmt.Errorf("resource: %w", err)
	}
	return db, nil
}

// emptyTrees makes the store's trees, empty.
func (s *Store) emptyTrees() *trees {
	ts := &trees{}
	for _, l := range s.order { // in the order declareIndexes numbers them
		ts.t = append(ts.t, newIDTree())
		for _, x := range l.indexes {
			ts.t = append(ts.t, x.newTree())
		}
	}
	return ts
}

// Ref names one resource: its type's collection name, its namespace ("" for
// Default) and its key values as they appear in URLs.
type Ref struct {
	Type      string
	Namespace string
	Keys      []string
}

// Resource is a stored resource, read-only.
type Resource struct {
	l *layout
	r *record
}

// Tree renders the resource's properties as a JSON-shaped tree. Its
// category maps are new, but the values of Object and List properties are
// the store's own and must not be changed.
func (r Resource) Tree() map[string]any { return r.l.tree(r.r) }

// Version is the store version of the write that last changed the
// resource, for ETags and conditional updates.
func (r Resource) Version() uint64 { return r.r.version }

// Namespace is the resource's namespace.
func (r Resource) Namespace() string { return r.r.ns }

// Value returns the value of one declared property (nil when absent),
// without rendering the whole tree.
func (r Resource) Value(path string) any {
	if i, ok := r.l.slot[path]; ok {
		return r.r.slots[i]
	}
	return nil
}

// Ref names the resource.
func (r Resource) Ref() Ref {
	return Ref{Type: r.l.t.Collection, Namespace: r.r.ns, Keys: r.Keys()}
}

// Keys are the resource's key values as they appear in URLs.
func (r Resource) Keys() []string { return r.l.keyStrings(r.r) }

// Types returns the store's types, as declared, in declaration order.
func (s *Store) Types() []Type {
	out := make([]Type, len(s.order))
	for i, l := range s.order {
		out[i] = l.t
	}
	return out
}

// Version returns the version of the store's last write that readers
// see. Every answer of a server says it.
func (s *Store) Version() uint64 { return s.pub.Load().version }

func (s *Store) layout(name string) (*layout, error) {
	l, ok := s.types[name]
	if !ok {
		return nil, Errorf(NotFound, "", "No resource type %s.", name)
	}
	return l, nil
}

func namespace(ns string) string {
	if ns == "" {
		return Default
	}
	return ns
}

// KeyName is the name Ambari's messages give a key property: its last
// segment in camel case, Clusters/cluster_name → clusterName.
func KeyName(path string) string {
	name := path[strings.LastIndexByte(path, '/')+1:]
	var b strings.Builder
	upper := false
	for _, c := range name {
		switch {
		case c == '_':
			upper = b.Len() > 0
		case upper:
			b.WriteString(strings.ToUpper(string(c)))
			upper = false
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// unsupported is the error for properties a type does not know.
func (l *layout) unsupported(paths []string) error {
	problems := make([]Problem, len(paths))
	for i, p := range paths {
		problems[i] = Problem{Path: p, Reason: Unsupported}
	}
	return &Error{Kind: Invalid, Type: l.t.Name, Problems: problems,
		Msg: fmt.Sprintf("The properties [%s] are not supported for the resource type %s.", strings.Join(paths, ", "), l.t.Name)}
}

// appendID appends the encoding of a Ref's keys to b, each read as its
// key property's kind, as idOf encodes values: without making the values,
// for a lookup makes one.
func (l *layout) appendID(b []byte, ref Ref) ([]byte, error) {
	if len(ref.Keys) > len(l.keySlots) {
		return nil, Errorf(NotFound, "", "%s has %d keys, not %d.", l.t.Name, len(l.keySlots), len(ref.Keys))
	}
	b = appendEncoded(b, namespace(ref.Namespace))
	for i, k := range ref.Keys {
		var ok bool
		if b, ok = appendKey(b, l.props[l.keySlots[i]].Kind, k); !ok {
			return nil, l.notFound(anys(ref.Keys))
		}
	}
	return b, nil
}

// appendKey appends the encoding of a key as a URL gives it, read as a
// key's kind (a String or a Number), as coerce reads it; false when it is
// no value of that kind.
func appendKey(b []byte, k Kind, key string) ([]byte, bool) {
	switch k {
	case String:
		if strings.IndexByte(key, 0) >= 0 {
			return b, false
		}
		return appendEncoded(b, key), true
	case Number:
		f, ok := parseNumber(key)
		return appendEncoded(b, f), ok
	}
	return b, false
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Get returns one resource. A missing one is a 404 naming its type and keys.
func (s *Store) Get(ctx context.Context, ref Ref) (Resource, error) {
	l, err := s.layout(ref.Type)
	if err != nil {
		return Resource{}, err
	}
	r, err := find(s.pub.Load().trees, l, ref, new(lookup))
	if err != nil {
		return Resource{}, err
	}
	return Resource{l, r}, nil
}

// lookup is what finding a resource by its Ref uses: the buffer its id is
// encoded in, and a probe to seek with. A write keeps one, so that its
// lookups allocate nothing.
type lookup struct {
	id    []byte
	probe record
}

// find looks a resource up in the trees of a version.
func find(ts *trees, l *layout, ref Ref, lk *lookup) (*record, error) {
	id, err := l.appendID(lk.id[:0], ref)
	if err != nil {
		return nil, err
	}
	lk.id = id
	if len(ref.Keys) == len(l.keySlots) {
		if r := ts.get(l, id, &lk.probe); r != nil {
			return r, nil
		}
	}
	return nil, l.notFound(anys(ref.Keys))
}
