package openapi

import (
	"slices"
	"strings"

	"github.com/ambitkit/ambit/resource"
)

// Schema is a JSON Schema (2020-12), the part of it documents use.
type Schema struct {
	Ref string `json:"$ref,omitempty"`
	// Type is a type name, or a []string of them.
	Type        any                `json:"type,omitempty"`
	Description string             `json:"description,omitempty"`
	Format      string             `json:"format,omitempty"`
	Properties  map[string]*Schema `json:"properties,omitempty"`
	Required    []string           `json:"required,omitempty"`
	Items       *Schema            `json:"items,omitempty"`
	// AdditionalProperties is a *Schema, or false for none; nil allows any.
	AdditionalProperties any       `json:"additionalProperties,omitempty"`
	Enum                 []any     `json:"enum,omitempty"`
	OneOf                []*Schema `json:"oneOf,omitempty"`
	AnyOf                []*Schema `json:"anyOf,omitempty"`
	Minimum              *float64  `json:"minimum,omitempty"`
	ReadOnly             bool      `json:"readOnly,omitempty"`
	Default              any       `json:"default,omitempty"`
}

// Object is an object schema with the given properties.
func Object(props map[string]*Schema, required ...string) *Schema {
	return &Schema{Type: "object", Properties: props, Required: required}
}

// Nullable is s or null, as an answer writes an unset field.
func Nullable(s *Schema) *Schema { return &Schema{AnyOf: []*Schema{s, {Type: "null"}}} }

// Count is a non-negative integer: a page size, a limit.
func Count() *Schema {
	zero := 0.0
	return &Schema{Type: "integer", Minimum: &zero}
}

// Array is an array of items.
func Array(items *Schema) *Schema { return &Schema{Type: "array", Items: items} }

// Mode says what a resource schema is for.
type Mode int

// The modes of a resource schema.
const (
	// Read is a resource as answers hold it: every property optional
	// (fields= selects them), read-only ones marked.
	Read Mode = iota
	// Create is a create body: required properties without a default are
	// required, categories that hold one too.
	Create
	// Update is an update body: nothing required. Read-only properties
	// may be sent unchanged (as clients send whole resources back), so
	// they are not marked.
	Update
)

// Resource is the JSON Schema of a resource type's property tree: its
// categories as nested objects, each property by its kind. A Read schema
// allows other members (hrefs, sub-resources); bodies of other modes allow
// only declared properties. A Create schema does not require the
// properties given, which a URL supplies (a parent's keys).
func Resource(t resource.Type, mode Mode, given ...string) *Schema {
	root := &Schema{Type: "object", Properties: map[string]*Schema{}}
	keys := map[string]bool{}
	for _, k := range t.Keys {
		keys[k] = true
	}
	declared := map[string]bool{}
	add := func(p resource.Property) {
		path := strings.Split(p.Path, "/")
		parent := root
		for _, cat := range path[:len(path)-1] {
			next, ok := parent.Properties[cat]
			if !ok {
				next = &Schema{Type: "object", Properties: map[string]*Schema{}}
				if mode != Read {
					next.AdditionalProperties = false
				}
				parent.Properties[cat] = next
			}
			parent = next
		}
		s := kindSchema(p.Kind, mode != Read)
		if mode == Read {
			s.ReadOnly = p.ReadOnly || keys[p.Path]
		}
		if p.Default != nil && mode != Update {
			s.Default = p.Default
		}
		name := path[len(path)-1]
		parent.Properties[name] = s
		if mode == Create && (p.Required || keys[p.Path]) && p.Default == nil && !slices.Contains(given, p.Path) {
			require(root, path)
		}
	}
	for _, p := range t.Properties {
		declared[p.Path] = true
		add(p)
	}
	for _, k := range t.Keys {
		if !declared[k] { // an undeclared key is a required string
			add(resource.Property{Path: k, Kind: resource.String, Required: true, ReadOnly: true})
		}
	}
	if mode != Read {
		root.AdditionalProperties = false
	}
	return root
}

// require marks a property required, and each category on its way.
func require(root *Schema, path []string) {
	s := root
	for _, name := range path {
		if !slices.Contains(s.Required, name) {
			s.Required = append(s.Required, name)
		}
		s = s.Properties[name]
	}
}

// kindSchema is the schema of one kind of value. A body may send a number
// or a bool as a string, as Ambari's clients do.
func kindSchema(k resource.Kind, body bool) *Schema {
	switch { // anyOf rather than a list of types: client generators read it
	case k == resource.Number && body:
		return &Schema{AnyOf: []*Schema{{Type: "number", Format: "double"}, {Type: "string"}}}
	case k == resource.Bool && body:
		return &Schema{AnyOf: []*Schema{{Type: "boolean"}, {Type: "string"}}}
	}
	switch k {
	case resource.Number:
		return &Schema{Type: "number", Format: "double"}
	case resource.Bool:
		return &Schema{Type: "boolean"}
	case resource.Object:
		return &Schema{Type: "object"}
	case resource.List:
		return &Schema{Type: "array"}
	}
	return &Schema{Type: "string"}
}
