package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ambitkit/ambit/server"
)

// TestAccountsReplace hands a running server the users another server
// saved: the new ones log in at once, and one that is gone no longer does.
func TestAccountsReplace(t *testing.T) {
	s := server.New(widgetStore(t), server.WithLogger(quiet), server.WithUsers(users(t)), server.WithFaces(widgets()), server.WithoutCSRF())
	srv := httptest.NewServer(s)
	defer srv.Close()
	if a := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "alice"); a.status != http.StatusOK {
		t.Fatalf("alice before: %d %s", a.status, a.body)
	}
	next := users(t)
	delete(next, "alice")
	next["dave"] = next["carol"]
	s.Accounts().Replace(next)
	if a := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "alice"); a.status != http.StatusUnauthorized {
		t.Errorf("alice after she was removed elsewhere: %d", a.status)
	}
	if a := send(t, srv, "GET", "/test/v1/a/widgets", "", "user", "dave"); a.status != http.StatusOK {
		t.Errorf("dave, made elsewhere: %d %s", a.status, a.body)
	}
}
