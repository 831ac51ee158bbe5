package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
)

// TestFailAfterTheResponseStarted checks that an error met while a response
// is written (a client gone away) does not write a second status line and
// an error body into it.
func TestFailAfterTheResponseStarted(t *testing.T) {
	store, err := resource.New()
	if err != nil {
		t.Fatal(err)
	}
	s := New(store, WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	r := httptest.NewRequest("GET", "/api/v1/x", nil)
	for _, tt := range []struct {
		name       string
		write      func(w http.ResponseWriter)
		wantStatus int
		wantBody   bool // the error's body
	}{
		{"nothing written", func(http.ResponseWriter) {}, 503, true},
		{"status written", func(w http.ResponseWriter) { w.WriteHeader(200) }, 200, false},
		{"body written", func(w http.ResponseWriter) { _, _ = w.Write([]byte("{")) }, 200, false},
	} {
		under := httptest.NewRecorder()
		rec := &recorder{ResponseWriter: under, status: http.StatusOK}
		tt.write(rec)
		s.fail(rec, r, apierr.Unavailable("write: broken pipe"))
		if under.Code != tt.wantStatus || (under.Body.Len() > 1) != tt.wantBody {
			t.Errorf("%s: answered %d %q", tt.name, under.Code, under.Body.String())
		}
	}
}
