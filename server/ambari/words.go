package ambari

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
)

// words says the store's errors as Ambari's server does.
func words(e *resource.Error) string {
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
		msg := strings.TrimSuffix(e.Msg, ".")
		if msg != "" {
			msg = strings.ToLower(msg[:1]) + msg[1:]
		}
		return "The requested resource doesn't exist: " + msg
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
