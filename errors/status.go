package errors

import "net/http"

// BadRequest returns a 400 Bad Request error: the request is malformed
// (a predicate that does not parse, an unknown property, a bad body).
func BadRequest(format string, args ...any) *Error {
	return New(http.StatusBadRequest, format, args...)
}

// Unauthorized returns a 401 Unauthorized error: no valid credentials.
func Unauthorized(format string, args ...any) *Error {
	return New(http.StatusUnauthorized, format, args...)
}

// Forbidden returns a 403 Forbidden error: authenticated, but not allowed.
func Forbidden(format string, args ...any) *Error {
	return New(http.StatusForbidden, format, args...)
}

// NotFound returns a 404 Not Found error: no such resource or parent.
func NotFound(format string, args ...any) *Error {
	return New(http.StatusNotFound, format, args...)
}

// MethodNotAllowed returns a 405 Method Not Allowed error. The caller sets
// the Allow header.
func MethodNotAllowed(format string, args ...any) *Error {
	return New(http.StatusMethodNotAllowed, format, args...)
}

// NotAcceptable returns a 406 Not Acceptable error: no representation or API
// version the client accepts.
func NotAcceptable(format string, args ...any) *Error {
	return New(http.StatusNotAcceptable, format, args...)
}

// Conflict returns a 409 Conflict error: a duplicate create, or a change
// that the resource's current state does not allow.
func Conflict(format string, args ...any) *Error {
	return New(http.StatusConflict, format, args...)
}

// Gone returns a 410 Gone error: the resource, or the snapshot a cursor
// points into, no longer exists and will not again.
func Gone(format string, args ...any) *Error {
	return New(http.StatusGone, format, args...)
}

// TooLarge returns a 413 Content Too Large error: a body over the limit.
func TooLarge(format string, args ...any) *Error {
	return New(http.StatusRequestEntityTooLarge, format, args...)
}

// UnsupportedMediaType returns a 415 Unsupported Media Type error: a body in
// a format the server does not read.
func UnsupportedMediaType(format string, args ...any) *Error {
	return New(http.StatusUnsupportedMediaType, format, args...)
}

// Unprocessable returns a 422 Unprocessable Entity error: well formed, but
// semantically wrong.
func Unprocessable(format string, args ...any) *Error {
	return New(http.StatusUnprocessableEntity, format, args...)
}

// Internal returns a 500 Internal Server Error. Put the details in the cause
// (WithCause), not in the message, which clients see.
func Internal(format string, args ...any) *Error {
	return New(http.StatusInternalServerError, format, args...)
}

// NotImplemented returns a 501 Not Implemented error: a query or operation
// this API does not support.
func NotImplemented(format string, args ...any) *Error {
	return New(http.StatusNotImplemented, format, args...)
}

// Unavailable returns a 503 Service Unavailable error: try again later.
func Unavailable(format string, args ...any) *Error {
	return New(http.StatusServiceUnavailable, format, args...)
}

// Timeout returns a 504 Gateway Timeout error: the work did not finish
// before its deadline.
func Timeout(format string, args ...any) *Error {
	return New(http.StatusGatewayTimeout, format, args...)
}
