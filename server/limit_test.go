package server

import (
	"fmt"
	"testing"
	"time"
)

// TestLoginBuckets checks the failed-login limiter with a fake clock: a
// burst of failures blocks the client and the user, a token comes back
// every period, and the table of buckets stays bounded.
func TestLoginBuckets(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLogins(2, 10*time.Second)
	l.now = func() time.Time { return now }
	for _, step := range []struct {
		name    string
		advance time.Duration
		fail    bool
		client  string
		want    time.Duration
	}{
		{"fresh", 0, false, "c1", 0},
		{"one failure", 0, true, "c1", 0},
		{"two failures", 0, true, "c1", 10 * time.Second},
		{"another client, same user", 0, false, "c2", 10 * time.Second},
		{"a little later", 4 * time.Second, false, "c1", 6 * time.Second},
		{"a token back", 6 * time.Second, false, "c1", 0},
	} {
		now = now.Add(step.advance)
		if step.fail {
			l.failed(step.client, "admin")
		}
		if got := l.blocked(step.client, "admin"); got != step.want {
			t.Errorf("%s: blocked for %v, want %v", step.name, got, step.want)
		}
	}
	for i := range maxBuckets + 10 {
		l.failed(fmt.Sprint("client", i), "someone")
	}
	if len(l.buckets) > maxBuckets+2 {
		t.Errorf("%d buckets, more than the bound", len(l.buckets))
	}
}
