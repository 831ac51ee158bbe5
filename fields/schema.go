package fields

import (
	"slices"
	"strings"
)

// Type describes a resource type to Resolve: which paths it knows, its
// sub-resources and its key properties. The resource package implements it
// for its type declarations; Schema implements it for plain lists.
type Type interface {
	// Known reports whether path names a declared property, a category (a
	// proper prefix of a declared property's path), or lies beneath a
	// declared property whose value is a map.
	Known(path []string) bool
	// Sub returns the type of the sub-resource called name: a child
	// collection (host_components) or a singular link (component).
	Sub(name string) (Type, bool)
	// Subs lists the names of every sub-resource.
	Subs() []string
	// Keys lists the key properties that are always returned: the
	// resource's own and its ancestors' foreign keys.
	Keys() [][]string
}

// Schema is a Type described by lists of paths.
type Schema struct {
	known    map[string]bool // declared properties and categories
	maps     [][]string      // properties whose values are maps
	keys     [][]string
	subs     map[string]Type
	subNames []string
}

// NewSchema returns a Schema with the given key properties and other
// properties, as slash-separated paths. A property written with a trailing
// /* (Hosts/desired_configs/*) holds a map whose entries are properties too.
// Keys are properties without being listed twice.
func NewSchema(keys []string, props ...string) *Schema {
	s := &Schema{known: map[string]bool{}, subs: map[string]Type{}}
	for _, k := range keys {
		s.keys = append(s.keys, strings.Split(k, "/"))
	}
	for _, p := range append(slices.Clone(keys), props...) {
		if base, ok := strings.CutSuffix(p, "/*"); ok {
			p = base
			s.maps = append(s.maps, strings.Split(p, "/"))
		}
		for i := range p {
			if p[i] == '/' {
				s.known[p[:i]] = true
			}
		}
		s.known[p] = true
	}
	return s
}

// AddSub declares a sub-resource. It returns s, so that schemas can be
// wired into each other, cycles included, after they are made.
func (s *Schema) AddSub(name string, t Type) *Schema {
	if _, dup := s.subs[name]; !dup {
		s.subNames = append(s.subNames, name)
	}
	s.subs[name] = t
	return s
}

// Known implements Type.
func (s *Schema) Known(path []string) bool {
	if s.known[strings.Join(path, "/")] {
		return true
	}
	for _, m := range s.maps {
		if len(path) > len(m) && slices.Equal(path[:len(m)], m) {
			return true
		}
	}
	return false
}

// Sub implements Type.
func (s *Schema) Sub(name string) (Type, bool) {
	t, ok := s.subs[name]
	return t, ok
}

// Subs implements Type.
func (s *Schema) Subs() []string { return s.subNames }

// Keys implements Type.
func (s *Schema) Keys() [][]string { return s.keys }
