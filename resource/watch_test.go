package resource_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ambitkit/ambit/resource"
)

// TestWatch runs under testing/synctest, so "the watch has not woken" is
// checked once every goroutine is blocked, not after a sleep.
func TestWatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := fixture(t)
		scope := map[string]string{"HostRoles/cluster_name": "c1", "HostRoles/host_name": "h1"}
		now := s.Version()

		// A change already made after the given version returns at once.
		if v, err := s.Watch(ctx, "host_components", "", scope, 0); err != nil || v != now {
			t.Fatalf("Watch(after 0) = %d, %v; want %d", v, err, now)
		}

		woke := make(chan uint64, 1)
		watch := func(after uint64) {
			go func() {
				v, err := s.Watch(ctx, "host_components", "", scope, after)
				if err != nil {
					t.Error(err)
				}
				woke <- v
			}()
		}
		quiet := func(what string) {
			t.Helper()
			synctest.Wait()
			select {
			case v := <-woke:
				t.Fatalf("%s woke the watch on h1 (version %d)", what, v)
			default:
			}
		}
		watch(now)
		quiet("nothing")
		if _, err := s.Update(ctx, resource.Ref{Type: "host_components", Keys: []string{"c1", "h2", "DATANODE"}}, tree("HostRoles", "state", "INSTALLED"), 0); err != nil {
			t.Fatal(err)
		}
		quiet("a change on h2")
		if _, err := s.Update(ctx, resource.Ref{Type: "host_components", Keys: []string{"c1", "h1", "DATANODE"}}, tree("HostRoles", "state", "INSTALLED"), 0); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if v := <-woke; v != s.Version() {
			t.Errorf("woke at version %d, want %d", v, s.Version())
		}

		// A deletion in scope wakes it too.
		watch(s.Version())
		quiet("nothing")
		if err := s.Delete(ctx, resource.Ref{Type: "host_components", Keys: []string{"c1", "h1", "NAMENODE"}}); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if v := <-woke; v != s.Version() {
			t.Errorf("woke at version %d after a deletion, want %d", v, s.Version())
		}

		// A context that ends ends the watch.
		short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		if _, err := s.Watch(short, "host_components", "", scope, s.Version()); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Watch with an ended context = %v", err)
		}
	})
}
