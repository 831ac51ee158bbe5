package errors

import (
	"context"
	stderrors "errors"
	"net/http"
)

// From turns any error into an API error. It returns nil for nil.
//
//   - An *Error anywhere in err's wrap chain wins, unchanged.
//   - context.DeadlineExceeded becomes 504 Gateway Timeout.
//   - context.Canceled becomes 503 Service Unavailable named REQUEST_CANCELED:
//     the client has usually gone, and a 5xx keeps the abandoned work out of
//     the client-error statistics.
//   - *http.MaxBytesError becomes 413 naming the limit.
//   - Anything else becomes 500 with a generic message.
//
// In every case but the first, err becomes the Cause, so its text reaches
// logs but never clients.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if stderrors.As(err, &e) {
		return e
	}
	var tooLarge *http.MaxBytesError
	switch {
	case stderrors.Is(err, context.DeadlineExceeded):
		e = Timeout("The request did not complete before its deadline.")
	case stderrors.Is(err, context.Canceled):
		e = Unavailable("The request was canceled.").WithName("REQUEST_CANCELED")
	case stderrors.As(err, &tooLarge):
		e = TooLarge("The request body is larger than the limit of %d bytes.", tooLarge.Limit)
	default:
		e = Internal("An internal error occurred.")
	}
	e.Cause = err
	return e
}
