// Package bolt keeps a resource store in one file, with go.etcd.io/bbolt:
// a bucket per type holding its records by key, a meta bucket with the
// version of the last write and the declarations the records were written
// under, and a bucket of the latest change sets. Writers that commit
// together share one transaction and one sync (group commit).
//
//	db, err := bolt.Open("ambit.db")
//	store, err := resource.Open(db, types...)
//	...
//	db.Close()
package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ambitkit/ambit/resource"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Sync says when a write reaches the disk.
type Sync int

const (
	// Always syncs every commit before the writers in it are answered: an
	// acknowledged write survives a crash of the process, of the machine
	// and a power failure. Writers that commit at the same time share the
	// sync.
	Always Sync = iota
	// Batched answers writers once their commit is written to the file,
	// and syncs at most every window (Options.Window). An acknowledged
	// write survives a crash of the process; a crash of the machine or a
	// power failure may lose the writes of the last window, and, as bbolt
	// then writes without ordering its pages, may leave a file that has to
	// be restored from a backup.
	Batched
	// Never leaves syncing to the operating system: the risks of Batched,
	// over however long the system keeps its pages unwritten.
	Never
)

// Options configure a DB; the zero value is Always, with a history of
// 10,000 change sets.
type Options struct {
	Sync Sync
	// Window is how often Batched syncs; zero means 10 ms.
	Window time.Duration
	// History is how many of the latest change sets the file keeps, for
	// clients that ask for the changes since a version, and HistoryChanges
	// how many changes they may hold in all; zero means 10,000 and 100,000.
	History, HistoryChanges int
}

// Buckets: the meta bucket, the history bucket, and a bucket per type,
// named by the type's collection after this prefix.
var (
	metaBucket    = []byte("meta")
	historyBucket = []byte("history")
	versionKey    = []byte("version")
	schemaKey     = []byte("schema")
	typePrefix    = "type/"
)

// maxBatch bounds how many change sets one transaction commits.
const maxBatch = 1024

// ErrClosed is the error of a commit after Close.
var ErrClosed = errors.New("bolt: the database is closed")

// DB is a store's backend in a bbolt file. It implements resource.Backend.
type DB struct {
	db    *bbolt.DB
	opts  Options
	queue chan pending
	done  chan struct{} // closed when the committer has stopped

	closeOnce sync.Once
	mu        sync.RWMutex // held to read by Commit, to write by Close
	closed    bool

	syncs atomic.Int64 // how many syncs commits have made
	// What the history bucket keeps, oldest first: the committer's.
	kept        []kept
	keptChanges int
}

type pending struct {
	cs   *resource.ChangeSet
	done chan error
}

// Open opens or creates the file at path. A file another server has open
// is an error after a second, not a wait.
func Open(path string, opts ...Options) (*DB, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Window <= 0 {
		o.Window = 10 * time.Millisecond
	}
	if o.History <= 0 {
		o.History = 10000
	}
	if o.HistoryChanges <= 0 {
		o.HistoryChanges = 100000
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoFreelistSync: true})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("bolt: %s is in use by another process", path)
	} else if err != nil {
		return nil, fmt.Errorf("bolt: %w", err)
	}
	db.NoSync = o.Sync != Always
	d := &DB{db: db, opts: o, queue: make(chan pending, maxBatch), done: make(chan struct{})}
	go d.commits()
	return d, nil
}

// Close waits for the commits under way, syncs, and closes the file.
func (d *DB) Close() error {
	d.closeOnce.Do(func() {
		d.mu.Lock()
		d.closed = true
		close(d.queue)
		d.mu.Unlock()
	})
	<-d.done
	return errors.Join(d.db.Sync(), d.db.Close())
}

// Syncs reports how many syncs commits have made, to measure how many
// writers share one.
func (d *DB) Syncs() int64 { return d.syncs.Load() }

// Size is the file's size in bytes.
func (d *DB) Size() (int64, error) {
	var n int64
	err := d.db.View(func(tx *bbolt.Tx) error { n = tx.Size(); return nil })
	return n, err
}

