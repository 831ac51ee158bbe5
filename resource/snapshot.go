package resource

import (
	"sync"
	"time"
)

// Snapshot limits: how many read snapshots a store retains for paged
// listings, and for how long after their last use.
const (
	maxSnapshots = 64
	snapshotTTL  = 10 * time.Minute
)

// snapshots retains read transactions by the store version they read, so
// that every page of a listing paged with tokens comes from one consistent
// state, however the store changes between pages.
type snapshots struct {
	mu   sync.Mutex
	byV  map[uint64]*snapshot
	now  func() time.Time
	ttl  time.Duration
	most int
}

type snapshot struct {
	txn      *reading
	lastUsed time.Time
}

func newSnapshots() *snapshots {
	return &snapshots{byV: map[uint64]*snapshot{}, now: time.Now, ttl: snapshotTTL, most: maxSnapshots}
}

// take retains txn, which reads version v, and returns the retained read
// transaction for v (an earlier one when v was taken before).
func (s *snapshots) take(v uint64, txn *reading) *reading {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if old, ok := s.byV[v]; ok {
		old.lastUsed = now
		return old.txn
	}
	if len(s.byV) >= s.most {
		s.evictOldest()
	}
	s.byV[v] = &snapshot{txn: txn, lastUsed: now}
	return txn
}

// get returns the retained snapshot of version v, or a 410 when it has
// expired or been evicted.
func (s *snapshots) get(v uint64) (*reading, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	snap, ok := s.byV[v]
	if !ok {
		return nil, Errorf(Gone, "page_token", "The listing this page token continues is no longer available: start the listing again.").Named("SNAPSHOT_EXPIRED")
	}
	snap.lastUsed = now
	return snap.txn, nil
}

func (s *snapshots) expire(now time.Time) {
	for v, snap := range s.byV {
		if now.Sub(snap.lastUsed) > s.ttl {
			delete(s.byV, v)
		}
	}
}

func (s *snapshots) evictOldest() {
	var oldest uint64
	var at time.Time
	for v, snap := range s.byV {
		if at.IsZero() || snap.lastUsed.Before(at) {
			oldest, at = v, snap.lastUsed
		}
	}
	delete(s.byV, oldest)
}

// clear forgets every retained snapshot: their tokens are gone (410).
func (s *snapshots) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.byV)
}
