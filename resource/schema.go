package resource

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// declaration is what a durable record depends on of its type: its parent,
// its keys and the kinds of its properties. Its indexes, defaults and
// flags may change freely: the store rebuilds its indexes as it loads.
type declaration struct {
	Parent string            `json:"parent,omitempty"`
	Keys   []string          `json:"keys"`
	Props  map[string]string `json:"props"`
	// Paths is the dictionary of the type's records: property paths by
	// the id records give them. It only grows.
	Paths []string `json:"paths"`
}

// schema encodes the store's declarations, for its backend to keep.
func (s *Store) schema() []byte {
	decls := make(map[string]declaration, len(s.order))
	for _, l := range s.order {
		d := declaration{Props: map[string]string{}}
		if l.parent != nil {
			d.Parent = l.parent.t.Collection
		}
		for _, k := range l.keySlots {
			d.Keys = append(d.Keys, l.props[k].Path)
		}
		for _, p := range l.props {
			d.Props[p.Path] = p.Kind.String()
		}
		d.Paths = l.codes.paths
		decls[l.t.Collection] = d
	}
	b, _ := json.Marshal(decls) // maps of strings always encode, keys sorted
	return b
}

// useSchema takes the dictionaries of the declarations a backend's records
// were written under, so that the store reads those records and writes
// new ones alike.
func (s *Store) useSchema(old []byte) error {
	if old == nil {
		return nil
	}
	var decls map[string]declaration
	if err := json.Unmarshal(old, &decls); err != nil {
		return fmt.Errorf("resource: the data's declarations do not read: %w", err)
	}
	for name, d := range decls {
		if l, ok := s.types[name]; ok {
			l.codes = newCodes(l, d.Paths)
		}
	}
	return nil
}

// checkSchema reports how the declarations a backend's records were
// written under disagree with the store's: a type gone, a parent or a key
// changed, a property gone or of another kind. Types and properties the
// store adds are no disagreement.
func (s *Store) checkSchema(old []byte) error {
	if old == nil {
		return nil
	}
	var decls map[string]declaration
	if err := json.Unmarshal(old, &decls); err != nil {
		return fmt.Errorf("resource: the data's declarations do not read: %w", err)
	}
	var now map[string]declaration
	if err := json.Unmarshal(s.schema(), &now); err != nil {
		return err
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(decls)) {
		was, is := decls[name], now[name]
		switch {
		case is.Props == nil:
			problems = append(problems, fmt.Sprintf("type %s is no longer declared", name))
			continue
		case was.Parent != is.Parent:
			problems = append(problems, fmt.Sprintf("%s was under %q, now under %q", name, was.Parent, is.Parent))
		case !slices.Equal(was.Keys, is.Keys):
			problems = append(problems, fmt.Sprintf("%s was keyed by [%s], now by [%s]", name, strings.Join(was.Keys, ", "), strings.Join(is.Keys, ", ")))
		}
		for _, path := range slices.Sorted(maps.Keys(was.Props)) {
			switch kind := is.Props[path]; {
			case kind == "":
				problems = append(problems, fmt.Sprintf("%s/%s is no longer declared", name, path))
			case kind != was.Props[path]:
				problems = append(problems, fmt.Sprintf("%s/%s was a %s, now a %s", name, path, was.Props[path], kind))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrSchema, strings.Join(problems, "; "))
	}
	return nil
}

// ErrSchema is the error of opening a store on records written under
// declarations that disagree with its own.
var ErrSchema = errors.New("resource: the data was written by incompatible declarations")
