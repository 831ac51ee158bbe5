package errors_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
)

func TestFrom(t *testing.T) {
	api := apierr.NotFound("Cluster not found, clusterName=c1")
	secret := fmt.Errorf("dial tcp 10.0.0.7:5432: password authentication failed")
	deadline := fmt.Errorf("waiting for request 6: %w", context.DeadlineExceeded)
	canceled := fmt.Errorf("listing: %w", context.Canceled)
	tooLarge := fmt.Errorf("reading body: %w", &http.MaxBytesError{Limit: 1024})

	tests := []struct {
		name string
		err  error
		want *apierr.Error
	}{
		{"nil", nil, nil},
		{"api error as is", api, api},
		{"api error wrapped", fmt.Errorf("get: %w", api), api},
		{"api error under deadline", fmt.Errorf("%w: %w", api, context.DeadlineExceeded), api},
		{"deadline", deadline, &apierr.Error{Status: 504, Message: "The request did not complete before its deadline.", Offset: -1, Cause: deadline}},
		{"canceled", canceled, &apierr.Error{Status: 503, Name: "REQUEST_CANCELED", Message: "The request was canceled.", Offset: -1, Cause: canceled}},
		{"body too large", tooLarge, &apierr.Error{Status: 413, Message: "The request body is larger than the limit of 1024 bytes.", Offset: -1, Cause: tooLarge}},
		{"anything else", secret, &apierr.Error{Status: 500, Message: "An internal error occurred.", Offset: -1, Cause: secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := apierr.From(tt.err)
			if diff := cmp.Diff(tt.want, got, compareErrors); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
