package cluster_test

import (
	"errors"
	"slices"

	"github.com/ambitkit/ambit/resource"
)

// sorted returns task lines in order: by stage, then as text.
func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// storeError is err as the store's typed error; an empty one when it is
// not (so that the assertion on it fails with the message).
func storeError(err error) *resource.Error {
	var e *resource.Error
	if errors.As(err, &e) {
		return e
	}
	if err != nil {
		return &resource.Error{Msg: "not the store's error: " + err.Error()}
	}
	return &resource.Error{}
}