// WriteTo writes a consistent copy of the file, as of its last commit, to
// w, while writes go on: a backup that bolt.Open reads.
func (d *DB) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := d.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// State implements resource.Backend.
func (d *DB) State() (resource.State, error) {
	var out resource.State
	err := d.db.View(func(tx *bbolt.Tx) error {
		if meta := tx.Bucket(metaBucket); meta != nil {
			if v := meta.Get(versionKey); len(v) == 8 {
				out.Version = binary.BigEndian.Uint64(v)
			}
			if s := meta.Get(schemaKey); s != nil {
				out.Schema = append([]byte(nil), s...)
			}
		}
		sets, err := readHistory(tx)
		out.History = sets
		d.kept, d.keptChanges = nil, 0
		for _, cs := range sets {
			d.kept = append(d.kept, kept{cs.Version, len(cs.Changes)})
			d.keptChanges += len(cs.Changes)
		}
		return err
	})
	return out, err
}

// Scan implements resource.Backend.
func (d *DB) Scan(put func(resource.Change) error) error {
	return d.db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			typ, ok := typeOf(name)
			if !ok {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				return put(resource.Change{Ref: resource.Ref{Type: typ}, Key: append([]byte(nil), k...), Value: v})
			})
		})
	})
}

func typeOf(bucket []byte) (string, bool) {
	if len(bucket) <= len(typePrefix) || string(bucket[:len(typePrefix)]) != typePrefix {
		return "", false
	}
	return string(bucket[len(typePrefix):]), true
}

// Commit implements resource.Backend: the change set joins the next
// transaction of the committer.
func (d *DB) Commit(cs *resource.ChangeSet) func() error {
	p := pending{cs: cs, done: make(chan error, 1)}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return func() error { return ErrClosed }
	}
	d.queue <- p
	return func() error { return <-p.done }
}

// commits is the committer: it takes the change sets queued, as many as
// have come, and commits them in one transaction, until Close.
func (d *DB) commits() {
	defer close(d.done)
	var (
		durable  uint64 // the version of the last commit that succeeded
		failed   bool   // a commit failed since
		lastSync = time.Now()
		tick     = time.NewTicker(d.opts.Window)
	)
	defer tick.Stop()
	for {
		var first pending
		select {
		case p, ok := <-d.queue:
			if !ok {
				return
			}
			first = p
		case <-tick.C:
			if d.opts.Sync == Batched && time.Since(lastSync) >= d.opts.Window {
				_ = d.db.Sync() // a failure shows on the next commit's own write
				lastSync = time.Now()
			}
			continue
		}
		batch := []pending{first}
	more:
		for len(batch) < maxBatch {
			select {
			case p, ok := <-d.queue:
				if !ok {
					break more
				}
				batch = append(batch, p)
			default:
				break more
			}
		}
		// After a failure, only a change set that starts again from the
		// last durable version may commit.
		var keep []pending
		for _, p := range batch {
			if failed && p.cs.Version != durable+1 && len(keep) == 0 {
				p.done <- errors.New("bolt: an earlier commit failed")
				continue
			}
			keep = append(keep, p)
		}
		if len(keep) == 0 {
			continue
		}
		err := d.apply(keep)
		if err == nil && d.opts.Sync == Always {
			d.syncs.Add(1)
		}
		for _, p := range keep {
			p.done <- err
		}
		if err != nil {
			failed = true
			continue
		}
		failed, durable = false, keep[len(keep)-1].cs.Version
	}
}

// apply writes change sets in one transaction.
func (d *DB) apply(batch []pending) error {
	var history []kept
	err := d.db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		for _, p := range batch {
			if err := write(tx, p.cs); err != nil {
				return err
			}
			if p.cs.Schema != nil {
				if err := meta.Put(schemaKey, p.cs.Schema); err != nil {
					return err
				}
			}
		}
		if history, err = d.remember(tx, batch); err != nil {
			return err
		}
		v := binary.BigEndian.AppendUint64(nil, batch[len(batch)-1].cs.Version)
		return meta.Put(versionKey, v)
	})
	if err == nil {
		d.kept, d.keptChanges = history, 0
		for _, k := range history {
			d.keptChanges += k.changes
		}
	}
	return err
}

