package errors_test

import (
	"context"
	stderrors "errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// compareErrors compares Errors by their visible fields; causes by text.
var compareErrors = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().Type() == reflect.TypeFor[error]()
	}, cmp.Comparer(func(a, b error) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.Error() == b.Error()
	})),
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		new    func(string, ...any) *apierr.Error
		status int
		name   string
	}{
		{apierr.BadRequest, 400, "BAD_REQUEST"},
		{apierr.Unauthorized, 401, "UNAUTHORIZED"},
		{apierr.Forbidden, 403, "FORBIDDEN"},
		{apierr.NotFound, 404, "NOT_FOUND"},
		{apierr.MethodNotAllowed, 405, "METHOD_NOT_ALLOWED"},
		{apierr.NotAcceptable, 406, "NOT_ACCEPTABLE"},
		{apierr.Conflict, 409, "CONFLICT"},
		{apierr.Gone, 410, "GONE"},
		{apierr.TooLarge, 413, "REQUEST_ENTITY_TOO_LARGE"},
		{apierr.UnsupportedMediaType, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{apierr.Unprocessable, 422, "UNPROCESSABLE_ENTITY"},
		{apierr.Internal, 500, "INTERNAL_SERVER_ERROR"},
		{apierr.NotImplemented, 501, "NOT_IMPLEMENTED"},
		{apierr.Unavailable, 503, "SERVICE_UNAVAILABLE"},
		{apierr.Timeout, 504, "GATEWAY_TIMEOUT"},
	}
	for _, tt := range tests {
		got := tt.new("cluster %s: %d%%", "c1", 5)
		want := &apierr.Error{Status: tt.status, Message: "cluster c1: 5%", Offset: -1}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d: (-want +got)\n%s", tt.status, diff)
		}
		if got.ErrorName() != tt.name {
			t.Errorf("%d: ErrorName() = %q, want %q", tt.status, got.ErrorName(), tt.name)
		}
	}
}

func TestNewWithoutArgumentsKeepsPercent(t *testing.T) {
	// Called through a value, as vet would rightly flag a literal.
	newErr := apierr.New
	if got := newErr(400, "100% wrong").Message; got != "100% wrong" {
		t.Errorf("Message = %q", got)
	}
}

func TestDefaultName(t *testing.T) {
	tests := map[int]string{
		404: "NOT_FOUND",
		418: "IM_A_TEAPOT",
		207: "MULTI_STATUS",
		499: "HTTP_499",
		0:   "HTTP_0",
	}
	for status, want := range tests {
		if got := apierr.DefaultName(status); got != want {
			t.Errorf("DefaultName(%d) = %q, want %q", status, got, want)
		}
	}
}

func TestWithReturnsCopies(t *testing.T) {
	base := apierr.BadRequest("bad").WithDetails(apierr.Detail{Field: "a", Message: "x"})
	cause := fmt.Errorf("boom")
	named := base.WithName("BAD_ITEM")
	fielded := base.WithField("page_size", 3)
	more := base.WithDetails(apierr.Detail{Field: "b", Message: "y"})
	other := base.WithDetails(apierr.Detail{Field: "c", Message: "z"})
	caused := base.WithCause(cause)

	wantBase := &apierr.Error{Status: 400, Message: "bad", Offset: -1, Details: []apierr.Detail{{"a", "x"}}}
	if diff := cmp.Diff(wantBase, base, compareErrors); diff != "" {
		t.Errorf("base changed (-want +got)\n%s", diff)
	}
	checks := []struct {
		got  *apierr.Error
		want func(*apierr.Error)
	}{
		{named, func(e *apierr.Error) { e.Name = "BAD_ITEM" }},
		{fielded, func(e *apierr.Error) { e.Field, e.Offset = "page_size", 3 }},
		{more, func(e *apierr.Error) { e.Details = append(e.Details, apierr.Detail{"b", "y"}) }},
		{other, func(e *apierr.Error) { e.Details = append(e.Details, apierr.Detail{"c", "z"}) }},
		{caused, func(e *apierr.Error) { e.Cause = cause }},
	}
	for i, c := range checks {
		want := *wantBase
		want.Details = append([]apierr.Detail(nil), wantBase.Details...)
		c.want(&want)
		if diff := cmp.Diff(&want, c.got, compareErrors); diff != "" {
			t.Errorf("check %d (-want +got)\n%s", i, diff)
		}
	}
}

func TestErrorString(t *testing.T) {
	e := apierr.Internal("An internal error occurred.")
	if got := e.Error(); got != "An internal error occurred." {
		t.Errorf("Error() = %q", got)
	}
	if got := e.WithCause(fmt.Errorf("disk full")).Error(); got != "An internal error occurred.: disk full" {
		t.Errorf("Error() with cause = %q", got)
	}
}

func TestIsAndAs(t *testing.T) {
	cause := context.DeadlineExceeded
	e := apierr.Conflict("exists").WithName("CLUSTER_NAME_ALREADY_EXISTS").WithCause(cause)
	wrapped := fmt.Errorf("creating cluster: %w", e)

	tests := []struct {
		target error
		want   bool
	}{
		{&apierr.Error{Status: http.StatusConflict}, true},
		{&apierr.Error{Status: http.StatusConflict, Name: "CLUSTER_NAME_ALREADY_EXISTS"}, true},
		{&apierr.Error{Status: http.StatusConflict, Name: "OTHER"}, false},
		{&apierr.Error{Status: http.StatusNotFound}, false},
		{context.DeadlineExceeded, true}, // through Unwrap
		{context.Canceled, false},
	}
	for _, tt := range tests {
		if got := stderrors.Is(wrapped, tt.target); got != tt.want {
			t.Errorf("Is(%v) = %v, want %v", tt.target, got, tt.want)
		}
	}
	var got *apierr.Error
	if !stderrors.As(wrapped, &got) || got != e {
		t.Errorf("As did not find the *Error in the chain")
	}
	// A derived default name matches a target that names it.
	if !stderrors.Is(apierr.NotFound("x"), &apierr.Error{Status: 404, Name: "NOT_FOUND"}) {
		t.Errorf("default name does not match")
	}
}
