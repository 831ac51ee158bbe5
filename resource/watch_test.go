package resource_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ambitkit/ambit/resource"
)

func TestWatch(t *testing.T) {
	s := fixture(t)
	scope := map[string]string{"HostRoles/cluster_name": "c1", "HostRoles/host_name": "h1"}
	now := s.Version()

	// A change already made after the given version returns at once.
	if v, err := s.Watch(ctx, "host_components", "", scope, 0); err != nil || v != now {
		t.Fatalf("Watch(after 0) = %d, %v; want %d", v, err, now)
	}

	// Nothing new: the watch waits, and a change elsewhere does not wake it.
	woke := make(chan uint64, 1)
	go func() {
		v, err := s.Watch(ctx, "host_components", "", scope, now)
		if err != nil {
			t.Error(err)
		}
		woke <- v
	}()
	if _, err := s.Update(ctx, resource.Ref{Type: "host_components", Keys: []string{"c1", "h2", "DATANODE"}}, tree("HostRoles", "state", "INSTALLED"), 0); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-woke:
		t.Fatalf("a change on h2 woke a watch on h1 (version %d)", v)
	case <-time.After(50 * time.Millisecond):
	}
	if _, err := s.Update(ctx, resource.Ref{Type: "host_components", Keys: []string{"c1", "h1", "DATANODE"}}, tree("HostRoles", "state", "INSTALLED"), 0); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-woke:
		if v != s.Version() {
			t.Errorf("woke at version %d, want %d", v, s.Version())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a change on h1 did not wake the watch")
	}

	// A context that ends ends the watch.
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := s.Watch(short, "host_components", "", scope, s.Version()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Watch with an ended context = %v", err)
	}
}
