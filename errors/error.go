// Package errors is ambit's model of an API error and its renderings in the
// error envelopes of the API families ambit speaks.
//
// One [Error] carries everything a client may be told: the HTTP status, a
// stable machine name (NOT_FOUND, CLUSTER_NAME_ALREADY_EXISTS), a human
// message, the offending parameter or field with a byte offset when a parser
// found the problem, per-field details, and a cause that stays on the server
// unless a dialect is explicitly put in debug mode.
//
// A [Dialect] renders an Error as one family's envelope:
//
//	Ambari     {"status": 404, "message": "..."}
//	Sahara     {"error_code": 400, "error_name": "...", "error_message": "..."}
//	Ohara      {"code": "...", "message": "...", "stack": "..."}
//	OpenShift  {"status": "not_found", "messages": [...], "api_version": 1.5, ...}
//	Problem    RFC 9457 application/problem+json
//
// Envelopes with no slot of their own for the offending field, its offset or
// the details carry them as the extra members "field", "offset" and "errors",
// which clients of the original APIs ignore.
//
// [Write] answers an HTTP request with any error; [From] turns any Go error
// into an Error without leaking internal text; [Parse] and [Decode] read an
// error body of any of the five dialects back into an Error, for Go clients
// and tests.
//
// The package imports only the standard library. Its name shadows the
// standard library's errors package, so importers usually rename one of them:
//
//	import apierr "github.com/ambitkit/ambit/errors"
package errors

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Error is an API error. Its fields are what clients may be shown, except
// Cause, which only a dialect in debug mode reveals.
//
// Treat an Error as immutable once it is returned: the With methods return
// changed copies.
type Error struct {
	// Status is the HTTP status code, 400 to 599.
	Status int
	// Name is a stable machine-readable name in Sahara's error_name style.
	// When empty, the name derived from Status is used (see DefaultName).
	Name string
	// Message is the human-readable description shown to clients.
	Message string
	// Field names the offending request parameter or body field, if any.
	Field string
	// Offset is the byte offset of the problem within Field's value, or -1
	// when there is none. It means nothing without Field. The constructors
	// set -1.
	Offset int
	// Details lists problems with individual fields or items, when a request
	// has several at once (every bad item of a batch, say).
	Details []Detail
	// Instance identifies this occurrence, normally the request path.
	// Write fills it in from the request when it is empty.
	Instance string
	// Cause is the underlying error. It is never shown to clients unless a
	// dialect is configured for debugging.
	Cause error
}

// Detail is one problem with one field or item of a request.
type Detail struct {
	// Field names the field or item, e.g. items[1]/Hosts/cpu_count; it may
	// be empty.
	Field string `json:"field,omitempty"`
	// Message says what is wrong with it.
	Message string `json:"message"`
}

// New returns an Error with the given status and a message formatted as by
// fmt.Sprintf.
func New(status int, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Status: status, Message: msg, Offset: -1}
}

// Error returns the message followed by the cause, for logs. Clients never
// see this string: dialects encode Message, and Cause only in debug mode.
func (e *Error) Error() string {
	if e.Cause == nil {
		return e.Message
	}
	return e.Message + ": " + e.Cause.Error()
}

// Unwrap returns the cause, so that the standard library's errors.Is and
// errors.As see through an Error to what caused it.
func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is an *Error with the same status and, when the
// target names one, the same name. It lets callers test for a class of API
// error without a sentinel value:
//
//	errors.Is(err, &apierr.Error{Status: http.StatusNotFound})
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Status == e.Status && (t.Name == "" || t.Name == e.ErrorName())
}

// ErrorName returns Name, or the name derived from Status when Name is empty.
func (e *Error) ErrorName() string {
	if e.Name != "" {
		return e.Name
	}
	return DefaultName(e.Status)
}

// WithName returns a copy of e with the given machine name.
func (e *Error) WithName(name string) *Error {
	c := *e
	c.Name = name
	return &c
}

// WithField returns a copy of e that names the offending parameter or field
// and the byte offset of the problem in its value (-1 for none).
func (e *Error) WithField(field string, offset int) *Error {
	c := *e
	c.Field, c.Offset = field, offset
	return &c
}

// WithDetails returns a copy of e with the details appended.
func (e *Error) WithDetails(details ...Detail) *Error {
	c := *e
	c.Details = append(e.Details[:len(e.Details):len(e.Details)], details...)
	return &c
}

// WithCause returns a copy of e caused by err.
func (e *Error) WithCause(err error) *Error {
	c := *e
	c.Cause = err
	return &c
}

// DefaultName returns the machine name of an HTTP status: its reason phrase
// in upper snake case (404 gives NOT_FOUND), or HTTP_<code> for a status with
// no reason phrase.
func DefaultName(status int) string {
	if w := statusWords(status, '_'); w != "" {
		return strings.ToUpper(w)
	}
	return "HTTP_" + strconv.Itoa(status)
}

// statusWords returns the lower-case words of status's reason phrase joined
// by sep ("not_found"), dropping punctuation, or "" when there is none.
func statusWords(status int, sep byte) string {
	text := http.StatusText(status)
	var b strings.Builder
	pendingSep := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == ' ' || c == '-':
			pendingSep = b.Len() > 0
			continue
		default:
			continue // apostrophes and the like: "I'm a teapot" is im_a_teapot
		}
		if pendingSep {
			b.WriteByte(sep)
			pendingSep = false
		}
		b.WriteByte(c)
	}
	return b.String()
}
