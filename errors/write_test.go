package errors_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name       string
		d          apierr.Dialect
		err        error
		wantStatus int
		wantType   string
		wantBody   string
	}{
		{"ambari not found", apierr.Ambari{}, apierr.NotFound("Cluster not found, clusterName=x"), 404, "application/json",
			`{"status":404,"message":"Cluster not found, clusterName=x"}`},
		{"internal text never leaks", apierr.Ambari{}, fmt.Errorf("pq: password authentication failed for user admin"), 500, "application/json",
			`{"status":500,"message":"An internal error occurred."}`},
		{"debug-free ohara hides the cause", apierr.Ohara{}, fmt.Errorf("secret"), 500, "application/json",
			`{"code":"INTERNAL_SERVER_ERROR","message":"An internal error occurred."}`},
		{"nil error is a 500", apierr.Ambari{}, nil, 500, "application/json",
			`{"status":500,"message":"An internal error occurred."}`},
		{"status outside 4xx-5xx becomes 500", apierr.Ambari{}, &apierr.Error{Status: 200, Message: "odd"}, 500, "application/json",
			`{"status":500,"message":"odd"}`},
		{"problem takes the request path", apierr.Problem{}, apierr.Forbidden("no"), 403, "application/problem+json",
			`{"type":"about:blank","title":"Forbidden","status":403,"detail":"no","instance":"/api/v1/clusters/c1","name":"FORBIDDEN"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodGet, "/api/v1/clusters/c1?fields=*", nil)
			apierr.Write(rec, r, tt.d, tt.err)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			wantHeader := http.Header{
				"Content-Type":           {tt.wantType},
				"Cache-Control":          {"no-store"},
				"X-Content-Type-Options": {"nosniff"},
			}
			if diff := cmp.Diff(wantHeader, rec.Header()); diff != "" {
				t.Errorf("header (-want +got)\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantBody+"\n", rec.Body.String()); diff != "" {
				t.Errorf("body (-want +got)\n%s", diff)
			}
		})
	}
}

func TestWriteDoesNotChangeTheError(t *testing.T) {
	e := apierr.NotFound("x")
	apierr.Write(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/a", nil), apierr.Problem{}, e)
	if e.Instance != "" {
		t.Errorf("Write set Instance on the caller's error: %q", e.Instance)
	}
}

// brokenDialect fails after writing part of its body.
type brokenDialect struct{}

func (brokenDialect) MediaType() string { return "application/json" }
func (brokenDialect) Encode(w io.Writer, e *apierr.Error) error {
	_, _ = io.WriteString(w, `{"partial":`)
	return fmt.Errorf("json: unsupported value: secret internals")
}

func TestWriteEncodingFailure(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)

	rec := httptest.NewRecorder()
	apierr.Write(rec, httptest.NewRequest(http.MethodGet, "/x", nil), brokenDialect{}, apierr.Conflict("c"))
	if rec.Code != 409 {
		t.Errorf("status = %d, want 409", rec.Code)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("body = %q, want empty", rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "" {
		t.Errorf("Content-Type = %q for an empty body", ct)
	}
	if !strings.Contains(logs.String(), "secret internals") || !strings.Contains(logs.String(), "path=/x") {
		t.Errorf("log does not record the failure: %q", logs.String())
	}
}
