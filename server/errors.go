package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/ambitkit/ambit/paging"
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

// ambariWords words the store's errors as Ambari's server does.
func ambariWords(e *resource.Error) string {
	keys := func() string {
		parts := make([]string, len(e.Keys))
		for i, k := range e.Keys {
			parts[i] = resource.KeyName(k.Path) + "=" + k.Value
		}
		return strings.Join(parts, ", ")
	}
	own := problemsOf(e) // without the items[i] of a write of several
	switch {
	case e.Kind == resource.NotFound && e.Type != "":
		return fmt.Sprintf("The requested resource doesn't exist: %s not found, %s", e.Type, keys())
	case e.Kind == resource.NotFound:
		return "The requested resource doesn't exist: " + e.Msg
	case e.Kind == resource.Exists:
		return fmt.Sprintf("Attempted to create a %s which already exists, %s", e.Type, keys())
	case e.Kind == resource.Invalid && len(own) > 0 && all(own, resource.Unsupported):
		return fmt.Sprintf("The properties [%s] specified in the request or predicate are not supported for the resource type %s.", paths(own), e.Type)
	case e.Kind == resource.Invalid && len(own) > 0 && all(own, resource.Required):
		return fmt.Sprintf("The properties [%s] are required to create a %s.", paths(own), e.Type)
	case e.Kind == resource.Invalid && len(own) > 0 && e.Type != "":
		msgs := make([]string, len(own))
		for i, p := range own {
			msgs[i] = p.Path + ": " + p.Reason
		}
		return fmt.Sprintf("Invalid properties for the resource type %s: %s.", e.Type, strings.Join(msgs, "; "))
	case e.Kind == resource.Invalid && errors.As(e.Err, new(*paging.ParamError)):
		return "Invalid Request: " + e.Msg
	}
	return e.Msg
}

// problemsOf lists an error's problems but the items[i] entries that a
// write of several adds.
func problemsOf(e *resource.Error) []resource.Problem {
	var out []resource.Problem
	for _, p := range e.Problems {
		if !strings.HasPrefix(p.Path, "items[") {
			out = append(out, p)
		}
	}
	return out
}

func all(ps []resource.Problem, reason string) bool {
	for _, p := range ps {
		if p.Reason != reason {
			return false
		}
	}
	return true
}

func paths(ps []resource.Problem) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Path
	}
	return strings.Join(out, ", ")
}
