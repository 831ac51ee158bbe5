package server

import (
	"errors"
	"net/http"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/resource"
)

// statusOf is the HTTP status of each kind of the store's errors: the one
// place where kinds meet statuses.
var statusOf = map[resource.ErrorKind]int{
	resource.Invalid:     http.StatusBadRequest,
	resource.NotFound:    http.StatusNotFound,
	resource.Exists:      http.StatusConflict,
	resource.Conflict:    http.StatusConflict,
	resource.Stale:       http.StatusPreconditionFailed,
	resource.Gone:        http.StatusGone,
	resource.Unavailable: http.StatusServiceUnavailable,
	resource.TooLarge:    http.StatusRequestEntityTooLarge,
}

// Words says a typed error of the store in a family's way: the message
// its clients expect. A face gives its own; the result of nil is the
// error's neutral message.
type Words func(e *resource.Error) string

// apiError turns any error into an API error: the store's typed errors
// get their status and the face's wording, API errors stay as they are,
// and the rest become what errors.From makes of them.
func apiError(err error, words Words) *apierr.Error {
	var re *resource.Error
	if !errors.As(err, &re) {
		return apierr.From(err)
	}
	status, ok := statusOf[re.Kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	msg := re.Msg
	if words != nil {
		msg = words(re)
	}
	e := apierr.New(status, "%s", msg).WithCause(err)
	if e.Name = re.Name; e.Name == "" && re.Kind == resource.Stale {
		e.Name = "PRECONDITION_FAILED"
	}
	if re.Field != "" {
		e = e.WithField(re.Field, -1)
	}
	for _, p := range re.Problems {
		e = e.WithDetails(apierr.Detail{Field: p.Path, Message: p.Reason})
	}
	return e
}
