package resource

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind classifies what went wrong in the store or in a domain over
// it. Kinds carry no HTTP status: the server maps each to one, once.
type ErrorKind uint8

// The kinds.
const (
	// Invalid is bad input: properties a type does not know, values of the
	// wrong kind, missing required properties, a rule of the domain broken.
	Invalid ErrorKind = iota + 1
	// NotFound is a resource, a type or a sub-resource that is not there.
	NotFound
	// Exists is a create of a resource that is already there.
	Exists
	// Conflict is a change the current state forbids: removing what runs,
	// a configuration that exists, a request that has not ended.
	Conflict
	// Stale is a precondition that failed: the resource changed since the
	// version the client holds.
	Stale
	// Gone is what existed and no longer does: an expired page token.
	Gone
	// Unavailable is a service that cannot serve now: a shutdown.
	Unavailable
	// TooLarge is a write larger than the store of record takes at once
	// (etcd's operations in one transaction).
	TooLarge
)

var kindWords = [...]string{Invalid: "invalid", NotFound: "not found", Exists: "already exists",
	Conflict: "conflict", Stale: "stale", Gone: "gone", Unavailable: "unavailable", TooLarge: "too large"}

// String names the kind.
func (k ErrorKind) String() string {
	if int(k) < len(kindWords) && kindWords[k] != "" {
		return kindWords[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", k)
}

// Error is a typed error of the store or of a domain over it: its kind,
// the resource it is about, and the properties at fault. Msg says it in a
// neutral sentence for the error log and for faces that have no wording
// of their own; a face words the structured ones in its family's way.
type Error struct {
	Kind ErrorKind
	// Type is the display name of the resource type it is about (Host).
	Type string
	// Keys are the key properties and values of the resource, or of the
	// part of it that was given, in key order.
	Keys []KeyValue
	// Problems are the properties at fault, for Invalid.
	Problems []Problem
	// Name is a stable machine name (CONFIGURATION_EXISTS), when the kind
	// alone does not tell it.
	Name string
	// Field names the offending property or parameter of the request.
	Field string
	// From and To are the states of an illegal transition.
	From, To string
	// Msg is the neutral sentence.
	Msg string
	// Err is the underlying error, if any.
	Err error
}

// KeyValue is one key property and its value.
type KeyValue struct{ Path, Value string }

// Problem is what is wrong with one property.
type Problem struct {
	// Path is the property's path, or items[i]/path in a write of several.
	Path string
	// Reason is one of the reasons below, or a sentence for a bad value.
	Reason string
}

// The reasons of Problems the store reports.
const (
	Unsupported = "not supported" // the type does not declare the property
	Required    = "required"      // a create did not give it
	ReadOnly    = "read-only"     // an update changed it
)

func (e *Error) Error() string { return e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error of a kind whose message is formatted as
// fmt.Sprintf does, naming field (empty for none).
func Errorf(kind ErrorKind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Caused returns a copy of e caused by err.
func Caused(e *Error, err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// Named returns a copy of e with a machine name.
func (e *Error) Named(name string) *Error {
	c := *e
	c.Name = name
	return &c
}

// notFound is the error of a resource that is not there.
func (l *layout) notFound(values []any) *Error {
	kv := l.keys(values)
	return &Error{Kind: NotFound, Type: l.t.Name, Keys: kv, Msg: fmt.Sprintf("%s not found: %s.", l.t.Name, describeKV(kv))}
}

// keys pairs key values with their key properties.
func (l *layout) keys(values []any) []KeyValue {
	out := make([]KeyValue, 0, len(values))
	for i, s := range l.keySlots {
		if i < len(values) {
			out = append(out, KeyValue{l.props[s].Path, text(values[i])})
		}
	}
	return out
}

// describeKV writes keys as path=value pairs.
func describeKV(kv []KeyValue) string {
	parts := make([]string, len(kv))
	for i, k := range kv {
		parts[i] = k.Path + "=" + k.Value
	}
	return strings.Join(parts, ", ")
}

// ItemError names the element i of a write of n that failed, as a problem
// items[i] whose reason is the error's message. An error of a write of one
// is left as it is.
func ItemError(err error, i, n int) error {
	e, ok := err.(*Error)
	if n == 1 || !ok {
		return err
	}
	c := *e
	c.Problems = append(e.Problems[:len(e.Problems):len(e.Problems)], Problem{Path: fmt.Sprintf("items[%d]", i), Reason: e.Msg})
	return &c
}

// IsKind reports whether err is, or wraps, the store's error of kind k.
func IsKind(err error, k ErrorKind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}