func write(tx *bbolt.Tx, cs *resource.ChangeSet) error {
	for _, c := range cs.Changes {
		b, err := tx.CreateBucketIfNotExists([]byte(typePrefix + c.Ref.Type))
		if err != nil {
			return err
		}
		// Keys mostly arrive in order (ids grow): pages split full, not
		// half full as bbolt's default leaves them for random keys.
		b.FillPercent = 0.9
		if c.Deleted {
			err = b.Delete(c.Key)
		} else {
			err = b.Put(c.Key, c.Value)
		}
		if err != nil {
			return fmt.Errorf("bolt: %s: %w", c.Ref.Type, err)
		}
	}
	return nil
}

// entry is a change as the history bucket keeps it.
type entry struct {
	Type    string   `json:"t"`
	NS      string   `json:"n"`
	Keys    []string `json:"k"`
	Key     []byte   `json:"id"`
	Deleted bool     `json:"d,omitempty"`
	Version uint64   `json:"v,omitempty"`
}

// kept is a change set in the history bucket.
type kept struct {
	version uint64
	changes int
}

// remember adds the batch's change sets to the history bucket, and drops
// the oldest beyond its bounds; it returns what the bucket then keeps.
func (d *DB) remember(tx *bbolt.Tx, batch []pending) ([]kept, error) {
	h, err := tx.CreateBucketIfNotExists(historyBucket)
	if err != nil {
		return nil, err
	}
	history, total := slices.Clone(d.kept), d.keptChanges
	for _, p := range batch {
		entries := make([]entry, 0, len(p.cs.Changes))
		for _, c := range p.cs.Changes {
			entries = append(entries, entry{Type: c.Ref.Type, NS: c.Ref.Namespace, Keys: c.Ref.Keys, Key: c.Key, Deleted: c.Deleted, Version: c.Version})
		}
		v, err := json.Marshal(entries)
		if err != nil {
			return nil, err
		}
		if err := h.Put(binary.BigEndian.AppendUint64(nil, p.cs.Version), v); err != nil {
			return nil, err
		}
		history = append(history, kept{p.cs.Version, len(entries)})
		total += len(entries)
	}
	drop := 0
	for ; drop < len(history) && (len(history)-drop > d.opts.History || total > d.opts.HistoryChanges); drop++ {
		if err := h.Delete(binary.BigEndian.AppendUint64(nil, history[drop].version)); err != nil {
			return nil, err
		}
		total -= history[drop].changes
	}
	return history[drop:], nil
}

func readHistory(tx *bbolt.Tx) ([]resource.ChangeSet, error) {
	h := tx.Bucket(historyBucket)
	if h == nil {
		return nil, nil
	}
	var sets []resource.ChangeSet
	err := h.ForEach(func(k, v []byte) error {
		var entries []entry
		if err := json.Unmarshal(v, &entries); err != nil {
			return fmt.Errorf("bolt: history: %w", err)
		}
		cs := resource.ChangeSet{Version: binary.BigEndian.Uint64(k)}
		for _, e := range entries {
			cs.Changes = append(cs.Changes, resource.Change{Ref: resource.Ref{Type: e.Type, Namespace: e.NS, Keys: e.Keys},
				Key: e.Key, Deleted: e.Deleted, Version: e.Version})
		}
		sets = append(sets, cs)
		return nil
	})
	return sets, err
}

// blobBucket holds what a server keeps beside its records (its users, the
// key that signs its tokens), so that one file, and one copy of it, holds
// everything.
var blobBucket = []byte("blobs")

// Blob returns the value kept under name, or nil.
func (d *DB) Blob(name string) ([]byte, error) {
	var out []byte
	err := d.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(blobBucket); b != nil {
			if v := b.Get([]byte(name)); v != nil {
				out = append([]byte(nil), v...)
			}
		}
		return nil
	})
	return out, err
}

// SetBlob keeps value under name, durably, whatever the sync policy.
func (d *DB) SetBlob(name string, value []byte) error {
	err := d.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(blobBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(name), value)
	})
	if err == nil && d.db.NoSync {
		err = d.db.Sync()
	}
	return err
}
