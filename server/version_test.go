package server_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ambitkit/ambit/server"
)

// TestVersions checks what a client of several servers relies on: every
// answer says the store's version, a write's answer the version that holds
// it, and a read that asks for at least a version waits for it, is a 503
// with Retry-After when the server does not reach it within its wait, and
// a 400 naming the header when it is not a version.
func TestVersions(t *testing.T) {
	srv := core(t, server.WithMaxWait(50*time.Millisecond))
	version := func(a answer) uint64 {
		t.Helper()
		v, err := strconv.ParseUint(a.header.Get(server.VersionHeader), 10, 64)
		if err != nil {
			t.Fatalf("%s: %q (%d %s)", server.VersionHeader, a.header.Get(server.VersionHeader), a.status, a.body)
		}
		return v
	}
	read := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "admin")
	before := version(read)
	wrote := send(t, srv, "POST", "/test/v1/a/widgets/w1", "", "user", "admin")
	if wrote.status != http.StatusCreated || version(wrote) <= before {
		t.Errorf("the write: %d at version %d, want 201 after version %d", wrote.status, version(wrote), before)
	}
	at := strconv.FormatUint(version(wrote), 10)
	if a := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "admin", server.MinVersionHeader, at); a.status != http.StatusOK || version(a) < version(wrote) {
		t.Errorf("a read at least as new as the write: %d at %d", a.status, version(a))
	}
	ahead := strconv.FormatUint(version(wrote)+100, 10)
	if a := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "admin", server.MinVersionHeader, ahead); a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
		t.Errorf("a read of a version the server does not hold: %d %v %s", a.status, a.header, a.body)
	}
	if a := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "admin", server.MinVersionHeader, "soon"); a.status != http.StatusBadRequest || a.json(t)["error_message"] == nil {
		t.Errorf("a version that is not one: %d %s", a.status, a.body)
	}
}
